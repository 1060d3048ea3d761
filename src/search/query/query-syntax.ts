/**
 * Tolerant parser for the user query language.
 *
 * Why: the search box accepts a tiny syntax — plain words, "quoted phrases", -exclusions,
 * NOT/OR and title: scoping — typed by people who do not read manuals. Anything malformed must
 * degrade to plain words instead of failing, and the output must be bounded so one
 * pasted article cannot turn into a thousand-clause query. The parser does no
 * linguistic normalisation (case, «ё», stemming): that belongs to the analyzer.
 *
 * Grammar (informal):
 *   query   := (clause | operator)*
 *   clause  := ['-'] [field ':'] (phrase | word-run)
 *   phrase  := '"' … '"' | '«' … '»' | '“' … '”' | '„' … '“'
 *   field   := 'title' | 'заголовок'   (case-insensitive, configurable)
 *   operator := 'NOT' | 'НЕ' | 'OR' | 'ИЛИ' | 'AND' | 'И'   (uppercase, a whole whitespace-separated word)
 * NOT negates the next clause, like '-'. OR joins the positive words on either side into one
 * group (any of them satisfies it); AND is the default and only dropped. An operator with
 * nothing to apply to is dropped and reported. The Cyrillic operators are plain words in a
 * query with no lowercase letter: a headline pasted in capitals («ПУТИН НЕ ПРИЕДЕТ») is no syntax.
 * A '-' negates only at the start of a clause (start of input or after whitespace), so
 * «экс-советник» and «С-400» are single words. A word-run such as «путин,трамп» yields
 * several terms sharing the clause's field and negation.
 */

export type QueryField = 'title'

export interface QueryTerm {
  readonly text: string
  readonly field?: QueryField
  readonly negated: boolean
  /** Terms sharing this number were joined by OR: one of them stands for the query word. */
  readonly orGroup?: number
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
  | 'ignored-operator'

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
 * Opening quote → accepted closing quotes. «Ёлочки» are what Russian editors type for a
 * phrase. A pasted headline that quotes a name with them («Турецкий поток») becomes a phrase
 * too; one that matches nothing is dropped by the search (phrase.ts), not guessed at here.
 */
const QUOTES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ['«', '»'],
  ['“', '”"'],
  ['„', '“”"'],
])

const QUOTE_CHARS = /["«»“”„]/u
const MINUS = new Set(['-', '\u2212'])
type Operator = 'not' | 'or' | 'and'
const OPERATORS: ReadonlyMap<string, Operator> = new Map([['NOT', 'not'], ['OR', 'or'], ['AND', 'and']])
const CYRILLIC_OPERATORS: ReadonlyMap<string, Operator> = new Map([['НЕ', 'not'], ['ИЛИ', 'or'], ['И', 'and']])
const WHITESPACE = /\s/u
/**
 * A word: letters/digits/marks, joined by single inner hyphens or apostrophes
 * («экс-советник», «С-400», «д'Артаньян») or, between digits, by '.' / ',' («2,5», «3.14»).
 */
const WORD =
  /[\p{L}\p{N}\p{M}]+(?:[-\u2010\u2011'’][\p{L}\p{N}\p{M}]+|(?<=\p{N})[.,]\p{N}+)*/gu

export function parseQuery (input: string, options: Partial<QueryParseOptions> = {}): ParsedQuery {
  return new QueryParser(typeof input === 'string' ? input : '', { ...DEFAULT_QUERY_PARSE_OPTIONS, ...options }).parse()
}

/**
 * One pass over a query, clause by clause. A clause is an optional '-', an optional field
 * prefix ('title:'), then a quoted phrase or a run of words up to the next whitespace.
 */
class QueryParser {
  private readonly terms: QueryTerm[] = []
  private readonly phrases: QueryPhrase[] = []
  private readonly issues: QueryIssue[] = []
  private truncated = false
  private wordsLeft: number
  private readonly text: string
  private readonly aliases: string[]
  /** Offset right after a dropped stray quote: not a clause start, so '-' there does not negate. */
  private glued = -1
  /** Where a NOT / an OR waiting for its clause was typed. */
  private pendingNot = -1
  private pendingOr = -1
  /** The positive term the last clause ended with (an OR's left side), or -1. */
  private lastTerm = -1
  private orGroups = 0
  private readonly cyrillicOperators: boolean

  constructor (input: string, private readonly opts: QueryParseOptions) {
    this.wordsLeft = Math.max(0, Math.floor(opts.maxWords))
    this.text = this.cutInput(input)
    this.aliases = opts.titleAliases.map((a) => a.toLowerCase()).filter((a) => a.length > 0)
    this.cyrillicOperators = /\p{Ll}/u.test(this.text)
  }

  parse (): ParsedQuery {
    let i = 0
    while (i < this.text.length) {
      if (WHITESPACE.test(this.text[i]!)) i += 1
      else i = this.operator(i) ?? this.joined(i)
    }
    if (this.pendingNot >= 0) this.issues.push({ kind: 'ignored-operator', at: this.pendingNot })
    if (this.pendingOr >= 0) this.issues.push({ kind: 'ignored-operator', at: this.pendingOr })
    return { terms: this.terms, phrases: this.phrases, truncated: this.truncated, issues: this.issues }
  }

  /** An operator word at `at`: noted for the next clause, and where parsing goes on; undefined when none is there. */
  private operator (at: number): number | undefined {
    let end = at
    while (end < this.text.length && !WHITESPACE.test(this.text[end]!)) end++
    const word = this.text.slice(at, end)
    const operator = OPERATORS.get(word) ?? (this.cyrillicOperators ? CYRILLIC_OPERATORS.get(word) : undefined)
    if (operator === undefined) return undefined
    if (operator === 'not') {
      if (this.pendingNot >= 0) this.issues.push({ kind: 'ignored-operator', at: this.pendingNot })
      this.pendingNot = at
    } else if (operator === 'or') {
      // An OR with no positive word before it (at the start, doubled, after a phrase or an exclusion) joins nothing.
      if (this.lastTerm < 0 || this.pendingOr >= 0 || this.pendingNot >= 0) this.issues.push({ kind: 'ignored-operator', at })
      else this.pendingOr = at
    }
    return end
  }

  /** A clause, negated by a pending NOT and joined to the previous term by a pending OR. */
  private joined (at: number): number {
    const negate = this.pendingNot >= 0
    const before = { terms: this.terms.length, phrases: this.phrases.length }
    this.pendingNot = -1
    const next = this.clause(at, negate)
    const first = this.terms[before.terms]
    const positive = this.phrases.length === before.phrases && first !== undefined && !first.negated
    if (this.pendingOr >= 0 && (this.terms.length > before.terms || this.phrases.length > before.phrases)) {
      const left = this.terms[this.lastTerm]!
      if (positive && left.field === first.field) this.join(this.lastTerm, before.terms)
      else this.issues.push({ kind: 'ignored-operator', at: this.pendingOr })
      this.pendingOr = -1
    }
    if (this.terms.length > before.terms || this.phrases.length > before.phrases) {
      this.lastTerm = positive ? this.terms.length - 1 : -1
    }
    return next
  }

  /** Puts the terms at `left` and `right` in one OR group (the left one's, if it has one). */
  private join (left: number, right: number): void {
    const group = this.terms[left]!.orGroup ?? this.orGroups++
    this.terms[left] = { ...this.terms[left]!, orGroup: group }
    this.terms[right] = { ...this.terms[right]!, orGroup: group }
  }

  private cutInput (text: string): string {
    if (text.length <= this.opts.maxInputLength) return text
    let cut = Math.max(0, Math.floor(this.opts.maxInputLength))
    // do not split a surrogate pair
    if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1
    this.truncated = true
    this.issues.push({ kind: 'input-truncated', at: cut })
    return text.slice(0, cut)
  }

  /** Reads the clause starting at `start`; returns where the next one may start. */
  private clause (start: number, negate: boolean): number {
    const { text } = this
    const n = text.length
    // '-' prefix (possibly repeated: '--word')
    let at = start
    while (at < n && MINUS.has(text[at]!)) at++
    let negated = negate
    if (at > start) {
      if (at >= n || WHITESPACE.test(text[at]!)) {
        this.issues.push({ kind: 'dangling-minus', at: start })
        return at
      }
      const startsNumber = /\p{N}/u.test(text[at]!)
      negated ||= (!startsNumber || this.opts.negateNumbers) && start !== this.glued
    }
    const scope = this.fieldPrefix(at)
    if (scope.negated) negated = true
    return this.phrase(scope.at, negated, scope.field) ?? this.wordRun(start, scope.at, negated, scope.field)
  }

  /** A field prefix at `at` ('title:word', tolerating 'title:-word' as negated): the field and where the clause goes on. */
  private fieldPrefix (at: number): { at: number, field?: QueryField, negated: boolean } {
    const { text } = this
    const n = text.length
    const lower = text.slice(at, at + 32).toLowerCase()
    const alias = this.aliases.find((a) => lower.startsWith(a + ':'))
    if (alias === undefined) return { at, negated: false }
    const afterColon = at + alias.length + 1
    if (afterColon >= n || WHITESPACE.test(text[afterColon]!)) {
      this.issues.push({ kind: 'empty-field', at })
      // 'title:' is then read as the plain word "title"
      return { at, negated: false }
    }
    let k = afterColon
    while (k < n && MINUS.has(text[k]!)) k++
    if (k > afterColon && k < n && !WHITESPACE.test(text[k]!)) return { at: k, field: 'title', negated: true }
    return { at: afterColon, field: 'title', negated: false }
  }

  /** A quoted phrase opening at `at`: where the next clause may start; undefined when no quote opens there. */
  private phrase (at: number, negated: boolean, field: QueryField | undefined): number | undefined {
    const { text } = this
    const closers = QUOTES.get(text[at]!)
    if (closers === undefined) return undefined
    let k = at + 1
    while (k < text.length && !closers.includes(text[k]!)) k++
    if (k >= text.length) {
      // unbalanced: drop the quote and any prefix, parse the rest as ordinary text
      this.issues.push({ kind: 'unbalanced-quote', at })
      this.glued = at + 1
      return at + 1
    }
    const found = this.takeWords(text.slice(at + 1, k), at + 1)
    if (found.length === 0) this.issues.push({ kind: 'empty-phrase', at })
    const words = this.budget(found, at)
    if (words.length > 0) this.phrases.push(withField({ words, negated }, field))
    return k + 1
  }

  /** The words up to the next whitespace, from `at`; quotes inside them are stray punctuation. */
  private wordRun (clauseStart: number, at: number, negated: boolean, field: QueryField | undefined): number {
    const { text } = this
    let k = at
    while (k < text.length && !WHITESPACE.test(text[k]!)) k++
    const raw = text.slice(at, k)
    const found = this.takeWords(raw, at)
    if (found.length === 0) this.issues.push({ kind: 'ignored-punctuation', at: clauseStart })
    else if (QUOTE_CHARS.test(raw)) this.issues.push({ kind: 'unbalanced-quote', at })
    for (const word of this.budget(found, at)) this.terms.push(withField({ text: word, negated }, field))
    return k
  }

  /** The words in `raw` (found at offset `at`), each cut to the longest word allowed. */
  private takeWords (raw: string, at: number): string[] {
    const words: string[] = []
    for (const match of raw.matchAll(WORD)) {
      let word = match[0]
      const points = Array.from(word)
      if (points.length > this.opts.maxWordLength) {
        word = points.slice(0, Math.max(1, this.opts.maxWordLength)).join('')
        this.truncated = true
        this.issues.push({ kind: 'word-truncated', at: at + (match.index ?? 0) })
      }
      words.push(word)
    }
    return words
  }

  /** As many of `words` as the query's word limit still allows. */
  private budget (words: string[], at: number): string[] {
    if (words.length <= this.wordsLeft) {
      this.wordsLeft -= words.length
      return words
    }
    const kept = words.slice(0, this.wordsLeft)
    this.wordsLeft = 0
    if (!this.issues.some((issue) => issue.kind === 'word-limit')) this.issues.push({ kind: 'word-limit', at })
    this.truncated = true
    return kept
  }
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
