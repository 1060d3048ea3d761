/**
 * Ranked keyword search over a snapshot: plan the query (syntax, layout, spelling, typos),
 * score with MiniSearch (BM25+ with query-length parameters), narrow by filters and exclusions, order
 * (coordination, recency, date), count facets, page the results and build snippets for the
 * page's hits only. Every ranking parameter is in `ranking.ts` (`RankingConfig`);
 * query-understanding switches and bounds in `query-options.ts`.
 */
import type { Query, SearchOptions as MiniSearchOptions, SearchResult } from 'minisearch'
export type { Found } from './results.js'
import { DEFAULT_TIME_ZONE } from '../corpus/dates.js'
import type { Snapshot } from '../index/open-index.js'
import type { StoredFields } from '../index/minisearch-options.js'
import { internalsOf } from '../index/minisearch-internals.js'
import { gateOf } from '../index/index-gate.js'
import { ITEMS_BETWEEN_PAUSES, runPausing, type Pause } from '../index/time-slicer.js'
import { countFacets, type Facets } from './facets.js'
import { compileFilters, type FieldFilter } from './filters.js'
import { defaultQueryOptions, type QueryOptions } from './query-options.js'
import { defaultRanking, isShortQuery, shapeOf, type RankingConfig } from './ranking.js'
import { planQuery, type Correction, type QueryPlan } from './query-plan.js'
import { phraseStage, type PhraseOutcome } from './phrase-stage.js'
import { applyRecency, type RankOptions, type SortOrder } from './rank.js'
import { RankedResults, type Found, type Results } from './results.js'
import { collapsedPagePausing, prepareGroups, type CollapsedHit, type Duplicates } from './collapse.js'
import { makeSnippet, markAll, snippetFromPrefix } from './snippet.js'
import { acceptorOf, matchListPausing, type MatchFilter, type MatchList, type OnScoringFallback } from './match-list.js'
import { excludedDocuments, matchUniverse, type DocumentSet } from './match-universe.js'
import { longestPostingList, scoreBounds, type BoundedQuery } from './score-bounds.js'
import { decodingPostingsOf } from './decode-ahead.js'
import { MatchBufferLease, ownArrays, type MatchArrays } from './match-buffers.js'
import { titleCoveragePausing, type TitleCoverage } from './title-coverage.js'
import { wordsMatchedCounter } from './words-matched.js'
import type { SnippetQuery, TermCounts } from './snippet-matches.js'
import { bodyTermCounts } from './term-counts.js'
import { vocabularyOf } from './vocabulary.js'

export interface SearchRequest {
  q: string
  limit: number
  offset: number
  /** First day included, `YYYY-MM-DD`. */
  from?: string
  /** Last day included, `YYYY-MM-DD`. */
  to?: string
  /** Tags the documents must all carry. */
  tag?: string[]
  source?: string
  sort?: SortOrder
  /** Count the result set by tag, source and month. */
  facets?: boolean
  /** Boost newer articles (see `QueryOptions.recency`). */
  recency?: boolean
  /** TIME_ZONE: `from`, `to` and the month facets are days and months of this zone (Europe/Moscow by default). */
  timeZone?: string
  /** Near-duplicates shown once per group, as their best-ranked member (collapse.ts); true by default. */
  collapse?: boolean
}

export interface SearchHit {
  id: string
  title: string
  /** The headline, HTML-escaped, with the matched words in <mark>. */
  titleHtml: string
  kind: StoredFields['kind']
  url?: string
  date?: string
  source?: string
  tags?: string[]
  score: number
  /** The best-matching passage, HTML-escaped, with the matched words in <mark>. */
  snippet: string
  /** Its near-duplicates that matched too, not listed (collapsed): how many and their ids. */
  duplicates?: Duplicates
}

export interface SearchResponse {
  query: string
  total: number
  tookMs: number
  hits: SearchHit[]
  /** What was read differently from how it was typed (layout, spelling, typos). */
  corrections?: Correction[]
  /** The query was (partly) typed in the wrong keyboard layout and searched converted. */
  layoutFixed?: boolean
  /** The query as searched, when it differs from the typed one. */
  interpretedAs?: string
  /** Whether some result holds every query word (false: only partial matches were found). */
  allWordsMatched?: boolean
  /** Quoted phrases searched as plain words (`interpretedAs` is the query without quotes): no result held them, or quotes stood among many words. */
  droppedPhrases?: string[]
  /** Only this many best candidates were checked for the query's phrases: `total` is then a lower bound. */
  phraseChecked?: number
  /** Of `total`, the results holding every query word (one of each word's readings). */
  totalAllWords: number
  facets?: Facets
  /** What `facets` counts: the results holding every word, or (when none does) every result. */
  facetsOver?: FacetsOver
  /** The zone of the day filters and month facets, for showing dates in it (TIME_ZONE). */
  timeZone: string
  /** With copies collapsed (the default): `total` with each group of near-duplicates counted once, what `offset` pages through. */
  totalGroups?: number
}

export type FacetsOver = 'allWords' | 'all'

/** How a caller runs a query: what it wants to know of it (the server logs it at debug level), and how it shares the event loop. */
export interface SearchExecution {
  onScoringFallback?: OnScoringFallback
  /**
   * Awaited between the pieces of a query's work (each term's scoring, each stage, each
   * document read for a phrase): the server's turn on the event loop given up when the
   * current one has lasted long enough (turn-queue.ts). Without it a query's work is not cut.
   */
  pause?: Pause
  /** Rank every match, never the page from part of them (pageOfAllWords, pageOfBest): what tests and benches compare it with. */
  exhaustive?: boolean
  /** Matches from which a query ordered by score alone is ranked from its best (pageOfBest; PRUNED_FROM_MATCHES unless given): tests lower it to reach that path on a small index. */
  pruneFrom?: number
  /** Told which matches were ranked for the page: those holding every word or those whose bound reaches the page (the others counted, not scored), or all. */
  onRanking?: (ranked: RankedMatches) => void
}

export type RankedMatches = 'allWords' | 'best' | 'all'

/**
 * Runs a query under the index's gate (index-gate.ts): it reads the index over several turns
 * of the event loop, and a live change waits for it rather than landing halfway.
 */
export async function search (snapshot: Snapshot, request: SearchRequest, ranking: RankingConfig = defaultRanking, queryOptions: QueryOptions = defaultQueryOptions, execution: SearchExecution = {}): Promise<SearchResponse> {
  return await gateOf(snapshot.miniSearch).read(async () => {
    const lease = new MatchBufferLease()
    try {
      return await searchWith(lease, snapshot, request, ranking, queryOptions, execution)
    } finally {
      lease.release() // the response holds no match array: the next query may use them
    }
  })
}

async function searchWith (lease: MatchBufferLease, snapshot: Snapshot, request: SearchRequest, ranking: RankingConfig, queryOptions: QueryOptions, execution: SearchExecution): Promise<SearchResponse> {
  const started = performance.now()
  const prepared = await prepareQuery(snapshot, request, ranking, queryOptions, execution.pause)
  const { plan } = prepared
  const fromAllWords = await pageOfAllWords(lease, snapshot, prepared, request, execution)
  const fromBest = fromAllWords === undefined ? await pageOfBest(lease, snapshot, prepared, request, execution) : undefined
  execution.onRanking?.(fromAllWords !== undefined ? 'allWords' : fromBest !== undefined ? 'best' : 'all')
  const ranked = fromAllWords ?? fromBest ?? (await pageOfAll(lease, snapshot, prepared, request, ranking, queryOptions, execution))
  const { results, phrases, page, total, totalGroups } = ranked
  await execution.pause?.()
  const counts = bodyTermCounts(snapshot.miniSearch, plan.markTerms)
  const marking = snippetQueryOf(snapshot, plan.markTerms, phrases)
  const hits = await Promise.all(page.map(async ({ found, duplicates }) => {
    const hit = await toHit(snapshot, found, marking, counts(found.result.id))
    return duplicates === undefined ? hit : { ...hit, duplicates }
  }))
  const totalAllWords = ranked.totalAllWords ?? results.countHolding(plan.words.length)
  if (request.facets === true) await execution.pause?.()
  return {
    query: request.q,
    total,
    ...(totalGroups === undefined ? {} : { totalGroups }),
    tookMs: round(performance.now() - started),
    hits,
    ...(plan.corrections.length === 0 ? {} : { corrections: plan.corrections }),
    ...(plan.layoutFixed ? { layoutFixed: true } : {}),
    ...(plan.interpretedAs === undefined ? {} : { interpretedAs: plan.interpretedAs }),
    ...(phrases?.dropped === undefined ? {} : { droppedPhrases: phrases.dropped }),
    ...(phrases?.checked === undefined ? {} : { phraseChecked: phrases.checked }),
    allWordsMatched: ranked.totalAllWords === undefined ? results.someHolds(plan.words.length) : ranked.totalAllWords > 0,
    totalAllWords,
    ...(request.facets === true ? facetsOf(results, totalAllWords > 0 ? plan.words.length : 0, queryOptions.facetSize, request.timeZone) : {}),
    timeZone: request.timeZone ?? DEFAULT_TIME_ZONE
  }
}

/** A query's page of hits and the counts around it. */
interface RankedPage {
  /** The ranked results the page was taken from: every match, or (pageOfAllWords) the matches holding every word. */
  results: Results
  phrases?: PhraseOutcome
  page: CollapsedHit[]
  total: number
  totalGroups?: number
  /** The matches holding every word, when `results` are not every match. */
  totalAllWords?: number
}

/** The page from every match, ranked (rankAll). */
async function pageOfAll (lease: MatchBufferLease, snapshot: Snapshot, prepared: PreparedQuery, request: SearchRequest, ranking: RankingConfig, queryOptions: QueryOptions, execution: SearchExecution): Promise<RankedPage> {
  const { results, phrases } = await rankPrepared(snapshot, prepared, request, ranking, queryOptions, execution, lease)
  await execution.pause?.()
  const { hits: page, totalGroups } = await pageOf(snapshot, results, request, execution.pause)
  return { results, ...(phrases === undefined ? {} : { phrases }), page, total: results.total, ...(totalGroups === undefined ? {} : { totalGroups }) }
}

/**
 * The requested page of `results`, near-duplicates collapsed unless the request says not to.
 * `allMatches`: every match, when `results` are only the best of them (collapse.ts).
 */
async function pageOf (snapshot: Snapshot, results: Results, request: SearchRequest, pause: Pause | undefined, allMatches?: DocumentSet): Promise<{ hits: CollapsedHit[], totalGroups?: number }> {
  if (request.collapse === false) {
    const top = await runPausing(results.selectingTop(request.offset + request.limit), pause ?? noPause)
    return { hits: top.slice(request.offset).map(({ found }): CollapsedHit => ({ found })) }
  }
  const shortIds = internalsOf(snapshot.miniSearch)?.idToShortId
  // The groups by short id are made once per build: in pieces, when this query is the first to need them.
  if (shortIds !== undefined && pause !== undefined) await prepareGroups(snapshot.duplicates, shortIds, pause)
  return await collapsedPagePausing(results, snapshot.duplicates, request.offset, request.limit, shortIds, pause ?? noPause, allMatches)
}

/**
 * The page from the matches holding every word alone, when they fill it: a short query ranks
 * them before any other match (coordination tiers), so its page is theirs whenever they are
 * enough, however many matches hold only some words. Only they are scored; the totals are
 * counted from the postings (match-universe.ts). The page, scores and counts are those of
 * pageOfAll, which answers whenever this does not: a query with phrases, a date order, a
 * recency bonus, one word only, or too few documents holding every word.
 */
async function pageOfAllWords (lease: MatchBufferLease, snapshot: Snapshot, prepared: PreparedQuery, request: SearchRequest, execution: SearchExecution): Promise<RankedPage | undefined> {
  const { plan, order } = prepared
  const words = plan.words.length
  if (execution.exhaustive === true || words < 2 || order.coordinateWords !== words || order.sort !== 'relevance' || request.recency === true || plan.phrases.length > 0) return undefined
  const index = internalsOf(snapshot.miniSearch)
  if (index === undefined) return undefined
  const { matchFilter } = prepared
  const accept = matchFilter === undefined ? undefined : acceptorOf(matchFilter, index.idToShortId, index.storedFields)
  const universe = await runPausing(matchUniverse(snapshot.miniSearch, plan.words, accept), execution.pause ?? noPause)
  const needed = request.offset + request.limit
  if (universe === undefined || universe.allWords.size < needed) return undefined
  const results = await findAll(snapshot, prepared, { ...matchFilter, only: universe.allWords }, lease, execution)
  await execution.pause?.()
  const { hits: page, totalGroups } = await pageOf(snapshot, results, request, execution.pause, universe.matches)
  if (page.length < request.limit) {
    lease.release() // the ranking over every match takes the arrays again
    return undefined
  }
  return { results, page, total: universe.matches.size, ...(totalGroups === undefined ? {} : { totalGroups }) }
}

/**
 * The page from the matches that can reach it, when the order is by score alone (a query of one
 * word, or a long one, which is not coordinated): each match's final score is bounded without
 * scoring it (score-bounds.ts); the best-bounded few are scored, and the page they make sets
 * the threshold, the score of its last hit. Only the matches whose bound reaches that
 * threshold can be on the page, so only they are ranked, and the page, scores and counts are
 * pageOfAll's. At 800,000 documents «выборы президента россии 2018» ranks 500 matches for the
 * threshold and then the 1,869 that reach it, of its 548,336; «rt», the 500 alone, of 329,310.
 * Not for what pageOfAll alone answers: phrases, a date order, a recency bonus, facets.
 */
async function pageOfBest (lease: MatchBufferLease, snapshot: Snapshot, prepared: PreparedQuery, request: SearchRequest, execution: SearchExecution): Promise<RankedPage | undefined> {
  const { plan, order, matchFilter } = prepared
  const tiered = order.coordinateWords !== undefined && plan.words.length > 1
  if (execution.exhaustive === true || tiered || order.sort !== 'relevance' || request.recency === true || request.facets === true || plan.phrases.length > 0) return undefined
  const index = internalsOf(snapshot.miniSearch)
  // Fewer matches are ranked whole sooner than bounded.
  const pruneFrom = execution.pruneFrom ?? PRUNED_FROM_MATCHES
  if (index === undefined || longestPostingList(snapshot.miniSearch, plan.words) < pruneFrom) return undefined
  const pause = execution.pause ?? noPause
  const accept = matchFilter === undefined ? undefined : acceptorOf(matchFilter, index.idToShortId, index.storedFields)
  // Counted once, for the bounds and both rankings (the second ranks what the first could not rule out).
  const coverage = prepared.ranking.titleCoverage.weight === 0 ? undefined : await titleCoveragePausing(snapshot.miniSearch, plan.words, pause)
  try {
    const bounds = await runPausing(scoreBounds(snapshot.miniSearch, boundedQueryOf(prepared, coverage), accept), pause)
    const needed = request.offset + request.limit
    const seedSize = Math.max(needed * SEED_PER_HIT, MIN_SEED)
    if (bounds === undefined || bounds.matches.size < Math.max(pruneFrom, seedSize * 2)) return undefined
    const seed = await runPausing(bounds.highest(seedSize), pause)
    const seeded = await rankedFrom(lease, snapshot, prepared, seed, execution, coverage)
    const last = (await pageOf(snapshot, seeded, request, execution.pause)).hits.at(-1)
    if (last === undefined) {
      lease.release()
      return undefined
    }
    const threshold = last.found.score
    const reaching = await runPausing(bounds.reaching(threshold, seed), pause)
    const results = reaching.notBesides === 0 ? seeded : await rankedFrom(lease, snapshot, prepared, reaching.documents, execution, coverage)
    await execution.pause?.()
    const { hits: page, totalGroups } = await pageOf(snapshot, results, request, execution.pause, bounds.matches)
    // Every match scoring at least the threshold was ranked: a full page that ends at it or above is exact.
    if (page.length < request.limit || (page.at(-1)?.found.score ?? -1) < threshold) {
      lease.release()
      return undefined
    }
    return { results, page, total: bounds.matches.size, ...(totalGroups === undefined ? {} : { totalGroups }), totalAllWords: bounds.allWords.size }
  } finally {
    coverage?.release()
  }
}

/** Best-bounded matches scored to set the threshold, per hit the page needs: enough for near-duplicates and an unlucky bound or two. */
const SEED_PER_HIT = 16
const MIN_SEED = 500

/**
 * Matches from which a query is ranked from its best: below, bounding costs more than ranking
 * every match. At 800,000 documents (the 300 bench tag queries, each the faster of 3 runs): 1k–4k
 * matches 4.7 ms bounded against 2.1 ranked whole; 4k–16k, 6.1 against 4.0; 16k–65k, 9.2 against
 * 10.5; 65k–262k, 12.5 against 23.3; more, 37.3 against 65.2.
 */
const PRUNED_FROM_MATCHES = 16_384

/** The matches in `documents` alone, ranked (in arrays lent anew: those of a ranking before are no longer read). */
async function rankedFrom (lease: MatchBufferLease, snapshot: Snapshot, prepared: PreparedQuery, documents: DocumentSet, execution: SearchExecution, coverage: TitleCoverage | undefined): Promise<RankedResults> {
  lease.release()
  const results = await findAll(snapshot, prepared, { ...prepared.matchFilter, only: documents }, lease, execution, coverage)
  await execution.pause?.()
  return results
}

/** What bounding a query's scores needs of it: the same weights and factors findAll scores with. */
function boundedQueryOf ({ plan, ranking }: PreparedQuery, coverage: TitleCoverage | undefined): BoundedQuery {
  const weights = termWeights(plan)
  const { boost, bm25 } = shapeOf(ranking, plan.words.length)
  return {
    words: plan.words,
    boost,
    bm25,
    termWeight: term => weights.get(term) ?? 1,
    factorOf: coordinationFactor(ranking),
    titleCoverage: { weight: ranking.titleCoverage.weight, byShortId: coverage?.byShortId }
  }
}

/** The final score's factor for a match holding `words` of the query's words. */
function coordinationFactor (ranking: RankingConfig): (words: number) => number {
  return words => Math.pow(words, ranking.wordCoordination)
}

/**
 * Facets over the results holding at least `words` words: every word when some result holds them all,
 * since partial matches of a common word («против») would otherwise swamp the topic counts.
 */
function facetsOf (results: Results, words: number, size: number, timeZone?: string): { facets: Facets, facetsOver: FacetsOver } {
  return { facets: countFacets(results.allFields(words), size, timeZone), facetsOver: words > 0 ? 'allWords' : 'all' }
}

/** A query as planned, with what its ranking needs besides. */
interface PreparedQuery {
  plan: QueryPlan
  filter: FieldFilter | undefined
  order: RankOptions
  options: MiniSearchOptions
  ranking: RankingConfig
  /** Found once: a page from the documents holding every word and the ranking of every match that may follow it both use it. */
  matchFilter: MatchFilter | undefined
}

/** The query planned, with what ranking it needs; `pause` awaited between pieces of finding the excluded documents. */
async function prepareQuery (snapshot: Snapshot, request: Omit<SearchRequest, 'limit' | 'offset'>, ranking: RankingConfig, queryOptions: QueryOptions, pause: Pause | undefined): Promise<PreparedQuery> {
  const plan = planQuery(request.q, snapshot.analyzer, vocabularyOf(snapshot), queryOptions, ranking.termWeights)
  if (pause !== undefined) await runPausing(decodingPostingsOf(snapshot.miniSearch, plan), pause)
  const filter = compileFilters({ from: request.from, to: request.to, tags: request.tag, source: request.source }, request.timeZone)
  const words = plan.words.length
  const order: RankOptions = {
    sort: request.sort ?? 'relevance',
    ...(queryOptions.features.coordination && isShortQuery(ranking, words) ? { coordinateWords: words } : {})
  }
  const options = miniSearchOptionsFor(ranking, words)
  return { plan, filter, order, options, ranking, matchFilter: await matchFilterOf(snapshot, plan, filter, options, pause ?? noPause) }
}

/**
 * Every matching document, ranked as the API ranks it: shared by `search` and the relevance
 * evaluation, so what is measured is what is served.
 */
export async function rankAll (snapshot: Snapshot, request: Omit<SearchRequest, 'limit' | 'offset'>, ranking: RankingConfig = defaultRanking, queryOptions: QueryOptions = defaultQueryOptions, execution: SearchExecution = {}, lease?: MatchBufferLease): Promise<{ plan: QueryPlan, results: Results, phrases?: PhraseOutcome }> {
  return await rankPrepared(snapshot, await prepareQuery(snapshot, request, ranking, queryOptions, execution.pause), request, ranking, queryOptions, execution, lease)
}

async function rankPrepared (snapshot: Snapshot, prepared: PreparedQuery, request: Omit<SearchRequest, 'limit' | 'offset'>, ranking: RankingConfig, queryOptions: QueryOptions, execution: SearchExecution, lease?: MatchBufferLease): Promise<{ plan: QueryPlan, results: Results, phrases?: PhraseOutcome }> {
  const { plan } = prepared
  const ranked = await findAll(snapshot, prepared, prepared.matchFilter, lease, execution)
  if (request.recency === true) applyRecency(ranked, ranking.recency)
  const { results, phrases } = await phraseStage(snapshot, plan, ranked, request.q, ranking, queryOptions, execution.pause)
  return { plan, results, ...(phrases === undefined ? {} : { phrases }) }
}

/** What a query's matches must pass: its day, tag and source filters, and no excluded word. */
async function matchFilterOf (snapshot: Snapshot, plan: QueryPlan, filter: FieldFilter | undefined, options: MiniSearchOptions, pause: Pause): Promise<MatchFilter | undefined> {
  const byFields = filter === undefined ? {} : { keep: filter }
  if (plan.words.length === 0 || plan.excluded.length === 0) return filter === undefined ? undefined : byFields
  const excluded = await runPausing(excludedDocuments(snapshot.miniSearch, plan.excluded), pause)
  if (excluded !== undefined) return excluded.size === 0 && filter === undefined ? undefined : { excluded, ...byFields }
  const ids = excludedIds(snapshot, plan, options)
  return ids.size === 0 && filter === undefined ? undefined : { excludedIds: ids, ...byFields }
}

/** Every match the filter keeps, scored; `titleCoverage`: the query's, when the caller counted it for several rankings (else counted here). */
async function findAll (snapshot: Snapshot, { plan, options: base, ranking, order }: PreparedQuery, matchFilter: MatchFilter | undefined, lease: MatchBufferLease | undefined, { onScoringFallback, pause }: SearchExecution, titleCoverage?: TitleCoverage): Promise<RankedResults> {
  const allocate = lease === undefined ? ownArrays : (length: number) => lease.arrays(length)
  const weights = termWeights(plan)
  const query = toMiniSearchQuery(plan)
  const options = { ...base, ...(weights.size === 0 ? {} : { boostTerm: (term: string) => weights.get(term) ?? 1 }) }
  const matches = await matchListPausing(snapshot.miniSearch, query, options, pause ?? noPause, matchFilter, onScoringFallback, allocate)
  await pause?.()
  const ownCoverage = titleCoverage !== undefined || ranking.titleCoverage.weight === 0 ? undefined : await titleCoveragePausing(snapshot.miniSearch, plan.words, pause ?? noPause)
  const coverage = titleCoverage ?? ownCoverage
  try {
    const arrays = matches.arrays ?? ownArrays(matches.length)
    const final: FinalScores = {
      scores: arrays.finalScores.subarray(0, matches.length),
      wordsMatched: arrays.wordsMatched.subarray(0, matches.length),
      countWords: wordsMatchedCounter(plan.words),
      factorOf: coordinationFactor(ranking),
      coverageWeight: ranking.titleCoverage.weight,
      coverage
    }
    await (matches.arrays !== undefined && matches.termLists !== undefined
      ? finalScoresByList(matches, matches.arrays, matches.termLists, final, pause)
      : finalScoresByMatch(matches, final, pause))
    return new RankedResults(matches, final.scores, final.wordsMatched, order)
  } finally {
    ownCoverage?.release()
  }
}

/**
 * Where ranking's final scores go, and what makes them: a match's score × its coordination
 * factor (by the number of query words it holds) × its title coverage bonus. MiniSearch's
 * quality factor (× matched terms) is left out; the per-word one applied.
 */
interface FinalScores {
  scores: Float64Array
  wordsMatched: Uint8Array
  countWords: (terms: readonly string[]) => number
  factorOf: (words: number) => number
  coverageWeight: number
  coverage: TitleCoverage | undefined
}

/**
 * The common case, as one pass over typed arrays: a match's word count and coordination
 * factor are its term list's, counted once per list (a long query's matches have many lists).
 */
async function finalScoresByList (matches: MatchList, { scores: raw, shortIds, termListOf }: MatchArrays, lists: ReadonlyArray<readonly string[]>, final: FinalScores, pause: Pause | undefined): Promise<void> {
  const { scores, wordsMatched, coverageWeight } = final
  const wordsOfList = new Uint8Array(lists.length)
  const factorOfList = new Float64Array(lists.length)
  for (const [list, terms] of lists.entries()) {
    wordsOfList[list] = final.countWords(terms)
    factorOfList[list] = final.factorOf(wordsOfList[list] as number)
  }
  const covered = final.coverage?.byShortId
  for (let at = 0; at < matches.length; at += 1) {
    if (at > 0 && at % ITEMS_BETWEEN_PAUSES === 0) await pause?.()
    const list = termListOf[at] as number
    scores[at] = (raw[at] as number) * (factorOfList[list] as number) * (1 + coverageWeight * (covered === undefined ? 0 : covered[shortIds[at] as number] ?? 0))
    wordsMatched[at] = wordsOfList[list] as number
  }
}

/** The same, match by match, for a list not held in arrays (MiniSearch's public search). */
async function finalScoresByMatch (matches: MatchList, final: FinalScores, pause: Pause | undefined): Promise<void> {
  const { scores, wordsMatched, coverageWeight, coverage } = final
  const wordCounts = new Map<readonly string[], number>() // term lists are shared between matches
  // Runs of matches share a term list (a one-word query's all do): its counts are looked up when it changes.
  let lastTerms: readonly string[] | undefined
  let words = 0
  let coordination = 1
  for (let at = 0; at < matches.length; at += 1) {
    if (at > 0 && at % ITEMS_BETWEEN_PAUSES === 0) await pause?.()
    const terms = matches.queryTerms(at)
    if (terms !== lastTerms) {
      lastTerms = terms
      let counted = wordCounts.get(terms)
      if (counted === undefined) wordCounts.set(terms, counted = final.countWords(terms))
      words = counted
      coordination = final.factorOf(words)
    }
    scores[at] = matches.score(at) * coordination * (1 + coverageWeight * (coverage?.of(matches.shortId(at)) ?? 0))
    wordsMatched[at] = words
  }
}

/** Without a caller's pause a query's work is not cut. */
const noPause: Pause = async () => {}

/** One OR group per query word; the terms are already analysed, so MiniSearch must not re-analyse them. */
function toMiniSearchQuery (plan: QueryPlan): Query {
  return {
    combineWith: 'OR',
    queries: plan.words.map(word => {
      const terms = [...word.terms.keys()]
      const group: Query = terms.length === 1 && word.field === undefined ? terms[0] as string : { combineWith: 'OR', queries: terms }
      return word.field === 'title' ? { combineWith: 'OR', queries: [group], fields: ['title'] } : group
    })
  }
}

/** Weights below 1 (other readings of a word); a term that is some word's own term keeps 1. */
function termWeights (plan: QueryPlan): Map<string, number> {
  const weights = new Map<string, number>()
  for (const word of plan.words) {
    for (const [term, weight] of word.terms) weights.set(term, Math.max(weights.get(term) ?? 0, weight))
  }
  for (const [term, weight] of weights) if (weight === 1) weights.delete(term)
  return weights
}

/** The ids excludedDocuments finds, through MiniSearch's search: for an index without MiniSearch's internal shape. */
function excludedIds (snapshot: Snapshot, plan: QueryPlan, base: MiniSearchOptions): Set<unknown> {
  const ids = new Set<unknown>()
  for (const word of plan.excluded) {
    // A negated phrase excludes the documents holding all its words, not any one of them.
    const groups = [word.terms, ...(word.together ?? [])].map((terms): Query => ({ combineWith: 'OR', queries: terms }))
    const query: Query = { combineWith: 'AND', queries: groups, ...(word.field === 'title' ? { fields: ['title'] } : {}) }
    for (const result of snapshot.miniSearch.search(query, base)) ids.add(result.id)
  }
  return ids
}

/** MiniSearch's options for a query of `words` words: its shape's field weights and BM25; terms come analysed. */
function miniSearchOptionsFor (ranking: RankingConfig, words: number): MiniSearchOptions {
  const shape = shapeOf(ranking, words)
  return {
    tokenize: term => [term],
    processTerm: term => term,
    boost: shape.boost,
    bm25: shape.bm25
  }
}

/** What the page's snippets and headlines mark: the query's terms, found among their forms' candidates. */
export function snippetQueryOf (snapshot: Snapshot, markTerms: ReadonlySet<string>, phrases?: PhraseOutcome): SnippetQuery {
  const query = { terms: markTerms, analyzer: snapshot.analyzer, forms: snapshot.forms.keySet(markTerms) }
  return phrases === undefined || phrases.held.length === 0 ? query : { ...query, phrases: phrases.held }
}

async function toHit (snapshot: Snapshot, { result, score }: Found, marking: SnippetQuery, bodyCounts: TermCounts | undefined): Promise<SearchHit> {
  const stored = result as unknown as SearchResult & StoredFields
  return {
    id: String(result.id),
    title: stored.title,
    titleHtml: markAll(stored.title, marking),
    kind: stored.kind,
    ...(stored.url === undefined ? {} : { url: stored.url }),
    ...(stored.date === undefined ? {} : { date: stored.date }),
    ...(stored.source === undefined ? {} : { source: stored.source }),
    ...(stored.tags === undefined ? {} : { tags: stored.tags }),
    // The score results are ordered by (coordination, recency), not MiniSearch's raw one.
    score: round(score),
    snippet: await snippetOf(snapshot, stored, marking, bodyCounts)
  }
}

/** Body characters read first for a snippet; the whole body only when they do not settle it. */
const SNIPPET_OPENING_CHARS = 3000

/** From the body (its opening when that settles it), else from the headline. */
async function snippetOf (snapshot: Snapshot, stored: StoredFields, marking: SnippetQuery, counts: TermCounts | undefined): Promise<string> {
  if (stored.kind === 'headline') return makeSnippet(stored.title, marking)
  if (counts !== undefined) {
    const { body, bodyLength } = await snapshot.documents.readBodyOpening(stored, SNIPPET_OPENING_CHARS)
    if (bodyLength === 0) return makeSnippet(stored.title, marking)
    if (body.length === bodyLength) return makeSnippet(body, marking, {}, counts)
    const fromOpening = snippetFromPrefix(body, bodyLength, marking, counts)
    if (fromOpening !== undefined) return fromOpening
  }
  const body = await snapshot.documents.readBody(stored)
  return body === '' ? makeSnippet(stored.title, marking) : makeSnippet(body, marking, {}, counts)
}

function round (value: number): number {
  return Math.round(value * 1000) / 1000
}
