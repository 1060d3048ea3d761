/**
 * Autocomplete: completes the last, partial word of a query as people would pick it.
 *
 * With the build's suggestion table (index/suggest-table.ts), completions are word forms as
 * the corpus writes them («Путин», «Дуров», «ещё»), one per word family (the analyzer's first
 * term), the family's most used form shown, ranked by how much the family is used (documents,
 * and headlines counted again: a headline word is what people look for). When the word before
 * is a known form, the corpus's frequent pairs come first («павел дур» → «Павел Дуров»,
 * «чемпионат ми» → «чемпионат мира»), the previous word shown as written too. Each count is
 * of what is shown: documents holding that form, that pair, or (after other words) the
 * completed word together with them.
 *
 * Snapshots without a table (held in memory by the evaluation), and prefixes the table has
 * nothing for (its forms are bounded; live changes do not update it), complete from the
 * index's vocabulary instead (vocabulary.ts), in lower case. A partial word typed in the wrong layout («lehj») is
 * completed as meant. The work is bounded (forms scanned, co-occurrence checks), as it runs
 * on every keystroke.
 */
import type { Query } from 'minisearch'
import { normalize } from '../analysis/normalize.js'
import type { Snapshot } from '../index/open-index.js'
import type { SuggestForm, SuggestTable } from '../index/suggest-table.js'
import { enToRu } from './query/keyboard-layout.js'
import { vocabularyOf, type Completion } from './vocabulary.js'

export interface SuggestOptions {
  /** Shortest partial word completed, in letters. */
  minPrefix: number
  limit: number
  /** Completions checked for co-occurrence with the other query words. */
  maxContextChecks: number
  /** A headline using a form counts this many documents more in its ranking. */
  headlineWeight: number
  /** The most used forms of a prefix grouped into families. */
  formCandidates: number
}

export const defaultSuggestOptions: SuggestOptions = { minPrefix: 2, limit: 8, maxContextChecks: 12, headlineWeight: 3, formCandidates: 120 }

export interface Suggestion {
  /** The whole query with the last word completed. */
  text: string
  /** The completed word, as written in the corpus. */
  word: string
  /** Documents holding what is shown: the form, the pair, or the word with the other query words. */
  documents: number
  /** How it was found: a word's form, or a phrase (a frequent pair with the word before). */
  kind?: 'word' | 'phrase'
}

export interface SuggestResponse {
  query: string
  suggestions: Suggestion[]
}

const LAST_WORD = /^(.*?)([\p{L}\p{N}-]+)$/u
const WORD_BEFORE = /^(.*?)([\p{L}\p{N}-]+)(\s+)$/u
const LATIN_LAYOUT = /^[a-z[\];',.`]+$/i

export function suggest (snapshot: Snapshot, query: string, options: Partial<SuggestOptions> = {}): SuggestResponse {
  const settings = { ...defaultSuggestOptions, ...options }
  const match = LAST_WORD.exec(query)
  const partial = match?.[2] ?? ''
  if ([...normalize(partial)].length < settings.minPrefix) return { query, suggestions: [] }
  const head = match?.[1] ?? ''
  const table = snapshot.suggestions
  let suggestions = table === undefined ? [] : fromTable(snapshot, table, head, partial, settings)
  // A word the table does not hold (rare, or added live) is completed from the index's vocabulary.
  if (suggestions.length === 0) suggestions = fromVocabulary(snapshot, head, partial, settings)
  return { query, suggestions: suggestions.slice(0, settings.limit) }
}

interface Family {
  /** The analyzer's first term of its forms: what makes them one word. */
  term: string
  /** Its form starting with the prefix that headlines use most (`moreUsedInHeadlines`). */
  shown: SuggestForm
  /** Documents and headlines of all its forms starting with the prefix. */
  usage: number
}

function fromTable (snapshot: Snapshot, table: SuggestTable, head: string, partial: string, settings: SuggestOptions): Suggestion[] {
  let prefix = normalize(partial)
  if (!hasForms(table, prefix) && LATIN_LAYOUT.test(partial)) prefix = normalize(enToRu(partial))
  const phrases = phraseCompletions(snapshot, table, head, prefix, settings)
  const taken = new Set(phrases.map(phrase => phrase.family))
  const families = familiesStartingWith(snapshot, table, prefix, settings).filter(family => !taken.has(family.term) && family.shown.shown !== partial)
  const context = contextTerms(snapshot, head)
  const words = context.length === 0
    ? families.map(family => ({ text: head + family.shown.shown, word: family.shown.shown, documents: family.shown.documents, kind: 'word' as const }))
    : withContext(snapshot, context, families.slice(0, settings.maxContextChecks), head)
  return [...phrases.map(phrase => phrase.suggestion), ...words]
}

function hasForms (table: SuggestTable, prefix: string): boolean {
  return table.formsStartingWith(prefix, 1).length > 0
}

/** The most used forms of the prefix, gathered into word families, the most used family first. */
function familiesStartingWith (snapshot: Snapshot, table: SuggestTable, prefix: string, settings: SuggestOptions): Family[] {
  const usage = (documents: number, headlines: number): number => documents + settings.headlineWeight * headlines
  const families = new Map<string, Family>()
  for (const form of table.topFormsStartingWith(prefix, settings.formCandidates, usage)) {
    if (form.folded === prefix) continue
    const term = familyOf(snapshot, form.folded)
    if (term === undefined) continue
    const family = families.get(term)
    if (family === undefined) {
      families.set(term, { term, shown: form, usage: usage(form.documents, form.headlines) })
    } else {
      family.usage += usage(form.documents, form.headlines)
      if (moreUsedInHeadlines(form, family.shown)) family.shown = form
    }
  }
  return [...families.values()].sort((a, b) => b.usage - a.usage || a.shown.folded.localeCompare(b.shown.folded))
}

/**
 * The form a family is shown by: the one headlines use most, the form people name a subject
 * by («Трамп», not «Трампа»; «санкции»); by documents when headlines use neither.
 */
function moreUsedInHeadlines (form: SuggestForm, than: SuggestForm): boolean {
  return form.headlines !== than.headlines ? form.headlines > than.headlines : form.documents > than.documents
}

/** A form's word family: the analyzer's first term (none for a stop word, which is not searched). */
function familyOf (snapshot: Snapshot, folded: string): string | undefined {
  return snapshot.analyzer.termsOf(folded)[0]
}

/** Frequent pairs of the word before with a form of the prefix, one per family, shown as written. */
function phraseCompletions (snapshot: Snapshot, table: SuggestTable, head: string, prefix: string, settings: SuggestOptions): Array<{ family: string, suggestion: Suggestion }> {
  const before = WORD_BEFORE.exec(head)
  if (before === null) return []
  const [, start = '', word = '', space = ''] = before
  const pairs = table.pairsAfter(normalize(word), prefix)
    .filter(pair => pair.second.folded !== prefix)
    .sort((a, b) => (b.documents + settings.headlineWeight * b.headlines) - (a.documents + settings.headlineWeight * a.headlines))
  const found: Array<{ family: string, suggestion: Suggestion }> = []
  const families = new Set<string>()
  for (const pair of pairs) {
    const family = familyOf(snapshot, pair.second.folded)
    if (family === undefined || families.has(family)) continue
    families.add(family)
    found.push({ family, suggestion: { text: `${start}${pair.first.shown}${space}${pair.second.shown}`, word: pair.second.shown, documents: pair.documents, kind: 'phrase' } })
  }
  return found
}

function contextTerms (snapshot: Snapshot, head: string): string[][] {
  return snapshot.analyzer.analyzeWithOffsets(head).filter(token => token.terms.length > 0).map(token => token.terms)
}

/** Families found together with the other words first, counted in those documents. */
function withContext (snapshot: Snapshot, context: string[][], families: Family[], head: string): Suggestion[] {
  return families
    .map(family => ({ family, documents: documentsWith(snapshot, context, snapshot.analyzer.termsOf(family.shown.folded)) }))
    .sort((a, b) => b.documents - a.documents || b.family.usage - a.family.usage)
    .map(({ family, documents }) => ({ text: head + family.shown.shown, word: family.shown.shown, documents: documents > 0 ? documents : family.shown.documents, kind: 'word' as const }))
}

/** Documents holding every context word and one of `terms`. */
function documentsWith (snapshot: Snapshot, context: string[][], terms: string[]): number {
  const contextQuery: Query = { combineWith: 'AND', queries: context.map(words => ({ combineWith: 'OR', queries: words })) }
  return snapshot.miniSearch.search({ combineWith: 'AND', queries: [contextQuery, { combineWith: 'OR', queries: terms }] }, {
    tokenize: term => [term],
    processTerm: term => term
  }).length
}

/** Without a table: the index's vocabulary (headline spellings and whole-word terms), lower case. */
function fromVocabulary (snapshot: Snapshot, head: string, partial: string, settings: SuggestOptions): Suggestion[] {
  const { limit, maxContextChecks } = settings
  const vocabulary = vocabularyOf(snapshot)
  let completions = vocabulary.complete(partial, Math.max(limit, maxContextChecks))
  if (completions.length === 0 && LATIN_LAYOUT.test(partial)) completions = vocabulary.complete(enToRu(partial), Math.max(limit, maxContextChecks))
  const context = contextTerms(snapshot, head)
  const ranked = context.length === 0 ? completions : vocabularyWithContext(snapshot, context, completions.slice(0, maxContextChecks))
  return ranked.map(completion => ({ text: head + completion.word, word: completion.word, documents: completion.documents }))
}

function vocabularyWithContext (snapshot: Snapshot, context: string[][], completions: Completion[]): Completion[] {
  return completions
    .map(completion => ({ completion, documents: documentsWith(snapshot, context, snapshot.analyzer.termsOf(completion.word)) }))
    .sort((a, b) => b.documents - a.documents || b.completion.documents - a.completion.documents)
    .map(({ completion, documents }) => documents > 0 ? { ...completion, documents } : completion)
}
