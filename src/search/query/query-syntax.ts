/**
 * Tolerant parser for the user query language.
 *
 * Why: the search box accepts a tiny syntax — plain words, "quoted phrases", -exclusions
 * and title: scoping — typed by people who do not read manuals. Anything malformed must
 * degrade to plain words instead of failing, and the output must be bounded so one
 * pasted article cannot turn into a thousand-clause query. The parser does no
 * linguistic normalisation (case, «ё», stemming): that belongs to the analyzer.
 *
 * Grammar (informal):
 *   query   := clause*
 *   clause  := ['-'] [field ':'] (phrase | word-run)
 *   phrase  := '"' … '"' | '“' … '”' | '„' … '“'   («ёлочки» are punctuation, not phrase marks)
 *   field   := 'title' | 'заголовок'   (case-insensitive, configurable)
 * A '-' negates only at the start of a clause (start of input or after whitespace), so
 * «экс-советник» and «С-400» are single words. A word-run such as «путин,трамп» yields
 * several terms sharing the clause's field and negation.
 */

export type QueryField = 'title'

export interface QueryTerm {
  readonly text: string
  readonly field?: QueryField
  readonly negated: boolean
}

export interface QueryPhrase {
  /** Words in order; a quoted single word is kept as a one-word phrase (exact intent). */
  readonly words: readonly string[]
  readonly field?: QueryField
  readonly negated: boolean
}

export type QueryIssueKind =
  | 'unbalanced-quote'
  | 'empty-phrase'
  | 'empty-field'
  | 'dangling-minus'
  | 'ignored-punctuation'
  | 'input-truncated'
  | 'word-limit'
  | 'word-truncated'

export interface QueryIssue {
  readonly kind: QueryIssueKind
  /** Code-unit offset in the (possibly truncated) input where the issue was noticed. */
  readonly at: number
}

export interface ParsedQuery {
  readonly terms: readonly QueryTerm[]
  readonly phrases: readonly QueryPhrase[]
  /** True when input length, word count or a word's length hit a bound. */
  readonly truncated: boolean
  /** What was repaired or dropped, for diagnostics / UI hints. */
  readonly issues: readonly QueryIssue[]
}

export interface QueryParseOptions {
  /** Maximum number of words across all terms and phrases. */
  readonly maxWords: number
  /** Input beyond this many UTF-16 code units is ignored. */
  readonly maxInputLength: number
  /** Longer words are cut to this many code points. */
  readonly maxWordLength: number
  /** Field prefixes (lower-case, without ':') that mean "title". */
  readonly titleAliases: readonly string[]
  /** Whether «-30» means "exclude 30" (default: no, it is read as the number 30). */
  readonly negateNumbers: boolean
}

/**
 * Words one query is searched for: each is looked up and merged, so cost grows with their
 * number. The one definition: the server refuses longer queries with it (protection.ts).
 */
export const MAX_QUERY_WORDS = 32

export const DEFAULT_QUERY_PARSE_OPTIONS: QueryParseOptions = {
  maxWords: MAX_QUERY_WORDS,
  maxInputLength: 1000,
  maxWordLength: 64,
  titleAliases: ['title', 'заголовок'],
  negateNumbers: false,
}

/**
 * Opening quote → accepted closing quotes. «Ёлочки» are not phrase markers: Russian headlines
 * quote names with them («Турецкий поток»), and a pasted headline must not become a phrase
 * search (it cut known-item MRR@10 from 0.61 to 0.43 on the relevance evaluation).
 */
const QUOTES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ['“', '”"'],
  ['„', '“”"'],
])

const QUOTE_CHARS = /["«»“”„]/u
const MINUS = new Set(['-', '\u2212'])
const WHITESPACE = /\s/u
/**
 * A word: letters/digits/marks, joined by single inner hyphens or apostrophes
 * («экс-советник», «С-400», «д'Артаньян») or, between digits, by '.' / ',' («2,5», «3.14»).
 */
const WORD =
  /[\p{L}\p{N}\p{M}]+(?:[-\u2010\u2011'’][\p{L}\p{N}\p{M}]+|(?<=\p{N})[.,]\p{N}+)*/gu

export function parseQuery(input: string, options: Partial<QueryParseOptions> = {}): ParsedQuery {
  const opts: QueryParseOptions = { ...DEFAULT_QUERY_PARSE_OPTIONS, ...options }
  const maxWords = Math.max(0, Math.floor(opts.maxWords))
  const terms: QueryTerm[] = []
  const phrases: QueryPhrase[] = []
  const issues: QueryIssue[] = []
  let truncated = false
  let wordsLeft = maxWords

  let text = typeof input === 'string' ? input : ''
  if (text.length > opts.maxInputLength) {
    let cut = Math.max(0, Math.floor(opts.maxInputLength))
    // do not split a surrogate pair
    if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1
    text = text.slice(0, cut)
    truncated = true
    issues.push({ kind: 'input-truncated', at: cut })
  }
  const aliases = opts.titleAliases.map((a) => a.toLowerCase()).filter((a) => a.length > 0)

  const takeWords = (raw: string, at: number): string[] => {
    const words: string[] = []
    for (const match of raw.matchAll(WORD)) {
      let word = match[0]
      const points = Array.from(word)
      if (points.length > opts.maxWordLength) {
        word = points.slice(0, Math.max(1, opts.maxWordLength)).join('')
        truncated = true
        issues.push({ kind: 'word-truncated', at: at + (match.index ?? 0) })
      }
      words.push(word)
    }
    return words
  }

  const budget = (words: string[], at: number): string[] => {
    if (words.length <= wordsLeft) {
      wordsLeft -= words.length
      return words
    }
    const kept = words.slice(0, wordsLeft)
    wordsLeft = 0
    if (!issues.some((issue) => issue.kind === 'word-limit')) {
      issues.push({ kind: 'word-limit', at })
    }
    truncated = true
    return kept
  }

  const n = text.length
  let i = 0
  /** Offset right after a dropped stray quote: not a clause start, so '-' there does not negate. */
  let glued = -1
  while (i < n) {
    if (WHITESPACE.test(text[i]!)) {
      i++
      continue
    }
    const clauseStart = i
    let negated = false
    let field: QueryField | undefined

    // '-' prefix (possibly repeated: '--word')
    let j = i
    while (j < n && MINUS.has(text[j]!)) j++
    if (j > i) {
      if (j >= n || WHITESPACE.test(text[j]!)) {
        issues.push({ kind: 'dangling-minus', at: i })
        i = j
        continue
      }
      const startsNumber = /\p{N}/u.test(text[j]!)
      negated = (!startsNumber || opts.negateNumbers) && clauseStart !== glued
    }

    // field prefix
    const lower = text.slice(j, j + 32).toLowerCase()
    const alias = aliases.find((a) => lower.startsWith(a + ':'))
    if (alias !== undefined) {
      const afterColon = j + alias.length + 1
      if (afterColon < n && !WHITESPACE.test(text[afterColon]!)) {
        field = 'title'
        j = afterColon
        // tolerate 'title:-word' as a negated title term
        let k = j
        while (k < n && MINUS.has(text[k]!)) k++
        if (k > j && k < n && !WHITESPACE.test(text[k]!)) {
          negated = true
          j = k
        }
      } else {
        issues.push({ kind: 'empty-field', at: j })
        // fall through: 'title:' is read below as the plain word "title"
      }
    }

    // quoted phrase
    const open = text[j]!
    const closers = QUOTES.get(open)
    if (closers !== undefined && j < n) {
      let k = j + 1
      while (k < n && !closers.includes(text[k]!)) k++
      if (k < n) {
        const found = takeWords(text.slice(j + 1, k), j + 1)
        if (found.length === 0) issues.push({ kind: 'empty-phrase', at: j })
        const words = budget(found, j)
        if (words.length > 0) phrases.push(withField({ words, negated }, field))
        i = k + 1
        continue
      }
      // unbalanced: drop the quote and any prefix, parse the rest as ordinary text
      issues.push({ kind: 'unbalanced-quote', at: j })
      i = j + 1
      glued = i
      continue
    }

    // bare word-run up to the next whitespace; quotes inside it are stray punctuation
    let k = j
    while (k < n && !WHITESPACE.test(text[k]!)) k++
    const raw = text.slice(j, k)
    const found = takeWords(raw, j)
    if (found.length === 0) issues.push({ kind: 'ignored-punctuation', at: clauseStart })
    else if (QUOTE_CHARS.test(raw)) issues.push({ kind: 'unbalanced-quote', at: j })
    for (const word of budget(found, j)) terms.push(withField({ text: word, negated }, field))
    i = k
  }

  return { terms, phrases, truncated, issues }
}

function withField<T extends object>(node: T, field: QueryField | undefined): T & { field?: QueryField } {
  return field === undefined ? node : { ...node, field }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

/** All words of a parsed query that must match (non-negated), in parse order per kind. */
export function positiveWords(query: ParsedQuery): string[] {
  return [
    ...query.terms.filter((t) => !t.negated).map((t) => t.text),
    ...query.phrases.filter((p) => !p.negated).flatMap((p) => p.words),
  ]
}
