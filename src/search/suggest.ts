/**
 * Autocomplete: completes the last, partial word of a query from the index's own
 * vocabulary (headline spellings and whole-word terms), the most frequent first; when
 * the query has other words, completions that occur together with them come first. A
 * partial word typed in the wrong layout («lehj») is completed as meant. The work is
 * bounded (candidates scanned, co-occurrence checks), as it runs on every keystroke.
 */
import type { Query } from 'minisearch'
import { normalize } from '../analysis/normalize.js'
import type { Snapshot } from '../index/open-index.js'
import { enToRu } from './query/keyboard-layout.js'
import { vocabularyOf, type Completion } from './vocabulary.js'

export interface SuggestOptions {
  /** Shortest partial word completed, in letters. */
  minPrefix: number
  limit: number
  /** Completions checked for co-occurrence with the other query words. */
  maxContextChecks: number
}

export const defaultSuggestOptions: SuggestOptions = { minPrefix: 2, limit: 8, maxContextChecks: 12 }

export interface Suggestion {
  /** The whole query with the last word completed. */
  text: string
  /** The completed word. */
  word: string
  /** Documents holding it (with the other query words, when there are some). */
  documents: number
}

export interface SuggestResponse {
  query: string
  suggestions: Suggestion[]
}

export function suggest (snapshot: Snapshot, query: string, options: Partial<SuggestOptions> = {}): SuggestResponse {
  const { minPrefix, limit, maxContextChecks } = { ...defaultSuggestOptions, ...options }
  const match = /^(.*?)([\p{L}\p{N}-]+)$/u.exec(query)
  const partial = match?.[2] ?? ''
  if ([...normalize(partial)].length < minPrefix) return { query, suggestions: [] }
  const head = match?.[1] ?? ''
  const vocabulary = vocabularyOf(snapshot)
  let completions = vocabulary.complete(partial, Math.max(limit, maxContextChecks))
  if (completions.length === 0 && /^[a-z[\];',.`]+$/i.test(partial)) completions = vocabulary.complete(enToRu(partial), Math.max(limit, maxContextChecks))
  const context = snapshot.analyzer.analyzeWithOffsets(head).filter(token => token.terms.length > 0).map(token => token.terms)
  const ranked = context.length === 0 ? completions : withContext(snapshot, context, completions.slice(0, maxContextChecks))
  return {
    query,
    suggestions: ranked.slice(0, limit).map(completion => ({ text: head + completion.word, word: completion.word, documents: completion.documents }))
  }
}

/** Completions found together with the other words first, counted in those documents. */
function withContext (snapshot: Snapshot, context: string[][], completions: Completion[]): Completion[] {
  const contextQuery: Query = { combineWith: 'AND', queries: context.map(terms => ({ combineWith: 'OR', queries: terms })) }
  const together = completions.map(completion => {
    const terms = snapshot.analyzer.termsOf(completion.word)
    const documents = snapshot.miniSearch.search({ combineWith: 'AND', queries: [contextQuery, { combineWith: 'OR', queries: terms }] }, {
      tokenize: term => [term],
      processTerm: term => term
    }).length
    return { completion, documents }
  })
  return together
    .sort((a, b) => b.documents - a.documents || b.completion.documents - a.completion.documents)
    .map(({ completion, documents }) => documents > 0 ? { ...completion, documents } : completion)
}
