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
 * costs little beside scoring the body. Counted in typed arrays kept per index and cleared
 * by the next query, where Maps of every headline holding a frequent word («России»: tens
 * of thousands at 800,000 documents) were a fifth of the garbage a search made.
 */
import type MiniSearch from 'minisearch'
import { internalsOf, type IndexInternals, type TermData } from '../index/minisearch-internals.js'
import type { IndexedDocument } from '../index/minisearch-options.js'
import { LazyTermData } from '../index/term-data.js'
import type { PlannedWord } from './query-plan.js'
import { capacityFor } from './score-query.js'
import { grown } from '../analysis/token-table.js'

export interface TitleCoverageOptions {
  /** The multiplier's gain at full coverage; 0 turns the signal off. */
  weight: number
}

/** Coverage in (0, 1] of the documents (by short id) whose headline holds every word, 0 for the others; valid until the next query's. */
export interface TitleCoverage {
  of: (shortId: number) => number
  /** `of` as an array by short id (0 past its end), for a pass over every match; none when nothing is covered. */
  readonly byShortId?: Float64Array
  /** How many documents have a coverage above 0. */
  readonly size: number
}

const NONE: TitleCoverage = { of: () => 0, size: 0 }

/**
 * Per document of an index: how many of the query's words its headline holds so far, their
 * occurrences, and the current word's (its readings' most frequent); the documents touched,
 * to clear them.
 */
interface Counts {
  wordsHeld: Uint8Array
  occurrences: Float64Array
  wordOccurrences: Float64Array
  /** The coverage of each document holding every word, once counted (read per match by ranking). */
  coverage: Float64Array
  touched: Int32Array
  touchedCount: number
}

const countsByIndex = new WeakMap<object, Counts>()

/** The coverage of each document whose headline holds every word (see TitleCoverage). */
export function titleCoverage (miniSearch: MiniSearch<IndexedDocument>, words: readonly PlannedWord[]): TitleCoverage {
  const index = internalsOf(miniSearch)
  const titleField = index?.fieldIds.title
  if (index === undefined || titleField === undefined || words.length === 0 || words.length > 255) return NONE
  if (words.some(word => word.field !== undefined && word.field !== 'title')) return NONE
  const counts = countsFor(miniSearch, index.nextId)
  let wordStart = 0
  for (const [at, word] of words.entries()) {
    // This word's touched documents: every posting for the first word, then only those holding the words before.
    wordStart = counts.touchedCount
    for (const [term, weight] of word.terms) {
      if (weight !== 1) continue
      const data = index.termTree.get(term)
      if (data === undefined) continue
      forEachPosting(data, titleField, (shortId, frequency) => {
        if (shortId >= counts.wordsHeld.length || counts.wordsHeld[shortId] !== at) return
        // A word's readings can both be in the title («стали»: сталь, стать): count the word's
        // occurrences once, as its most frequent reading.
        if (counts.wordOccurrences[shortId] === 0) touch(counts, shortId)
        counts.wordOccurrences[shortId] = Math.max(counts.wordOccurrences[shortId] as number, frequency)
      })
    }
    let held = 0
    for (let i = wordStart; i < counts.touchedCount; i += 1) {
      const shortId = counts.touched[i] as number
      counts.occurrences[shortId] = (counts.occurrences[shortId] as number) + (counts.wordOccurrences[shortId] as number)
      counts.wordOccurrences[shortId] = 0
      counts.wordsHeld[shortId] = at + 1
      held += 1
    }
    if (held === 0) return NONE
  }
  return coverageOf(index, counts, wordStart, words.length, titleField)
}

/** The index's counts, cleared of the last query's. */
function countsFor (miniSearch: MiniSearch<IndexedDocument>, nextId: number): Counts {
  let counts = countsByIndex.get(miniSearch)
  if (counts === undefined || counts.wordsHeld.length < nextId) {
    const room = capacityFor(nextId)
    counts = { wordsHeld: new Uint8Array(room), occurrences: new Float64Array(room), wordOccurrences: new Float64Array(room), coverage: new Float64Array(room), touched: new Int32Array(1024), touchedCount: 0 }
    countsByIndex.set(miniSearch, counts)
  }
  for (let i = 0; i < counts.touchedCount; i += 1) {
    const shortId = counts.touched[i] as number
    counts.wordsHeld[shortId] = 0
    counts.occurrences[shortId] = 0
    counts.wordOccurrences[shortId] = 0
    counts.coverage[shortId] = 0
  }
  counts.touchedCount = 0
  return counts
}

function touch (counts: Counts, shortId: number): void {
  if (counts.touchedCount === counts.touched.length) counts.touched = grown(counts.touched, counts.touchedCount * 2)
  counts.touched[counts.touchedCount++] = shortId
}

/** The coverage of the documents holding all `words`: those the last word touched (from `lastWordStart`). */
function coverageOf (index: IndexInternals<IndexedDocument>, counts: Counts, lastWordStart: number, words: number, titleField: number): TitleCoverage {
  const { wordsHeld, occurrences, coverage } = counts
  let size = 0
  for (let i = lastWordStart; i < counts.touchedCount; i += 1) {
    const shortId = counts.touched[i] as number
    if (wordsHeld[shortId] !== words) continue
    const length = index.fieldLength.get(shortId)?.[titleField]
    if (length === undefined || length === 0) continue // a discarded document
    coverage[shortId] = Math.min(1, (occurrences[shortId] as number) / length)
    size += 1
  }
  // Counted once here, not per read: the length is a lookup in a Map of every document.
  return { of: shortId => coverage[shortId] ?? 0, byShortId: coverage, size }
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
