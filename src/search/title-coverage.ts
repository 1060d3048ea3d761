/**
 * How much of a document's headline the query is. BM25 scores a headline that holds every
 * query word about as well as a long article that repeats them, and with the slow saturation
 * news ranking wants (k 10) the long article wins: a brief titled «Новая статья о Путине»
 * ranked 12th for exactly that query. A headline made of the query's words, and little else,
 * says the document is about the query; a long headline that mentions them says less. So a
 * document whose headline holds every query word gets its score multiplied by
 * `1 + weight · coverage`, coverage being the share of the headline's terms that are query
 * terms (1 for a headline that is the query).
 *
 * Read from the title postings of the query's own terms (a word's other readings excluded:
 * a typo's neighbour or a transliteration is not the word): headlines are short, so this
 * costs little beside scoring the body.
 */
import type MiniSearch from 'minisearch'
import { internalsOf, type TermData } from '../index/minisearch-internals.js'
import type { IndexedDocument } from '../index/minisearch-options.js'
import { LazyTermData } from '../index/term-data.js'
import type { PlannedWord } from './query-plan.js'

export interface TitleCoverageOptions {
  /** The multiplier's gain at full coverage; 0 turns the signal off. */
  weight: number
}

/** Coverage in (0, 1] of each document (by short id) whose headline holds every word; absent: 0. */
export function titleCoverage (miniSearch: MiniSearch<IndexedDocument>, words: readonly PlannedWord[]): Map<number, number> {
  const coverage = new Map<number, number>()
  const index = internalsOf(miniSearch)
  const titleField = index?.fieldIds.title
  if (index === undefined || titleField === undefined || words.length === 0) return coverage
  // Per document: the title occurrences of the words seen so far, for the documents holding all of them.
  let held: Map<number, number> | undefined
  for (const word of words) {
    if (word.field !== undefined && word.field !== 'title') return coverage
    const occurrences = new Map<number, number>()
    for (const [term, weight] of word.terms) {
      if (weight !== 1) continue
      const data = index.termTree.get(term)
      if (data === undefined) continue
      forEachPosting(data, titleField, (shortId, frequency) => {
        if (held !== undefined && !held.has(shortId)) return
        // A word's readings can both be in the title («стали»: сталь, стать): count the word's
        // occurrences once, as its most frequent reading.
        occurrences.set(shortId, Math.max(occurrences.get(shortId) ?? 0, frequency))
      })
    }
    if (held !== undefined) for (const [shortId, count] of occurrences) occurrences.set(shortId, count + (held.get(shortId) as number))
    held = occurrences
    if (held.size === 0) return coverage
  }
  for (const [shortId, count] of held ?? []) {
    const length = index.fieldLength.get(shortId)?.[titleField]
    if (length === undefined || length === 0) continue // a discarded document
    coverage.set(shortId, Math.min(1, count / length))
  }
  return coverage
}

/** Every (document, frequency) posting of a term in one field, for encoded and in-memory postings. */
function forEachPosting (data: TermData, fieldId: number, visit: (shortId: number, frequency: number) => void): void {
  const arrays = data instanceof LazyTermData ? data.postingArrays() : undefined
  if (arrays === undefined) {
    for (const [shortId, frequency] of data.get(fieldId) ?? []) visit(shortId, frequency)
    return
  }
  const postings = arrays.find(entry => entry.fieldId === fieldId)
  if (postings === undefined) return
  for (let at = 0; at < postings.documents.length; at += 1) visit(postings.documents[at] as number, postings.frequencies[at] as number)
}
