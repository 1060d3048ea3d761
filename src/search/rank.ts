/**
 * Final ordering of a result set. MiniSearch's BM25+ score stays the base; on top of it:
 * coordination (documents holding every query word come before those holding only some —
 * an order, never a filter, so a missing word cannot empty the page), an optional recency
 * bonus relative to the newest result, and sorting by date.
 *
 * Results are ranked as flat arrays, and only as far as asked: a page needs its best ten of
 * what may be thousands of matches, so they are selected with a bounded heap (n log k)
 * instead of sorting everything. Ties keep the matches' order (MiniSearch's), as a stable
 * sort of every result would.
 */
import type { RecencyOptions } from './ranking.js'
import { ITEMS_BETWEEN_PAUSES, runAtOnce } from '../index/time-slicer.js'

export type SortOrder = 'relevance' | 'date'

export interface RankOptions {
  sort: SortOrder
  /** Words in the query; with coordination on, documents holding all of them come first. */
  coordinateWords?: number
  recency?: RecencyOptions
}

/** A result set as parallel arrays: one entry per match. */
export interface Rankable {
  readonly length: number
  /** Scores; `applyRecency` changes them in place. */
  readonly scores: Float64Array
  /** How many of the query's words each match holds. */
  readonly wordsMatched: Uint8Array
  date: (at: number) => string | undefined
}

const DAY_MS = 86_400_000

/** Multiplies each dated result's score by its recency bonus, relative to the newest dated result. */
export function applyRecency (results: Rankable, { halfLifeDays, weight }: RecencyOptions): void {
  const times = new Float64Array(results.length)
  let newest = Number.NEGATIVE_INFINITY
  for (let at = 0; at < results.length; at += 1) {
    const date = results.date(at)
    const time = date === undefined ? Number.NaN : Date.parse(date)
    times[at] = time
    if (time > newest) newest = time
  }
  if (!Number.isFinite(newest)) return
  for (let at = 0; at < results.length; at += 1) {
    const time = times[at] as number
    if (Number.isNaN(time)) continue
    const ageDays = (newest - time) / DAY_MS
    results.scores[at] = (results.scores[at] as number) * (1 + weight * Math.pow(0.5, ageDays / halfLifeDays))
  }
}

/** The positions of the best `count` results (of those `keep` accepts, when given), best first. */
export function topRanked (results: Rankable, count: number, options: RankOptions, keep?: (at: number) => boolean): number[] {
  return runAtOnce(rankingTop(results, count, options, keep))
}

/** `topRanked`, yielding every ITEMS_BETWEEN_PAUSES results gone through (a sort of them all, when all are asked for, is one step). */
export function * rankingTop (results: Rankable, count: number, options: RankOptions, keep?: (at: number) => boolean): Generator<void, number[], undefined> {
  const compare = rankComparator(results, options)
  if (count >= results.length) {
    const all = Array.from({ length: results.length }, (_, at) => at)
    return (keep === undefined ? all : all.filter(keep)).sort(compare)
  }
  return yield * selectBest(results.length, count, compare, keep)
}

/** Negative when the result at `a` ranks before the one at `b`; never 0 for two positions. */
export type Compare = (a: number, b: number) => number

export function rankComparator (results: Rankable, { sort, coordinateWords }: RankOptions): Compare {
  const { scores, wordsMatched } = results
  const date = (at: number): string | undefined => results.date(at)
  // Small integers, never a difference of scores: a fraction returned from a comparator is a
  // heap number, one per comparison (hundreds of thousands a query, collected as garbage).
  const byScore = (a: number, b: number): number => {
    const scoreA = scores[a] as number
    const scoreB = scores[b] as number
    return scoreA > scoreB ? -1 : scoreA < scoreB ? 1 : a - b
  }
  if (sort === 'date') return (a, b) => compareDates(date(a), date(b)) || byScore(a, b)
  if (coordinateWords === undefined) return byScore
  const tier = (at: number): number => (wordsMatched[at] as number) >= coordinateWords ? 1 : 0
  return (a, b) => tier(b) - tier(a) || byScore(a, b)
}

/** A max-heap of the `count` best seen so far, the worst of them at the root; then sorted. */
function * selectBest (length: number, count: number, compare: Compare, keep?: (at: number) => boolean): Generator<void, number[], undefined> {
  const heap: number[] = []
  if (count <= 0) return heap
  const worse = (a: number, b: number): boolean => compare(heap[a] as number, heap[b] as number) > 0
  const swap = (a: number, b: number): void => { [heap[a], heap[b]] = [heap[b] as number, heap[a] as number] }
  for (let at = 0; at < length; at += 1) {
    if (at > 0 && at % ITEMS_BETWEEN_PAUSES === 0) yield
    // Once the heap is full, most results rank after its worst: they are passed over before
    // `keep` (collapsing's test of a result's group) is asked.
    if (heap.length === count && compare(at, heap[0] as number) >= 0) continue
    if (keep !== undefined && !keep(at)) continue
    if (heap.length < count) {
      heap.push(at)
      for (let child = heap.length - 1; child > 0;) {
        const parent = (child - 1) >> 1
        if (!worse(child, parent)) break
        swap(child, parent)
        child = parent
      }
    } else {
      heap[0] = at
      for (let parent = 0; ;) {
        const left = parent * 2 + 1
        const right = left + 1
        let worst = parent
        if (left < heap.length && worse(left, worst)) worst = left
        if (right < heap.length && worse(right, worst)) worst = right
        if (worst === parent) break
        swap(parent, worst)
        parent = worst
      }
    }
  }
  return heap.sort(compare)
}

/** Newest first; undated last. */
function compareDates (a: string | undefined, b: string | undefined): number {
  if (a === b) return 0
  if (a === undefined) return 1
  if (b === undefined) return -1
  return a < b ? 1 : -1
}
