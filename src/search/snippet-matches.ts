/**
 * The tokens of a text that carry a query term, for snippets: the hot path of a search (one
 * body per hit). Analysing a token costs a lookup in the analyzer's cache (~900 tokens per rt
 * article, most of them cache misses), so only candidate tokens are analysed: with the index's
 * form keys (`SnippetQuery.forms`, from form-table.ts), those whose key is the key of a form
 * the build saw carrying a query term — a complete filter, «люди» included for «человек».
 * When the index also says how many tokens of the body carry each query term (its term
 * frequencies), the scan stops once all of them are found, or, with a `passage`, at the first
 * passage that holds every query term the text holds: no later passage can hold more distinct
 * terms (what a snippet is chosen by), so the rest of a long body need not be read. Matches
 * that do not add up to the index's counts mean the text is not what was indexed, and then
 * every token is analysed.
 */
import type { AnalyzedToken, Analyzer } from '../analysis/analyzer.js'
import type { FormKeySet } from '../analysis/form-key.js'
import type { Phrase } from './phrase.js'
import { scanTokens } from '../analysis/scan-tokens.js'

/** What a snippet marks. */
export interface SnippetQuery {
  terms: ReadonlySet<string>
  analyzer: Analyzer
  /** The keys of every form that carries one of `terms` in the index; without them every token is analysed. */
  forms?: FormKeySet
  /** The query's quoted phrases: a snippet shows an occurrence of one when the text holds it. */
  phrases?: readonly Phrase[]
}

/** How many tokens of the text carry `term` (the index's term frequency); undefined when unknown. */
export type TermCounts = (term: string) => number | undefined

/** Stop once a passage of `span` characters from a match holds every query term of the text, having read `length` characters from that match. */
export interface PassageStop {
  span: number
  length: number
}

export function matchingTokens (text: string, query: SnippetQuery, counts?: TermCounts, passage?: PassageStop): AnalyzedToken[] {
  if (counts !== undefined) {
    const found = countedMatches(text, query, counts, passage)
    if (found !== undefined) return found.matches
    return allMatches(text, { ...query, forms: undefined })
  }
  return allMatches(text, query)
}

/** Every match: every candidate token analysed (every token, without form keys). */
function allMatches (text: string, { terms: queryTerms, analyzer, forms }: SnippetQuery): AnalyzedToken[] {
  const matches: AnalyzedToken[] = []
  scanTokens(text, (start, end) => {
    if (forms !== undefined && !forms.mayHold(text, start, end)) return
    const terms = analyzer.termsAt(text, start, end)
    for (const term of terms) {
      if (!queryTerms.has(term)) continue
      matches.push({ text: text.slice(start, end), start, end, terms })
      return
    }
  })
  return matches
}

/**
 * For the opening of a longer text (`prefix`, cut at a word boundary): its matches when they
 * settle the snippet — a passage holding every query term the whole text holds, and
 * `passage.length` characters after its start, all within the prefix — else undefined: the
 * rest of the text is needed. `counts` are the whole text's.
 */
export function prefixMatches (prefix: string, query: SnippetQuery, counts: TermCounts, passage: PassageStop): AnalyzedToken[] | undefined {
  const found = countedMatches(prefix, query, counts, passage)
  // Strictly inside: a window ending exactly at the prefix's end would not be snapped back to a space as in the whole text.
  return found !== undefined && found.readTo < prefix.length ? found.matches : undefined
}

/**
 * The matches among candidate tokens, counted against the index: all of them (`readTo`
 * infinity), or those up to where a passage stop ended the scan (`readTo`); undefined when
 * they do not add up to the counts.
 */
function countedMatches (text: string, { terms: queryTerms, analyzer, forms }: SnippetQuery, counts: TermCounts, passage?: PassageStop): { matches: AnalyzedToken[], readTo: number } | undefined {
  const left = new Map<string, number>()
  let termsLeft = 0
  for (const term of queryTerms) {
    const count = counts(term)
    if (count === undefined) return undefined
    left.set(term, count)
    if (count > 0) termsLeft += 1
  }
  const matches: AnalyzedToken[] = []
  if (termsLeft === 0) return { matches, readTo: Number.POSITIVE_INFINITY }
  const passageEnd = passage === undefined ? undefined : passageFinder(termsLeft, passage)
  let readTo = Number.POSITIVE_INFINITY
  let consistent = true
  let stopped = false
  scanTokens(text, (start, end) => {
    if (start >= readTo) {
      stopped = true
      return false
    }
    if (forms !== undefined && !forms.mayHold(text, start, end)) return true
    const terms = analyzer.termsAt(text, start, end)
    let matched = false
    for (const term of terms) {
      const count = left.get(term)
      if (count === undefined) continue
      if (count === 0) {
        consistent = false // more matches than the index counted: the text is not what was indexed
        return false
      }
      matched = true
      left.set(term, count - 1)
      if (count === 1) termsLeft -= 1
    }
    if (matched) {
      matches.push({ text: text.slice(start, end), start, end, terms })
      if (passageEnd !== undefined && readTo === Number.POSITIVE_INFINITY) readTo = passageEnd(terms, start, end, left)
    }
    // Every counted match found: no later token can carry a query term.
    return termsLeft > 0
  })
  if (!consistent) return undefined
  if (stopped) return { matches, readTo }
  return termsLeft === 0 ? { matches, readTo: Number.POSITIVE_INFINITY } : undefined
}

/** Every match in text[start, end): the tokens a snippet's shown window marks. */
export function matchesBetween (text: string, start: number, end: number, query: SnippetQuery): AnalyzedToken[] {
  // A little past the end, so that a word crossing it is seen whole (and then left out).
  const part = text.slice(start, Math.min(text.length, end + MAX_CROSSING))
  return allMatches(part, query)
    .filter(token => token.end <= end - start)
    .map(token => ({ ...token, start: token.start + start, end: token.end + start }))
}

/** How far past a window's end a word crossing it is read. */
const MAX_CROSSING = 64

/**
 * Follows the latest match of each query term the text holds; once some passage of
 * `span` characters holds all of them, says how far to read (infinity until then).
 */
function passageFinder (termsInText: number, { span, length }: PassageStop): (terms: readonly string[], start: number, end: number, queryTerms: { has: (term: string) => boolean }) => number {
  const latest = new Map<string, number>()
  return (terms, start, end, queryTerms) => {
    for (const term of terms) if (queryTerms.has(term)) latest.set(term, start)
    if (latest.size < termsInText) return Number.POSITIVE_INFINITY
    let first = start
    for (const at of latest.values()) first = Math.min(first, at)
    return end - first <= span ? first + length : Number.POSITIVE_INFINITY
  }
}
