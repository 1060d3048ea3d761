/**
 * Narrowing by stored fields: a date range, tags (every given tag must be present) and a
 * source. Applied inside MiniSearch's result filter, so totals, facets and pages all see
 * the same narrowed set. Labels compare case-insensitively and with «ё» = «е», as people
 * type tags the way they like.
 */
import type { StoredFields } from '../index/minisearch-options.js'
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

export type FieldFilter = (fields: Pick<StoredFields, 'date' | 'tags' | 'source'>) => boolean

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
  return fields => {
    if (from !== undefined || to !== undefined) {
      const day = fields.date === undefined ? undefined : days.dayOf(fields.date)
      if (day === undefined) return false
      if (from !== undefined && day < from) return false
      if (to !== undefined && day > to) return false
    }
    if (source !== undefined && (fields.source === undefined || normalizeLabel(fields.source) !== source)) return false
    if (tags.length > 0) {
      const own = new Set((fields.tags ?? []).map(normalizeLabel))
      if (!tags.every(tag => own.has(tag))) return false
    }
    return true
  }
}

export function normalizeLabel (label: string): string {
  return label.trim().toLocaleLowerCase('ru').replaceAll('ё', 'е')
}
