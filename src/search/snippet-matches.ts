/**
 * The tokens of a text that carry a query term, for snippets: the hot path of a search (one
 * body per hit). Analysing every body token costs a cache lookup each (~900 per rt article),
 * so when the index says how many tokens of the body carry each query term (its term
 * frequencies), only candidate tokens are analysed: those whose first two letters, case-folded,
 * are those of a query term or of a form seen carrying it before («люди» for «человек»). The
 * candidates' matches are complete exactly when their counts reach the index's counts; when
 * they do not (a form never seen), the whole text is analysed, as without counts, and the
 * forms found teach the filter. Either way the result is the full list of matching tokens —
 * or, with a `passage`, the list up to the first passage that holds every query term the
 * text holds: no later passage can hold more distinct terms (what a snippet is chosen by), so
 * the rest of a long body need not be read for its snippet. Counts certify only a whole
 * text, so such a list may miss a form the filter has not learnt: the snippet marks its
 * shown window from `matchesBetween`.
 */
import type { AnalyzedToken, Analyzer } from '../analysis/analyzer.js'
import { scanTokens } from '../analysis/scan-tokens.js'

/** How many tokens of the text carry `term` (the index's term frequency); undefined when unknown. */
export type TermCounts = (term: string) => number | undefined

/** Bounds the learnt first-letter keys kept per analyzer (a handful per query term). */
const MAX_LEARNT_TERMS = 100_000

const learntKeys = new WeakMap<Analyzer, Map<string, Set<number>>>()

/** Stop once a passage of `span` characters from a match holds every query term of the text, having read `length` characters from that match. */
export interface PassageStop {
  span: number
  length: number
}

export function matchingTokens (text: string, queryTerms: ReadonlySet<string>, analyzer: Analyzer, counts?: TermCounts, passage?: PassageStop): AnalyzedToken[] {
  if (counts !== undefined) {
    const found = candidateMatches(text, queryTerms, analyzer, counts, passage)
    if (found !== undefined) return found.matches
  }
  return allMatches(text, queryTerms, analyzer)
}

/** Every token analysed; the forms found are remembered for the candidate filter. */
function allMatches (text: string, queryTerms: ReadonlySet<string>, analyzer: Analyzer): AnalyzedToken[] {
  const matches: AnalyzedToken[] = []
  scanTokens(text, (start, end) => {
    const terms = analyzer.termsAt(text, start, end)
    let matched = false
    for (const term of terms) {
      if (!queryTerms.has(term)) continue
      matched = true
      learn(analyzer, term, keyAt(text, start, end))
    }
    if (matched) matches.push({ text: text.slice(start, end), start, end, terms })
  })
  return matches
}

/**
 * For the opening of a longer text (`prefix`, cut at a word boundary): its matches when they
 * settle the snippet — a passage holding every query term the whole text holds, and
 * `passage.length` characters after its start, all within the prefix — else undefined: the
 * rest of the text is needed. `counts` are the whole text's.
 */
export function prefixMatches (prefix: string, queryTerms: ReadonlySet<string>, analyzer: Analyzer, counts: TermCounts, passage: PassageStop): AnalyzedToken[] | undefined {
  const found = candidateMatches(prefix, queryTerms, analyzer, counts, passage)
  // Strictly inside: a window ending exactly at the prefix's end would not be snapped back to a space as in the whole text.
  return found !== undefined && found.readTo < prefix.length ? found.matches : undefined
}

/**
 * The matches among candidate tokens: all of them (`readTo` infinity), or those up to where a
 * passage stop ended the scan (`readTo`); undefined when a whole scan cannot show they are all.
 */
function candidateMatches (text: string, queryTerms: ReadonlySet<string>, analyzer: Analyzer, counts: TermCounts, passage?: PassageStop): { matches: AnalyzedToken[], readTo: number } | undefined {
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
  const keys = candidateKeys(queryTerms, analyzer)
  const passageEnd = passage === undefined ? undefined : passageFinder(termsLeft, passage)
  let readTo = Number.POSITIVE_INFINITY
  let consistent = true
  let stopped = false
  scanTokens(text, (start, end, joined) => {
    if (start >= readTo) {
      stopped = true
      return false
    }
    // A hyphenated word also carries the terms of its parts, so it is always a candidate.
    if (!joined && !keys.has(keyAt(text, start, end))) return true
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

/**
 * Every match in text[start, end), every token analysed (forms found teach the filter): a
 * snippet's shown window is marked from these, since a passage stop leaves the candidates
 * uncertified (a form the filter has not learnt yet may sit in the window).
 */
export function matchesBetween (text: string, start: number, end: number, queryTerms: ReadonlySet<string>, analyzer: Analyzer): AnalyzedToken[] {
  // A little past the end, so that a word crossing it is seen whole (and then left out).
  const part = text.slice(start, Math.min(text.length, end + MAX_CROSSING))
  return allMatches(part, queryTerms, analyzer)
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

function candidateKeys (queryTerms: ReadonlySet<string>, analyzer: Analyzer): Set<number> {
  const learnt = learntKeys.get(analyzer)
  const keys = new Set<number>()
  for (const term of queryTerms) {
    keys.add(keyAt(term, 0, term.length))
    for (const key of learnt?.get(term) ?? []) keys.add(key)
  }
  return keys
}

function learn (analyzer: Analyzer, term: string, key: number): void {
  let learnt = learntKeys.get(analyzer)
  if (learnt === undefined) {
    learnt = new Map()
    learntKeys.set(analyzer, learnt)
  }
  let keys = learnt.get(term)
  if (keys === undefined) {
    if (learnt.size >= MAX_LEARNT_TERMS) learnt.clear()
    keys = new Set()
    learnt.set(term, keys)
  }
  keys.add(key)
}

let foldTable: Uint16Array | undefined

/** Lower case and ё → е per UTF-16 unit, as `normalize` folds words (built on first use). */
function folds (): Uint16Array {
  if (foldTable !== undefined) return foldTable
  const table = new Uint16Array(0x10000)
  for (let code = 0; code < 0x10000; code += 1) {
    const lower = String.fromCharCode(code).toLowerCase()
    table[code] = lower.length === 1 ? lower.charCodeAt(0) : code
  }
  table[0x401] = 0x435
  table[0x451] = 0x435
  foldTable = table
  return table
}

/** The first two UTF-16 units of `text[start, end)`, case-folded, as one number. */
function keyAt (text: string, start: number, end: number): number {
  const table = folds()
  const first = table[text.charCodeAt(start)] as number
  const second = start + 1 < end ? table[text.charCodeAt(start + 1)] as number : 0
  return first * 0x10000 + second
}
