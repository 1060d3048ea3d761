/**
 * Query-dependent snippets: the first passage of a text with the most distinct query terms,
 * with the matched word forms wrapped in <mark>. The text is re-analysed with the same
 * analyzer as the index (only its candidate tokens: snippet-matches.ts), so «Дурова» is
 * marked for the query «Дуров»; offsets come from
 * the tokenizer, never from a RegExp built from user input, and everything outside the
 * marks is HTML-escaped.
 */
import type { AnalyzedToken } from '../analysis/analyzer.js'
import { phraseOccurrence, type PhraseOccurrence } from './phrase.js'
import { matchesBetween, matchingTokens, prefixMatches, type SnippetQuery, type TermCounts } from './snippet-matches.js'

export interface SnippetOptions {
  /** Target passage length in characters. */
  length: number
  /** Characters of context kept before the first match of the passage. */
  leadingContext: number
}

export const defaultSnippetOptions: SnippetOptions = { length: 240, leadingContext: 60 }

const ELLIPSIS = '…'

/** `counts`: how many tokens of `text` carry each term, when the index knows (it saves analysing most of them). */
export function makeSnippet (text: string, query: SnippetQuery, options: Partial<SnippetOptions> = {}, counts?: TermCounts): string {
  const { length, leadingContext } = { ...defaultSnippetOptions, ...options }
  const phrase = text.length > length ? firstPhrase(text, query) : undefined
  if (phrase !== undefined) return renderAt(text, text.length, phrase.start, query, length, leadingContext)
  // Reading on past the first passage holding every query term could not give a better one.
  const matches = matchingTokens(text, query, counts, { span: length - leadingContext, length })
  return render(text, text.length, matches, query, length, leadingContext)
}

/**
 * The snippet of a long text from its opening alone (`prefix`, cut at a word boundary), when
 * the opening settles it (see `prefixMatches`); undefined when the whole text is needed.
 * `counts` are the whole text's, as the index holds them.
 */
export function snippetFromPrefix (prefix: string, textLength: number, query: SnippetQuery, counts: TermCounts, options: Partial<SnippetOptions> = {}): string | undefined {
  const { length, leadingContext } = { ...defaultSnippetOptions, ...options }
  if (textLength <= length) return undefined
  if (query.phrases !== undefined && query.phrases.length > 0) {
    // Settled by the opening only when a phrase occurs there with a whole window after it.
    const phrase = firstPhrase(prefix, query)
    if (phrase === undefined || phrase.start + length >= prefix.length) return undefined
    return renderAt(prefix, textLength, phrase.start, query, length, leadingContext)
  }
  const matches = prefixMatches(prefix, query, counts, { span: length - leadingContext, length })
  return matches === undefined ? undefined : render(prefix, textLength, matches, query, length, leadingContext)
}

/**
 * `text` may be the opening of a text of `textLength` characters holding the chosen window.
 * A long text's window is chosen from `matches` and marked from its own tokens (`matches`
 * end where a passage stop ended the scan, which may be inside the window).
 */
function render (text: string, textLength: number, matches: AnalyzedToken[], query: SnippetQuery, length: number, leadingContext: number): string {
  if (textLength <= length) return renderMarked(text, matches, 0, text.length)
  const [start, end] = chooseWindow(text, matches, query.terms, length, leadingContext)
  return renderWindow(text, textLength, start, end, query)
}

/** The window of a long text starting `leadingContext` before `first` (a phrase's start), snapped to word edges. */
function renderAt (text: string, textLength: number, first: number, query: SnippetQuery, length: number, leadingContext: number): string {
  const start = snapStart(text, Math.max(0, first - leadingContext), first)
  return renderWindow(text, textLength, start, snapEnd(text, Math.min(text.length, start + length)), query)
}

function renderWindow (text: string, textLength: number, start: number, end: number, query: SnippetQuery): string {
  const marked = renderMarked(text, matchesBetween(text, start, end, query), start, end)
  return `${start > 0 ? ELLIPSIS : ''}${marked}${end < textLength ? ELLIPSIS : ''}`
}

/**
 * The earliest occurrence of one of the query's phrases: what a phrase query asked for is
 * shown, not the passage with the most of its words scattered.
 */
function firstPhrase (text: string, { phrases, analyzer }: SnippetQuery): PhraseOccurrence | undefined {
  let first: PhraseOccurrence | undefined
  for (const phrase of phrases ?? []) {
    const found = phraseOccurrence(first === undefined ? text : text.slice(0, first.end), phrase, analyzer)
    if (found !== undefined && (first === undefined || found.start < first.start)) first = found
  }
  return first
}

/** Marks every matched word of a short text (a headline) in full. */
export function markAll (text: string, query: SnippetQuery): string {
  return makeSnippet(text, query, { length: Number.MAX_SAFE_INTEGER })
}

/**
 * The first window [start, end) holding the most distinct query terms, snapped to word edges.
 * The first, not the densest: a passage holding every query term then ends the search for
 * one (see snippet-matches), and in news the earlier passage is the one that says what the
 * article is about.
 */
function chooseWindow (text: string, matches: AnalyzedToken[], queryTerms: ReadonlySet<string>, length: number, leadingContext: number): [number, number] {
  let bestStart = 0
  let bestScore = -1
  for (let first = 0; first < matches.length; first += 1) {
    const windowEnd = (matches[first] as AnalyzedToken).start + length - leadingContext
    const distinct = new Set<string>()
    for (let next = first; next < matches.length && (matches[next] as AnalyzedToken).end <= windowEnd; next += 1) {
      for (const term of (matches[next] as AnalyzedToken).terms) if (queryTerms.has(term)) distinct.add(term)
    }
    if (distinct.size > bestScore) {
      bestScore = distinct.size
      bestStart = (matches[first] as AnalyzedToken).start
    }
  }
  const start = snapStart(text, Math.max(0, bestStart - leadingContext), bestStart)
  const end = snapEnd(text, Math.min(text.length, start + length))
  return [start, end]
}

/** Moves a window start forward to a word start (a sentence start if one is near). */
function snapStart (text: string, from: number, firstMatch: number): number {
  if (from === 0) return 0
  const sentence = text.slice(from, firstMatch).search(/[.!?…]\s+\S|\n\S/)
  if (sentence !== -1) {
    const offset = text.slice(from + sentence).search(/[^\s.!?…]/)
    return from + sentence + offset
  }
  const space = text.slice(from, firstMatch).search(/\s\S/)
  return space === -1 ? firstMatch : from + space + 1
}

/** Moves a window end back to a word end. */
function snapEnd (text: string, to: number): number {
  if (to >= text.length) return text.length
  const lastSpace = text.lastIndexOf(' ', to)
  return lastSpace > to - 40 && lastSpace > 0 ? lastSpace : to
}

function renderMarked (text: string, matches: AnalyzedToken[], start: number, end: number): string {
  let html = ''
  let at = start
  for (const token of matches) {
    html += escapeHtml(text.slice(at, token.start)) + `<mark>${escapeHtml(token.text)}</mark>`
    at = token.end
  }
  return (html + escapeHtml(text.slice(at, end))).replace(/\s*\n\s*/g, ' ')
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, char => HTML_ESCAPES[char] as string)
}
