/**
 * Facet counts of a result set: how many results carry each tag, come from each source,
 * and fall in each month. Counted over the whole narrowed result set (not one page), from
 * the stored fields MiniSearch returns with every result, so no document is read.
 */
import type { HotStoredFields } from '../index/minisearch-options.js'
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
export function countFacets (results: Iterable<HotStoredFields>, size: number, timeZone?: string): Facets {
  const days = localDays(timeZone)
  // Counted per distinct tag list and source first: a loaded build's documents share their
  // lists (shared-arrays.ts), and 400,000 matches carry a few thousand, so each label is
  // normalised a few thousand times rather than millions.
  const tagLists = new Map<readonly string[], number>()
  const sourceCounts = new Map<string, number>()
  const months = new Map<string, number>()
  for (const fields of results) {
    if (fields.tags !== undefined && fields.tags.length > 0) tagLists.set(fields.tags, (tagLists.get(fields.tags) ?? 0) + 1)
    if (fields.source !== undefined) sourceCounts.set(fields.source, (sourceCounts.get(fields.source) ?? 0) + 1)
    const month = fields.date === undefined ? undefined : days.monthOf(fields.date)
    if (month !== undefined && /^\d{4}-\d{2}$/.test(month)) months.set(month, (months.get(month) ?? 0) + 1)
  }
  const tags = new LabelCounter()
  for (const [labels, count] of tagLists) tags.addDistinct(labels, count)
  const sources = new LabelCounter()
  for (const [source, count] of sourceCounts) sources.add(source, count)
  return {
    tags: tags.top(size),
    sources: sources.top(size),
    months: [...months].map(([value, count]) => ({ value, count })).sort((a, b) => b.value.localeCompare(a.value)).slice(0, size)
  }
}

/** Counts labels case-insensitively, showing each as first written. */
class LabelCounter {
  private readonly counts = new Map<string, FacetValue>()

  /** `count` documents' labels: a label written twice in a list counts once. */
  addDistinct (labels: readonly string[], count: number): void {
    const seen = new Set<string>()
    for (const label of labels) {
      const key = normalizeLabel(label)
      if (seen.has(key)) continue
      seen.add(key)
      this.add(label, count)
    }
  }

  add (label: string, count: number): void {
    const key = normalizeLabel(label)
    if (key === '') return
    const known = this.counts.get(key)
    if (known === undefined) this.counts.set(key, { value: label.trim(), count })
    else known.count += count
  }

  top (size: number): FacetValue[] {
    return [...this.counts.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, size)
  }
}
