/**
 * The Russian analysis pipeline: raw token → normalised word → index terms.
 *
 * Documents and queries go through exactly the same path, so a query word in any case
 * form reaches the same terms as the document's forms. The `reducer` (Snowball by default)
 * maps a normalised word to one or more terms; several terms mean an ambiguous word, which
 * the query builder ORs within the word. Analyses are cached per normalised word: news text
 * repeats its vocabulary heavily, and the cache keys are flat copies so that a cached word
 * never keeps a whole article body alive.
 */
import { ownCopy } from './own-copy.js'
import { normalize } from './normalize.js'
import { snowballWithNames } from './stem.js'
import { isStopword } from './stopwords.js'
import { TokenTable } from './token-table.js'
import { hyphenParts, MAX_TOKEN_LENGTH, tokenize, tokenizeToStrings, type Token } from './tokenize.js'

/** Maps a normalised, non-stopword word to its index terms. */
export type Reducer = (normalizedWord: string) => string[]

export interface AnalyzerOptions {
  /** Identifies the reducer in the analyzer version stored with every index. */
  name: string
  reducer: Reducer
  /** Upper bound of the per-word cache; it is cleared when full. */
  maxCacheSize: number
}

/**
 * Bump when normalisation, tokenising, stop words or the stemmer change: an index built by
 * another version is rebuilt, never silently used.
 */
export const PIPELINE_VERSION = 1

const defaultAnalyzerOptions: AnalyzerOptions = {
  name: 'snowball',
  reducer: snowballWithNames,
  maxCacheSize: 500_000
}

export interface Analyzer {
  /** Stored in the index manifest; see PIPELINE_VERSION. */
  readonly version: string
  /** Index terms of one raw token; empty for stopwords and junk. */
  termsOf: (rawToken: string) => string[]
  /** `termsOf(text.slice(start, end))`, found without cutting the token out when it was seen before. */
  termsAt: (text: string, start: number, end: number) => string[]
  /**
   * The same terms as `termsOf`, without its per-raw-token cache: for a caller that keeps
   * its own (a build's term counter), so the raw token is not cached twice.
   */
  analyzeToken: (rawToken: string) => string[]
  /**
   * The same terms again, cached nowhere: for a caller that analyses each of many words once
   * (a server's headline vocabulary, half a million words at 800,000 documents), which would
   * otherwise fill the caches with words no query asks for and the heap with their arrays.
   */
  analyzeTokenUncached: (rawToken: string) => string[]
  /** MiniSearch's `tokenize` option. */
  tokenize: (text: string) => string[]
  /** Tokens with offsets and their terms, for snippets and query parsing. */
  analyzeWithOffsets: (text: string) => AnalyzedToken[]
}

export interface AnalyzedToken extends Token {
  terms: string[]
}

export function createAnalyzer (options: Partial<AnalyzerOptions> = {}): Analyzer {
  const { name, reducer, maxCacheSize } = { ...defaultAnalyzerOptions, ...options }
  const cache = new Map<string, string[]>()

  const reduceWord = (word: string): string[] => {
    if (isStopword(word)) return []
    const cached = cache.get(word)
    if (cached !== undefined) return cached
    if (cache.size >= maxCacheSize) cache.clear()
    // A slice of a field's text would keep the whole text cached with it.
    const key = ownCopy(word)
    const terms = unique(reducer(key))
    cache.set(key, terms)
    return terms
  }

  // Raw forms repeat even more than normalised ones; this cache skips normalising them. Its
  // table finds a token inside a longer text (a snippet's body) from the text's characters.
  let rawTokens = new TokenTable()
  let rawTerms: string[][] = []
  const termsAt = (text: string, start: number, end: number): string[] => {
    const token = rawTokens.numberOf(text, start, end)
    if (token < rawTerms.length) return rawTerms[token] as string[]
    const terms = analyzeToken(text.slice(start, end))
    rawTerms.push(terms)
    if (rawTerms.length >= maxCacheSize) {
      rawTokens = new TokenTable()
      rawTerms = []
    }
    return terms
  }
  const termsOf = (rawToken: string): string[] => termsAt(rawToken, 0, rawToken.length)

  const analyzeWith = (reduce: (word: string) => string[]) => (rawToken: string): string[] => {
    const word = normalize(rawToken)
    if (word.length === 0 || word.length > MAX_TOKEN_LENGTH) return []
    const parts = hyphenParts(word)
    if (parts.length === 0) return reduce(word)
    // «экс-советника» is found by «экс-советник» and by «советник» alike.
    return unique([...reduce(word), ...parts.flatMap(reduce)])
  }
  const analyzeToken = analyzeWith(reduceWord)
  const analyzeTokenUncached = analyzeWith(word => isStopword(word) ? [] : unique(reducer(word)))

  return {
    version: `${name}-p${PIPELINE_VERSION}`,
    termsOf,
    termsAt,
    analyzeToken,
    analyzeTokenUncached,
    tokenize: tokenizeToStrings,
    analyzeWithOffsets: text => tokenize(text).map(token => ({ ...token, terms: termsOf(token.text) }))
  }
}

function unique (terms: string[]): string[] {
  return terms.length < 2 ? terms : [...new Set(terms)]
}

