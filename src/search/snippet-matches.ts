/**
 * The tokens of a text that carry a query term, for snippets: the hot path of a search (one
 * body per hit). Analysing every body token costs a cache lookup each (~900 per rt article),
 * so when the index says how many tokens of the body carry each query term (its term
 * frequencies), only candidate tokens are analysed: those whose first two letters, case-folded,
 * are those of a query term or of a form seen carrying it before («люди» for «человек»). The
 * candidates' matches are complete exactly when their counts reach the index's counts; when
 * they do not (a form never seen), the whole text is analysed, as without counts, and the
 * forms found teach the filter. Either way the result is the full list of matching tokens.
 */
import type { AnalyzedToken, Analyzer } from '../analysis/analyzer.js'
import { scanTokens } from '../analysis/scan-tokens.js'

/** How many tokens of the text carry `term` (the index's term frequency); undefined when unknown. */
export type TermCounts = (term: string) => number | undefined

/** Bounds the learnt first-letter keys kept per analyzer (a handful per query term). */
const MAX_LEARNT_TERMS = 100_000

const learntKeys = new WeakMap<Analyzer, Map<string, Set<number>>>()

export function matchingTokens (text: string, queryTerms: ReadonlySet<string>, analyzer: Analyzer, counts?: TermCounts): AnalyzedToken[] {
  if (counts !== undefined) {
    const found = candidateMatches(text, queryTerms, analyzer, counts)
    if (found !== undefined) return found
  }
  return allMatches(text, queryTerms, analyzer)
}

/** Every token analysed; the forms found are remembered for the candidate filter. */
function allMatches (text: string, queryTerms: ReadonlySet<string>, analyzer: Analyzer): AnalyzedToken[] {
  const matches: AnalyzedToken[] = []
  scanTokens(text, (start, end) => {
    const token = text.slice(start, end)
    const terms = analyzer.termsOf(token)
    let matched = false
    for (const term of terms) {
      if (!queryTerms.has(term)) continue
      matched = true
      learn(analyzer, term, keyAt(text, start, end))
    }
    if (matched) matches.push({ text: token, start, end, terms })
  })
  return matches
}

/** The matches among candidate tokens, or undefined when they cannot be shown to be all of them. */
function candidateMatches (text: string, queryTerms: ReadonlySet<string>, analyzer: Analyzer, counts: TermCounts): AnalyzedToken[] | undefined {
  const left = new Map<string, number>()
  let termsLeft = 0
  for (const term of queryTerms) {
    const count = counts(term)
    if (count === undefined) return undefined
    left.set(term, count)
    if (count > 0) termsLeft += 1
  }
  const matches: AnalyzedToken[] = []
  if (termsLeft === 0) return matches
  const keys = candidateKeys(queryTerms, analyzer)
  let consistent = true
  scanTokens(text, (start, end, joined) => {
    // A hyphenated word also carries the terms of its parts, so it is always a candidate.
    if (!joined && !keys.has(keyAt(text, start, end))) return true
    const token = text.slice(start, end)
    const terms = analyzer.termsOf(token)
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
    if (matched) matches.push({ text: token, start, end, terms })
    // Every counted match found: no later token can carry a query term.
    return termsLeft > 0
  })
  return consistent && termsLeft === 0 ? matches : undefined
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
