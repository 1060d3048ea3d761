/**
 * What a build's first queries would each make in one piece, made ahead in slices: the
 * fields' length columns scoring reads (score-query.ts), the near-duplicate groups by short
 * id (40 ms at 800,000 documents) and, when it replaces a served build, the term tree's nodes
 * the served build's queries reached (term-tree-warm-up.ts). A server prepares a build this
 * way before it swaps it in, and in the background after a start; a query that comes first
 * makes what is left itself, also in pieces.
 */
import type { Snapshot } from '../index/open-index.js'
import { internalsOf, treeRootOf } from '../index/minisearch-internals.js'
import { decodeAsServed } from '../index/term-tree-warm-up.js'
import { timeSlicer, type Pause } from '../index/time-slicer.js'
import { prepareGroups } from './collapse.js'
import { prepareLengthColumns } from './score-query.js'

/** `served`: the build `snapshot` is to replace, if any. */
export async function prepareSearching (snapshot: Snapshot, { pause = timeSlicer(), served }: { pause?: Pause, served?: Snapshot | undefined } = {}): Promise<void> {
  await prepareLengthColumns(snapshot.miniSearch, pause)
  const internals = internalsOf(snapshot.miniSearch)
  if (internals === undefined) return
  await prepareGroups(snapshot.duplicates, internals.idToShortId, pause)
  const servedTree = served === undefined ? undefined : internalsOf(served.miniSearch)?.termTree
  if (servedTree !== undefined) await decodeAsServed(treeRootOf(servedTree), treeRootOf(internals.termTree), pause)
}
