/**
 * How poisk ranks, in one place: the BM25 parameters and field weights of each query shape,
 * word coordination, the weights of a word's other readings, and recency. (MiniSearch's own
 * `SearchOptions` are built from this per query, in search.ts; query understanding's
 * switches and bounds are `query-options.ts`.) Every value was chosen on the relevance
 * evaluation, docs/RELEVANCE.md.
 */

export interface Bm25Params {
  /** Term-frequency saturation. */
  k: number
  /** Document-length normalisation. */
  b: number
  /** BM25+ floor for a matching term. */
  d: number
}

/** How one shape of query (short and tag-like, or headline-like) is scored. */
export interface QueryShapeRanking {
  /** Field weights. */
  boost: { title: number, lead: number, body: number }
  bm25: Bm25Params
}

/** Weights of the terms a query word is also searched as, below its own terms' 1. */
export interface TermWeights {
  /**
   * A transliterated spelling of a query word found as typed too (a word found only in
   * another spelling is searched in that one alone, so the weight does not matter there).
   * Low: an article naming Twitter in Latin letters is about it more often than one
   * quoting «твиттер» in passing (tag nDCG@10 0.9 → 0.5967, 0.3 → 0.5971).
   */
  transliteration: number
  /** A term within a few edits of a query word: below exact matches. */
  fuzzy: number
}

export interface RecencyOptions {
  /** An article this many days older than the newest one gets half the recency bonus. */
  halfLifeDays: number
  /** The bonus for the newest article, as a fraction of its score. */
  weight: number
}

export interface RankingConfig {
  /**
   * The one word-count threshold. A query of at most this many words is short (tag-like):
   * scored with `short`, and a document holding every word ranks above any holding only
   * some (coordination tiers). A longer query is usually a pasted headline: scored with
   * `long`, by score alone — tiering it cut known-item MRR@10 from 0.613 to 0.540, while on
   * tag queries it helps (0.582 → 0.584); tiering 4-word queries too measured slightly worse
   * on tags (0.5971 → 0.5967).
   */
  shortQueryMaxWords: number
  short: QueryShapeRanking
  long: QueryShapeRanking
  /**
   * A document's score is multiplied by (query words it holds) ^ this. MiniSearch multiplies
   * by the number of distinct query *terms* matched instead, which counts a word with two
   * readings («стали»: сталь, стать) or spellings (twitter, твиттер) twice.
   */
  wordCoordination: number
  termWeights: TermWeights
  /** Applied when a request asks for it (`recency=true`). */
  recency: RecencyOptions
  /**
   * In a long query, a quoted span is not a filter: a pasted headline quotes a name or a
   * remark («Почему Путин не ведет Twitter?»), which the article need not hold as quoted.
   * The best `candidates` matches holding the phrases have their score × `factor`; at 1 the
   * quotes are plain words. Known-item MRR@10 (tuning / held-out): as a filter 0.568 / 0.604;
   * factor 2: 0.616 / 0.655; 1.5: 0.623 / 0.658; 1.2: 0.629 / 0.669; 1: 0.631 / 0.671.
   * (A short query's phrase is a demand: only documents holding it match.)
   */
  longQueryPhrase: { factor: number, candidates: number }
  /**
   * A document whose headline holds every query word has its score × (1 + weight · the share
   * of the headline that is query words): a brief whose headline is the query ranks first
   * (title-coverage.ts).
   */
  titleCoverage: { weight: number }
}

/**
 * Both shapes want strong tf saturation (tag nDCG@10 0.586 at MiniSearch's k 1.2, 0.597 at
 * k 10) and no BM25+ floor; short queries little length normalisation (b 0.35), headline-
 * length ones full (b 1). The title is scored as its own short BM25 field, so a headline
 * match already outweighs a body match of the same word; weighting it otherwise measured
 * worse (0.8 → 0.596). The lead (the body's first lines, indexed again) names what an
 * article is about: counted in full it lifts headline-length queries (known-item MRR@10
 * 0.615 → 0.648), while short queries want only a little of it (weight 0.3: tag nDCG@10
 * 0.597 → 0.599; 1 → 0.590).
 */
export const defaultRanking: RankingConfig = {
  shortQueryMaxWords: 3,
  short: { boost: { title: 1, lead: 0.3, body: 1 }, bm25: { k: 10, b: 0.35, d: 0 } },
  long: { boost: { title: 1, lead: 1, body: 1 }, bm25: { k: 10, b: 1, d: 0 } },
  wordCoordination: 1,
  termWeights: { transliteration: 0.3, fuzzy: 0.4 },
  recency: { halfLifeDays: 30, weight: 0.5 },
  longQueryPhrase: { factor: 1, candidates: 100 },
  titleCoverage: { weight: 1 }
}

/** Whether a query of `words` words is short: its shape, and whether it is coordinated. */
export function isShortQuery (ranking: RankingConfig, words: number): boolean {
  return words <= ranking.shortQueryMaxWords
}

export function shapeOf (ranking: RankingConfig, words: number): QueryShapeRanking {
  return isShortQuery(ranking, words) ? ranking.short : ranking.long
}
