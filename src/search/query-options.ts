/**
 * Switches, weights and bounds of query understanding and narrowing, in one place. Every
 * feature can be turned off (the benchmark compares on and off); every bound caps the
 * work one query can cause, so no query can stall the server.
 */

export interface QueryFeatures {
  /** `"phrase"`, `-word`, `title:word`; off: every word is a plain word. */
  syntax: boolean
  /** Wrong keyboard layout («lehjd» → «дуров»). */
  layout: boolean
  /** Latin ↔ Cyrillic spellings («durov» → «дуров», «телеграм» → «telegram»). */
  transliteration: boolean
  /** Typo tolerance («Дуроф» → «Дуров»). */
  fuzzy: boolean
  /** Documents holding every query word rank above those holding only some. */
  coordination: boolean
}

export interface QueryLimits {
  /** Query words beyond this are ignored. */
  maxWords: number
  /** At most this many words get typo candidates. */
  maxFuzzyWords: number
  /** Typo candidates added per word. */
  maxFuzzyExpansions: number
  /** A word is typo-corrected only when it is found in fewer documents than this. */
  fuzzyWhenFewerThan: number
  /** At most this many words get transliteration candidates. */
  maxTransliteratedWords: number
  /** Latin words shorter than this are not transliterated (abbreviations, noise). */
  minTransliterationLength: number
  /** A word found nowhere is layout-converted only from this many letters. */
  minLayoutLetters: number
  /** Phrase order is checked in at most this many best candidates (documents are read from disk). */
  maxPhraseCandidates: number
  /**
   * Coordination (all words first) applies to queries of at most this many words. A longer
   * query is usually a pasted headline, matched best by relevance alone: tiering it cut
   * known-item MRR@10 from 0.613 to 0.540, while on tag queries it helps (0.582 → 0.584);
   * tiering 4-word queries too measured slightly worse on tags (0.5971 → 0.5967).
   */
  maxCoordinatedWords: number
}

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

export interface QueryOptions {
  features: QueryFeatures
  limits: QueryLimits
  weights: TermWeights
  recency: RecencyOptions
  /** Values per facet in the response. */
  facetSize: number
}

export const defaultQueryOptions: QueryOptions = {
  features: { syntax: true, layout: true, transliteration: true, fuzzy: true, coordination: true },
  limits: {
    maxWords: 32,
    maxFuzzyWords: 4,
    maxFuzzyExpansions: 3,
    fuzzyWhenFewerThan: 2,
    maxTransliteratedWords: 4,
    minTransliterationLength: 3,
    minLayoutLetters: 3,
    maxPhraseCandidates: 100,
    maxCoordinatedWords: 3
  },
  weights: { transliteration: 0.3, fuzzy: 0.4 },
  recency: { halfLifeDays: 30, weight: 0.5 },
  facetSize: 20
}

/** Every feature off: the plain keyword search of the core issue (for benchmarks). */
export const plainQueryOptions: QueryOptions = {
  ...defaultQueryOptions,
  features: { syntax: false, layout: false, transliteration: false, fuzzy: false, coordination: false }
}
