/**
 * Switches and bounds of query understanding and narrowing, in one place. Every feature can
 * be turned off (the benchmark compares on and off); every bound caps the work one query can
 * cause, so no query can stall the server. How results are ranked — weights, BM25, the
 * word-count threshold, recency — is `ranking.ts`.
 */
import { MAX_QUERY_WORDS } from './query/query-syntax.js'
import type { Synonyms } from './synonyms.js'

export interface QueryFeatures {
  /** `"phrase"`, `-word`, `title:word`; off: every word is a plain word. */
  syntax: boolean
  /** Wrong keyboard layout («lehjd» → «дуров»). */
  layout: boolean
  /** Latin ↔ Cyrillic spellings («durov» → «дуров», «телеграм» → «telegram»). */
  transliteration: boolean
  /** Typo tolerance («Дуроф» → «Дуров»). */
  fuzzy: boolean
  /** Short queries' documents holding every word rank above those holding only some (`RankingConfig.shortQueryMaxWords`). */
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
  /**
   * A Latin and a Cyrillic spelling are the same name, searched at full weight either way, when
   * the index holds the Cyrillic one in at least this many times the documents of the Latin one
   * (`isSameName` in word-variants.ts); other readings in the other script keep
   * `termWeights.transliteration`.
   */
  sameNameRatio: number
  /**
   * A Cyrillic word's Latin spelling counts as the same name only when the index holds it in
   * at least 1/this of the Cyrillic word's documents: «trump» is 0.18 of «трамп», «putin» 0.05
   * of «путин», while «rossii» (a link's slug) is 0.002 of «россия» and «protiv» 0.0006 of «против».
   */
  sameNameMaxRatio: number
  /**
   * A spelling in the other script is the same name only when at least this share of the
   * Latin spelling's documents also hold the Cyrillic one: an article naming Trump in an English
   * quote names «Трамп» too (263 of 264 on rt), while «mask» in «Jake's mask» or «The Mask» never
   * stands beside «Маск» (0 of 3), nor «tesla» beside «Тесла», nor «Sberbank CIB» (an analyst's
   * affiliation) beside «Сбербанк» (1 of 15).
   */
  sameNameMinCooccurrence: number
  /** A word found nowhere is layout-converted only from this many letters. */
  minLayoutLetters: number
  /**
   * Phrase order is checked in at most this many best candidates (those holding every phrase
   * word; each is read): beyond it the response says how many were checked. rt's commonest
   * phrases check a few thousand in well under a second.
   */
  maxPhraseCandidates: number
}

export interface QueryOptions {
  features: QueryFeatures
  limits: QueryLimits
  /** Values per facet in the response. */
  facetSize: number
  /** SYNONYMS_FILE's rules (the search route reads the live ones per request); none when not given. */
  synonyms?: Synonyms
}

export const defaultQueryOptions: QueryOptions = {
  features: { syntax: true, layout: true, transliteration: true, fuzzy: true, coordination: true },
  limits: {
    maxWords: MAX_QUERY_WORDS,
    maxFuzzyWords: 4,
    maxFuzzyExpansions: 3,
    fuzzyWhenFewerThan: 2,
    maxTransliteratedWords: 4,
    minTransliterationLength: 3,
    sameNameRatio: 3,
    sameNameMaxRatio: 50,
    sameNameMinCooccurrence: 0.25,
    minLayoutLetters: 3,
    maxPhraseCandidates: 20_000
  },
  facetSize: 20
}

/** Every feature off: the plain keyword search of the core issue (for benchmarks). */
export const plainQueryOptions: QueryOptions = {
  ...defaultQueryOptions,
  features: { syntax: false, layout: false, transliteration: false, fuzzy: false, coordination: false }
}
