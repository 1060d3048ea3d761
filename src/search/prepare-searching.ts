/**
 * What a build's first queries would each make in one piece, made ahead in slices: the BM25
 * length norms of both query shapes (70–100 ms each at 800,000 documents) and the
 * near-duplicate groups by short id (40 ms). A server prepares a build this way before it
 * swaps it in, and in the background after a start; a query that comes first makes what is
 * left itself, also in pieces.
 */
import type { Snapshot } from '../index/open-index.js'
import { internalsOf } from '../index/minisearch-internals.js'
import { timeSlicer, type Pause } from '../index/time-slicer.js'
import { prepareGroups } from './collapse.js'
import { defaultRanking, type RankingConfig } from './ranking.js'
import { prepareLengthNorms } from './score-query.js'

export async function prepareSearching (snapshot: Snapshot, pause: Pause = timeSlicer(), ranking: RankingConfig = defaultRanking): Promise<void> {
  await prepareLengthNorms(snapshot.miniSearch, [ranking.short.bm25, ranking.long.bm25], pause)
  const shortIds = internalsOf(snapshot.miniSearch)?.idToShortId
  if (shortIds !== undefined) await prepareGroups(snapshot.duplicates, shortIds, pause)
}
