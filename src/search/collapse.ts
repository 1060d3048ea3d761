/**
 * Near-duplicate collapsing of a ranked result set (the groups: index/duplicate-index.ts).
 * Each group shows once, as its best-ranked matching member, which says how many other
 * members matched and which (`duplicates`); the page is counted in groups, so page 2 begins
 * after page 1's last group. As Elasticsearch's field collapsing does, `total` stays the
 * number of matching documents; `totalGroups` is the number of entries one can page through.
 *
 * Cost: one pass over the matches finds each matched group's best member (its group read
 * from an array by short id, `groupsByShortId`: a string-keyed lookup per match cost more
 * than scoring at 800,000 documents); the page is then the best `offset + limit` of the
 * results that stand for themselves or their group, selected as any page is. Copies that
 * will not show are never ordered, however many there are.
 */
import type { DuplicateIndex, DuplicateMembers } from '../index/duplicate-index.js'
import type { Found, Results } from './results.js'
import { DocumentSet } from './match-universe.js'
import { drainInPieces, ITEMS_BETWEEN_PAUSES, runAtOnce, runPausing, type Pause, type SharedPass } from '../index/time-slicer.js'

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

/** `shortIds`: the index's id → short id map, through which results' short ids are grouped. */
export function collapsedPage (results: Results, duplicates: DuplicateIndex, offset: number, limit: number, shortIds?: ReadonlyMap<unknown, number>): CollapsedPage {
  return runAtOnce(collapsing(results, duplicates, offset, limit, shortIds))
}

/**
 * `collapsedPage` with `pause` awaited between pieces of the results (half a million for a broad query at 800,000 documents).
 * `allMatches`: when `results` are only the best of the matches (those holding every word, all ranked before the
 * others), every match, by short id: a hit's matched duplicates and the groups are counted in it.
 */
export async function collapsedPagePausing (results: Results, duplicates: DuplicateIndex, offset: number, limit: number, shortIds: ReadonlyMap<unknown, number> | undefined, pause: Pause, allMatches?: DocumentSet): Promise<CollapsedPage> {
  return await runPausing(collapsing(results, duplicates, offset, limit, shortIds, allMatches), pause)
}

function * collapsing (results: Results, duplicates: DuplicateIndex, offset: number, limit: number, shortIds?: ReadonlyMap<unknown, number>, allMatches?: DocumentSet): Generator<void, CollapsedPage, undefined> {
  const groups = groupNumbering(results, duplicates, shortIds)
  // Per matched group (by number): its best-ranked match's position + 1 (0: none yet).
  const best = new Int32Array(groups.count)
  const hidden = duplicates.hasGroups ? yield * findBest(results, groups, best) : 0
  const standsFor = (at: number): boolean => {
    const group = groups.numberAt(at)
    return group < 0 || best[group] === at + 1
  }
  const page = (yield * results.selectingTop(offset + limit, hidden === 0 ? undefined : standsFor)).slice(offset)
  const matched = allMatches !== undefined && shortIds !== undefined ? (id: string) => allMatches.has(shortIds.get(id) ?? -1) : groups.noted
  const hits = page.map(({ found, at }): CollapsedHit => {
    const group = groups.membersAt(at)
    if (group === undefined) return { found }
    const others = group.filter(id => id !== found.id && matched(id))
    return others.length === 0 ? { found } : { found, duplicates: { count: others.length, ids: others } }
  })
  if (allMatches === undefined || shortIds === undefined) return { hits, totalGroups: results.total - hidden }
  return { hits, totalGroups: yield * groupsAmong(allMatches, runAtOnce(currentView(duplicates, shortIds))) }
}

/** Fills `best` (see collapsing), noting each grouped result; returns how many results a better one of their group hides. */
function * findBest (results: Results, groups: GroupNumbering, best: Int32Array): Generator<void, number, undefined> {
  let hidden = 0
  const better = (at: number, group: number): void => {
    const seen = best[group] as number
    if (seen === 0) {
      best[group] = at + 1
      return
    }
    hidden += 1
    if (results.ranksBefore(at, seen - 1)) best[group] = at + 1
  }
  const shortIds = results.shortIds
  if (groups.byShortId !== undefined && shortIds !== undefined) {
    // The common case as a pass over arrays: at 800,000 documents a broad query has half a million results.
    const { numbers, noted } = groups.byShortId
    for (let at = 0; at < results.total; at += 1) {
      if (at > 0 && at % ITEMS_BETWEEN_PAUSES === 0) yield
      const shortId = shortIds[at] as number
      const group = numbers[shortId] ?? -1
      if (group < 0) continue
      noted.add(shortId)
      better(at, group)
    }
    return hidden
  }
  for (let at = 0; at < results.total; at += 1) {
    if (at > 0 && at % ITEMS_BETWEEN_PAUSES === 0) yield
    const group = groups.numberAt(at)
    if (group < 0) continue
    groups.note(at)
    better(at, group)
  }
  return hidden
}

/** The documents of `matches` with each group of near-duplicates counted once. */
function * groupsAmong (matches: DocumentSet, { numbers, nextNumber }: GroupView): Generator<void, number, undefined> {
  const seen = new Uint8Array(nextNumber)
  let count = 0
  yield * matches.visiting(shortId => {
    const group = numbers[shortId] ?? -1
    if (group < 0) count += 1
    else if (seen[group] === 0) {
      seen[group] = 1
      count += 1
    }
  })
  return count
}

/** The groups of a query's results, numbered, and which of their members matched. */
interface GroupNumbering {
  /** Group numbers are below this. */
  count: number
  /** The group of the result at a position, -1 for none. */
  numberAt: (at: number) => number
  membersAt: (at: number) => DuplicateMembers | undefined
  /** Notes the result at a position (one in a group) as matched. */
  note: (at: number) => void
  /** Whether the document with this id was noted. */
  noted: (id: string) => boolean
  /** When numbered by short id: each document's group number, and the noted documents. */
  byShortId?: { numbers: readonly number[], noted: DocumentSet }
}

/**
 * By short id through the index's view when the results know short ids: a group's number is
 * an array lookup per result, where a Map of groups cost more than scoring at 800,000
 * documents. Else by id, numbered as met.
 */
function groupNumbering (results: Results, duplicates: DuplicateIndex, shortIds: ReadonlyMap<unknown, number> | undefined): GroupNumbering {
  if (shortIds !== undefined && results.total > 0 && results.shortIdAt(0) >= 0) {
    const view = runAtOnce(currentView(duplicates, shortIds))
    const { numbers, groups } = view
    // Only grouped documents are noted: each has a place in `numbers`.
    const noted = new DocumentSet(numbers.length)
    return {
      count: view.nextNumber,
      numberAt: at => numbers[results.shortIdAt(at)] ?? -1,
      membersAt: at => groups[results.shortIdAt(at)],
      note: at => noted.add(results.shortIdAt(at)),
      noted: id => noted.has(shortIds.get(id) ?? -1),
      byShortId: { numbers, noted }
    }
  }
  // Numbered when first read, in collapsing's pass (which pauses), as met: at most one group per result.
  const numberOf = new Map<DuplicateMembers, number>()
  const UNREAD = -2
  const numbers = new Int32Array(results.total).fill(UNREAD)
  const noted = new Set<string>()
  return {
    count: results.total,
    numberAt: at => {
      let number = numbers[at] ?? -1
      if (number !== UNREAD) return number
      const members = duplicates.membersOf(results.idAt(at))
      if (members === undefined) number = -1
      else {
        number = numberOf.get(members) ?? numberOf.size
        numberOf.set(members, number)
      }
      numbers[at] = number
      return number
    },
    membersAt: at => duplicates.membersOf(results.idAt(at)),
    note: at => noted.add(results.idAt(at)),
    noted: id => noted.has(id)
  }
}

/** A view of the groups by short id, kept per index and brought up to date by its regroupings. */
interface GroupView extends SharedPass<[string, DuplicateMembers]> {
  shortIds: ReadonlyMap<unknown, number>
  groups: Array<DuplicateMembers | undefined>
  /** Each document's group as a number (-1: none), what collapsing counts by; `groups` says which documents it holds. */
  numbers: number[]
  /** Numbers of the groups met so far (a regrouped group gets a new one; its old number is no one's). */
  numberOf: WeakMap<DuplicateMembers, number>
  nextNumber: number
  regroupCount: number
}

const views = new WeakMap<DuplicateIndex, GroupView>()

/**
 * Grouped documents entered into a view between the points where its making may pause: each
 * is a lookup in an 800,000-entry Map, and 16,384 of them took 45 ms in one piece during a swap.
 */
const GROUPED_BETWEEN_PAUSES = 2048

/**
 * Each document's group by its short id (a discarded document's entry may be stale: it never
 * matches). Made once per index from its grouped documents, then updated from the ids regrouped since.
 */
export function groupsByShortId (duplicates: DuplicateIndex, shortIds: ReadonlyMap<unknown, number>): ReadonlyArray<DuplicateMembers | undefined> {
  return runAtOnce(currentView(duplicates, shortIds)).groups
}

/**
 * `groupsByShortId` made ready with `pause` awaited between pieces (the first view of an
 * archive's groups took 40 ms at 800,000 documents), for a query or a server preparing a build.
 */
export async function prepareGroups (duplicates: DuplicateIndex, shortIds: ReadonlyMap<unknown, number>, pause: Pause): Promise<void> {
  await runPausing(currentView(duplicates, shortIds), pause)
}

/**
 * The index's view made current, yielding as it is made. The view is the index's: a query that
 * comes while another waits at a pause goes on making it. One left half made across a
 * regrouping (a live change between queries) is made afresh.
 */
function * currentView (duplicates: DuplicateIndex, shortIds: ReadonlyMap<unknown, number>): Generator<void, GroupView, void> {
  let view = views.get(duplicates)
  if (view !== undefined && view.shortIds === shortIds && view.rest === undefined) {
    const since = duplicates.regroupedSince(view.regroupCount)
    if (since !== undefined) {
      for (const id of since) setGroup(view, id, duplicates.membersOf(id))
      view.regroupCount = duplicates.regroupCount
      return view
    }
  }
  if (view === undefined || view.shortIds !== shortIds || view.rest === undefined || view.regroupCount !== duplicates.regroupCount) {
    view = { shortIds, groups: [], numbers: [], numberOf: new WeakMap(), nextNumber: 0, regroupCount: duplicates.regroupCount, rest: duplicates.groupedIds() }
    views.set(duplicates, view)
  }
  const making = view
  // Grown ahead, in pieces: grown to the first grouped document's short id in one go, it was 40–70 ms at 800,000 documents.
  while (making.groups.length < shortIds.size) {
    for (let pushed = 0; pushed < SLOTS_BETWEEN_PAUSES && making.groups.length < shortIds.size; pushed += 1) {
      making.groups.push(undefined)
      making.numbers.push(-1)
    }
    yield
  }
  yield * drainInPieces(making, GROUPED_BETWEEN_PAUSES, ([id, members]) => setGroup(making, id, members))
  return making
}

/** Empty places added to a view's groups between pauses. */
const SLOTS_BETWEEN_PAUSES = 65_536

function setGroup (view: GroupView, id: string, members: DuplicateMembers | undefined): void {
  const shortId = view.shortIds.get(id)
  if (shortId === undefined) return
  // Grown by push, so the arrays stay packed (a write far past its end would make it a dictionary).
  while (view.groups.length <= shortId) {
    view.groups.push(undefined)
    view.numbers.push(-1)
  }
  view.groups[shortId] = members
  view.numbers[shortId] = members === undefined ? -1 : numberOf(view, members)
}

function numberOf (view: GroupView, members: DuplicateMembers): number {
  let number = view.numberOf.get(members)
  if (number === undefined) view.numberOf.set(members, number = view.nextNumber++)
  return number
}
