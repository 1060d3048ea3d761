/**
 * Narrowing by stored fields: a date range, tags (every given tag must be present) and a
 * source. Applied inside MiniSearch's result filter, so totals, facets and pages all see
 * the same narrowed set. Labels compare case-insensitively and with «ё» = «е», as people
 * type tags the way they like.
 */
import type { HotStoredFields } from '../index/minisearch-options.js'
import { localDays } from './local-days.js'

export interface SearchFilters {
  /** First day included, `YYYY-MM-DD`. */
  from?: string
  /** Last day included, `YYYY-MM-DD`. */
  to?: string
  /** Every one must be among the document's tags. */
  tags?: string[]
  source?: string
}

export type FieldFilter = (fields: HotStoredFields) => boolean

/**
 * A predicate for the filters, or undefined when there are none. `from` and `to` are days in
 * `timeZone` (TIME_ZONE): a document stored at 2024-03-31T21:30Z is on 1 April in Moscow.
 */
export function compileFilters (filters: SearchFilters, timeZone?: string): FieldFilter | undefined {
  const { from, to } = filters
  const tags = (filters.tags ?? []).map(normalizeLabel).filter(tag => tag !== '')
  const source = filters.source === undefined ? undefined : normalizeLabel(filters.source)
  if (from === undefined && to === undefined && tags.length === 0 && source === undefined) return undefined
  const days = localDays(timeZone)
  // Answers per distinct tag list and source: a loaded build's documents share their lists
  // (shared-arrays.ts), so a query over 400,000 matches normalises a few thousand lists.
  const listCarries = new Map<readonly string[], boolean>()
  const sourceMatches = new Map<string, boolean>()
  const carriesTags = (own: readonly string[]): boolean => {
    let carries = listCarries.get(own)
    if (carries === undefined) {
      const labels = new Set(own.map(normalizeLabel))
      listCarries.set(own, carries = tags.every(tag => labels.has(tag)))
    }
    return carries
  }
  const fromSource = (own: string): boolean => {
    let matches = sourceMatches.get(own)
    if (matches === undefined) sourceMatches.set(own, matches = normalizeLabel(own) === source)
    return matches
  }
  return fields => {
    if (from !== undefined || to !== undefined) {
      const day = fields.date === undefined ? undefined : days.dayOf(fields.date)
      if (day === undefined) return false
      if (from !== undefined && day < from) return false
      if (to !== undefined && day > to) return false
    }
    if (source !== undefined && (fields.source === undefined || !fromSource(fields.source))) return false
    if (tags.length > 0 && !carriesTags(fields.tags ?? NO_TAGS)) return false
    return true
  }
}

const NO_TAGS: readonly string[] = Object.freeze([])

export function normalizeLabel (label: string): string {
  return label.trim().toLocaleLowerCase('ru').replaceAll('ё', 'е')
}
