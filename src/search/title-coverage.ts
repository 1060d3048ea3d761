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
 * costs little beside scoring the body. Counted in typed arrays lent from query to query
 * (`release`), where Maps of every headline holding a frequent word («России»: tens of
 * thousands at 800,000 documents) were a fifth of the garbage a search made. A query holds
 * its arrays until it has read its coverage: a search that pauses between its pieces of work
 * (the final scores of 400,000 matches) and lets another one count in the same arrays meanwhile
 * read the other query's coverage. The counting pauses too (`titleCoveragePausing`): the
 * title postings of a query's frequent words are tens of thousands, and counted in one piece
 * right after a swap, with the new build's postings not yet decoded, they held the loop for 55 ms.
 */
import type MiniSearch from 'minisearch'
import { internalsOf, type IndexInternals, type TermData } from '../index/minisearch-internals.js'
import type { IndexedDocument } from '../index/minisearch-options.js'
import { LazyTermData } from '../index/term-data.js'
import type { PlannedWord } from './query-plan.js'
import { capacityFor } from './score-query.js'
import { grown } from '../analysis/token-table.js'
import { ITEMS_BETWEEN_PAUSES, runAtOnce, runPausing, type Pause } from '../index/time-slicer.js'

export interface TitleCoverageOptions {
  /** The multiplier's gain at full coverage; 0 turns the signal off. */
  weight: number
}

/** Coverage in (0, 1] of the documents (by short id) whose headline holds every word, 0 for the others; valid until `release`. */
export interface TitleCoverage {
  of: (shortId: number) => number
  /** `of` as an array by short id (0 past its end), for a pass over every match; none when nothing is covered. */
  readonly byShortId?: Float64Array
  /** How many documents have a coverage above 0. */
  readonly size: number
  /** Lends the arrays it is read from to the next query: call once the coverage has been read. */
  release: () => void
}

const NONE: TitleCoverage = { of: () => 0, size: 0, release: () => {} }

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

/** Per index, counts no query holds; more queries at once make their own, and those past MAX_SPARE are dropped. */
const spareCounts = new WeakMap<object, Counts[]>()
const MAX_SPARE = 2

/** The coverage of each document whose headline holds every word (see TitleCoverage), counted in one piece. */
export function titleCoverage (miniSearch: MiniSearch<IndexedDocument>, words: readonly PlannedWord[]): TitleCoverage {
  return runAtOnce(counting(miniSearch, words))
}

/** The same, `pause` awaited between pieces of the counting. */
export async function titleCoveragePausing (miniSearch: MiniSearch<IndexedDocument>, words: readonly PlannedWord[], pause: Pause): Promise<TitleCoverage> {
  return await runPausing(counting(miniSearch, words), pause)
}

function * counting (miniSearch: MiniSearch<IndexedDocument>, words: readonly PlannedWord[]): Generator<void, TitleCoverage, undefined> {
  const index = internalsOf(miniSearch)
  const titleField = index?.fieldIds.title
  if (index === undefined || titleField === undefined || words.length === 0 || words.length > 255) return NONE
  if (words.some(word => word.field !== undefined && word.field !== 'title')) return NONE
  const counts = yield * takingCounts(miniSearch, index.nextId)
  let released = false
  const release = (): void => {
    if (released) return // a second call must not lend arrays another query has taken since
    released = true
    giveBack(miniSearch, counts)
  }
  let completed = false
  try {
    let wordStart = 0
    let visited = 0
    for (const [at, word] of words.entries()) {
      // This word's touched documents: every posting for the first word, then only those holding the words before.
      wordStart = counts.touchedCount
      for (const [term, weight] of word.terms) {
        if (weight !== 1) continue
        const data = index.termTree.get(term)
        if (data === undefined) continue
        visited = yield * eachTitlePosting(data, titleField, visited, (shortId, frequency) => {
          if (shortId >= counts.wordsHeld.length || counts.wordsHeld[shortId] !== at) return
          // A word's readings can both be in the title («стали»: сталь, стать): count the word's
          // occurrences once, as its most frequent reading.
          if (counts.wordOccurrences[shortId] === 0) touch(counts, shortId)
          counts.wordOccurrences[shortId] = Math.max(counts.wordOccurrences[shortId] as number, frequency)
        })
      }
      let held = 0
      for (let i = wordStart; i < counts.touchedCount; i += 1) {
        if (i > wordStart && (i - wordStart) % ITEMS_BETWEEN_PAUSES === 0) yield
        const shortId = counts.touched[i] as number
        counts.occurrences[shortId] = (counts.occurrences[shortId] as number) + (counts.wordOccurrences[shortId] as number)
        counts.wordOccurrences[shortId] = 0
        counts.wordsHeld[shortId] = at + 1
        held += 1
      }
      if (held === 0) return NONE
    }
    const coverage = yield * coverageOf(index, counts, wordStart, words.length, titleField, release)
    completed = true
    return coverage
  } finally {
    // Returned NONE, or stopped mid-way: the arrays go back now, nobody reads them.
    if (!completed) release()
  }
}

/**
 * Counts no other query holds, cleared of the last query's, yielding every ITEMS_BETWEEN_PAUSES
 * documents: a query on a frequent word leaves hundreds of thousands to clear.
 */
function * takingCounts (miniSearch: MiniSearch<IndexedDocument>, nextId: number): Generator<void, Counts, undefined> {
  const spare = spareCounts.get(miniSearch)
  const counts = spare?.pop()
  if (counts === undefined || counts.wordsHeld.length < nextId) {
    const room = capacityFor(nextId)
    return { wordsHeld: new Uint8Array(room), occurrences: new Float64Array(room), wordOccurrences: new Float64Array(room), coverage: new Float64Array(room), touched: new Int32Array(1024), touchedCount: 0 }
  }
  for (let i = 0; i < counts.touchedCount; i += 1) {
    if (i > 0 && i % ITEMS_BETWEEN_PAUSES === 0) yield
    const shortId = counts.touched[i] as number
    counts.wordsHeld[shortId] = 0
    counts.occurrences[shortId] = 0
    counts.wordOccurrences[shortId] = 0
    counts.coverage[shortId] = 0
  }
  counts.touchedCount = 0
  return counts
}

function giveBack (miniSearch: MiniSearch<IndexedDocument>, counts: Counts): void {
  let spare = spareCounts.get(miniSearch)
  if (spare === undefined) spareCounts.set(miniSearch, spare = [])
  if (spare.length < MAX_SPARE) spare.push(counts)
}

function touch (counts: Counts, shortId: number): void {
  if (counts.touchedCount === counts.touched.length) counts.touched = grown(counts.touched, counts.touchedCount * 2)
  counts.touched[counts.touchedCount++] = shortId
}

/** The coverage of the documents holding all `words`: those the last word touched (from `lastWordStart`), yielding every ITEMS_BETWEEN_PAUSES. */
function * coverageOf (index: IndexInternals<IndexedDocument>, counts: Counts, lastWordStart: number, words: number, titleField: number, release: () => void): Generator<void, TitleCoverage, undefined> {
  const { wordsHeld, occurrences, coverage } = counts
  let size = 0
  for (let i = lastWordStart; i < counts.touchedCount; i += 1) {
    if (i > lastWordStart && (i - lastWordStart) % ITEMS_BETWEEN_PAUSES === 0) yield
    const shortId = counts.touched[i] as number
    if (wordsHeld[shortId] !== words) continue
    const length = index.fieldLength.get(shortId)?.[titleField]
    if (length === undefined || length === 0) continue // a discarded document
    coverage[shortId] = Math.min(1, (occurrences[shortId] as number) / length)
    size += 1
  }
  // Counted once here, not per read: the length is a lookup in a Map of every document.
  return { of: shortId => coverage[shortId] ?? 0, byShortId: coverage, size, release }
}

/**
 * Every (document, frequency) posting of a term in one field, for encoded and in-memory
 * postings, yielding every ITEMS_BETWEEN_PAUSES postings counted from `visited`; returns the new count.
 */
function * eachTitlePosting (data: TermData, fieldId: number, visited: number, visit: (shortId: number, frequency: number) => void): Generator<void, number, undefined> {
  const arrays = data instanceof LazyTermData ? data.postingArrays() : undefined
  if (arrays === undefined) {
    for (const [shortId, frequency] of data.get(fieldId) ?? []) {
      if (++visited % ITEMS_BETWEEN_PAUSES === 0) yield
      visit(shortId, frequency)
    }
    return visited
  }
  const postings = arrays.find(entry => entry.fieldId === fieldId)
  if (postings === undefined) return visited
  for (let at = 0; at < postings.documents.length; at += 1) {
    if (++visited % ITEMS_BETWEEN_PAUSES === 0) yield
    visit(postings.documents[at] as number, postings.frequencies[at] as number)
  }
  return visited
}
