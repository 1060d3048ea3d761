/**
 * What a build's first queries would each make in one piece, made ahead in slices: the
 * fields' length columns scoring reads (score-query.ts) and the near-duplicate groups by short
 * id (40 ms at 800,000 documents). A server prepares a build this way before it
 * swaps it in, and in the background after a start; a query that comes first makes what is
 * left itself, also in pieces.
 */
import type { Snapshot } from '../index/open-index.js'
import { internalsOf } from '../index/minisearch-internals.js'
import { timeSlicer, type Pause } from '../index/time-slicer.js'
import { prepareGroups } from './collapse.js'
import { prepareLengthColumns } from './score-query.js'

export async function prepareSearching (snapshot: Snapshot, pause: Pause = timeSlicer()): Promise<void> {
  await prepareLengthColumns(snapshot.miniSearch, pause)
  const shortIds = internalsOf(snapshot.miniSearch)?.idToShortId
  if (shortIds !== undefined) await prepareGroups(snapshot.duplicates, shortIds, pause)
}
