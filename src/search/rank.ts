/**
 * Final ordering of a result set. MiniSearch's BM25+ score stays the base; on top of it:
 * coordination (documents holding every query word come before those holding only some —
 * an order, never a filter, so a missing word cannot empty the page), an optional recency
 * bonus relative to the newest result, and sorting by date.
 */
import type { RecencyOptions } from './query-options.js'

export interface Ranked {
  score: number
  date?: string
  /** How many of the query's words the document holds. */
  wordsMatched: number
}

export type SortOrder = 'relevance' | 'date'

export interface RankOptions {
  sort: SortOrder
  /** Words in the query; with coordination on, documents holding all of them come first. */
  coordinateWords?: number
  recency?: RecencyOptions
}

const DAY_MS = 86_400_000

export function rank<T extends Ranked> (results: T[], options: RankOptions): T[] {
  if (options.recency !== undefined) applyRecency(results, options.recency)
  const all = options.coordinateWords
  const tier = (result: T): number => all !== undefined && result.wordsMatched >= all ? 1 : 0
  if (options.sort === 'date') {
    return results.sort((a, b) => compareDates(a.date, b.date) || b.score - a.score)
  }
  return results.sort((a, b) => tier(b) - tier(a) || b.score - a.score)
}

function applyRecency (results: Ranked[], { halfLifeDays, weight }: RecencyOptions): void {
  const times = results.map(result => result.date === undefined ? Number.NaN : Date.parse(result.date))
  const newest = Math.max(...times.filter(time => !Number.isNaN(time)))
  if (!Number.isFinite(newest)) return
  results.forEach((result, at) => {
    const time = times[at] as number
    if (Number.isNaN(time)) return
    const ageDays = (newest - time) / DAY_MS
    result.score *= 1 + weight * Math.pow(0.5, ageDays / halfLifeDays)
  })
}

/** Newest first; undated last. */
function compareDates (a: string | undefined, b: string | undefined): number {
  if (a === b) return 0
  if (a === undefined) return 1
  if (b === undefined) return -1
  return a < b ? 1 : -1
}
