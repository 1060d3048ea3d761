/**
 * One document's index terms, counted per field: what MiniSearch's `add` derives from a
 * document, computed apart from the index so that it can run in a worker thread and be
 * merged into the index once per (term, document) instead of once per word occurrence.
 *
 * The counts must equal MiniSearch 7.2's own `add` exactly (ranking depends on them):
 * a field's length is the number of distinct raw tokens (before term processing), and
 * every term of every token occurrence counts once. Terms are listed in the order they
 * first occur, which is the order `add` would insert them into the term dictionary.
 */
import type { Analyzer } from '../analysis/analyzer.js'

export interface FieldTerms {
  /** Distinct raw tokens of the field (MiniSearch's field length). */
  length: number
  /** Distinct terms, in order of first occurrence. */
  terms: string[]
  /** Occurrences of `terms[i]` in the field. */
  counts: number[]
}

/** By field position in SEARCH_FIELDS; undefined for a field the document lacks. */
export type DocumentTerms = Array<FieldTerms | undefined>

/** The terms of one field's text, or undefined when the field is absent (MiniSearch skips it). */
export function fieldTerms (analyzer: Analyzer, text: string | undefined | null): FieldTerms | undefined {
  if (text == null) return undefined
  const tokens = analyzer.tokenize(text)
  const counts = new Map<string, number>()
  for (const token of tokens) {
    for (const term of analyzer.termsOf(token)) counts.set(term, (counts.get(term) ?? 0) + 1)
  }
  return { length: new Set(tokens).size, terms: [...counts.keys()], counts: [...counts.values()] }
}

export function documentTerms (analyzer: Analyzer, fields: ReadonlyArray<string | undefined>): DocumentTerms {
  return fields.map(text => fieldTerms(analyzer, text))
}
