/**
 * Near-duplicate collapsing of a ranked result set (the groups: index/duplicate-index.ts).
 * Each group shows once, as its best-ranked matching member, which says how many other
 * members matched and which (`duplicates`); the page is counted in groups, so page 2 begins
 * after page 1's last group. As Elasticsearch's field collapsing does, `total` stays the
 * number of matching documents; `totalGroups` is the number of entries one can page through.
 *
 * Cost: one pass over the matches' ids (a Map lookup each, no result built) finds the
 * copies that matched; the page then needs the best `offset + limit + hidden` results, where
 * `hidden` is the number of matching copies that will not show — at most that many of the
 * best are skipped.
 */
import type { DuplicateIndex, DuplicateMembers } from '../index/duplicate-index.js'
import type { Found, Results } from './results.js'

/** The other members of a hit's group that matched the query, shown collapsed under it. */
export interface Duplicates {
  count: number
  ids: string[]
}

export interface CollapsedHit {
  found: Found
  duplicates?: Duplicates
}

export interface CollapsedPage {
  hits: CollapsedHit[]
  /** The results with each group counted once. */
  totalGroups: number
}

export function collapsedPage (results: Results, duplicates: DuplicateIndex, offset: number, limit: number): CollapsedPage {
  const matched = matchedCopies(results, duplicates)
  const hidden = sum(matched.values(), members => members.length - 1)
  const wanted = offset + limit
  const shown: CollapsedHit[] = []
  const seen = new Set<DuplicateMembers>()
  for (const found of results.top(Math.min(results.total, wanted + hidden))) {
    if (shown.length === wanted) break
    const group = duplicates.membersOf(found.id)
    if (group === undefined) {
      shown.push({ found })
      continue
    }
    if (seen.has(group)) continue
    seen.add(group)
    const others = (matched.get(group) ?? []).filter(id => id !== found.id)
    shown.push(others.length === 0 ? { found } : { found, duplicates: { count: others.length, ids: others } })
  }
  return { hits: shown.slice(offset), totalGroups: results.total - hidden }
}

/** Per group with a member among the results: its members that are, in the group's order. */
function matchedCopies (results: Results, duplicates: DuplicateIndex): Map<DuplicateMembers, string[]> {
  const matched = new Map<DuplicateMembers, Set<string>>()
  if (!duplicates.hasGroups) return new Map()
  results.forEachId(id => {
    const group = duplicates.membersOf(id)
    if (group === undefined) return
    const members = matched.get(group)
    if (members === undefined) matched.set(group, new Set([id]))
    else members.add(id)
  })
  const ordered = new Map<DuplicateMembers, string[]>()
  for (const [group, members] of matched) ordered.set(group, group.filter(id => members.has(id)))
  return ordered
}

function sum<T> (items: Iterable<T>, value: (item: T) => number): number {
  let total = 0
  for (const item of items) total += value(item)
  return total
}
