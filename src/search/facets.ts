/**
 * Facet counts of a result set: how many results carry each tag, come from each source,
 * and fall in each month. Counted over the whole narrowed result set (not one page), from
 * the stored fields MiniSearch returns with every result, so no document is read.
 */
import type { StoredFields } from '../index/minisearch-options.js'
import { normalizeLabel } from './filters.js'
import { localDays } from './local-days.js'

export interface FacetValue {
  value: string
  count: number
}

export interface Facets {
  tags: FacetValue[]
  sources: FacetValue[]
  /** `YYYY-MM` in TIME_ZONE, newest first. */
  months: FacetValue[]
}

/** `timeZone`: whose months the dates fall in (TIME_ZONE); a date-only document's month is its own. */
export function countFacets (results: Iterable<Pick<StoredFields, 'date' | 'tags' | 'source'>>, size: number, timeZone?: string): Facets {
  const days = localDays(timeZone)
  const tags = new LabelCounter()
  const sources = new LabelCounter()
  const months = new Map<string, number>()
  for (const fields of results) {
    tags.addDistinct(fields.tags ?? [])
    if (fields.source !== undefined) sources.add(fields.source)
    const month = fields.date === undefined ? undefined : days.monthOf(fields.date)
    if (month !== undefined && /^\d{4}-\d{2}$/.test(month)) months.set(month, (months.get(month) ?? 0) + 1)
  }
  return {
    tags: tags.top(size),
    sources: sources.top(size),
    months: [...months].map(([value, count]) => ({ value, count })).sort((a, b) => b.value.localeCompare(a.value)).slice(0, size)
  }
}

/** Counts labels case-insensitively, showing each as first written. */
class LabelCounter {
  private readonly counts = new Map<string, FacetValue>()

  /** One document's labels: a label written twice counts once. */
  addDistinct (labels: string[]): void {
    const seen = new Set<string>()
    for (const label of labels) {
      const key = normalizeLabel(label)
      if (seen.has(key)) continue
      seen.add(key)
      this.add(label)
    }
  }

  add (label: string): void {
    const key = normalizeLabel(label)
    if (key === '') return
    const known = this.counts.get(key)
    if (known === undefined) this.counts.set(key, { value: label.trim(), count: 1 })
    else known.count += 1
  }

  top (size: number): FacetValue[] {
    return [...this.counts.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, size)
  }
}
