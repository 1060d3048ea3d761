/**
 * Applies live document changes to a loaded snapshot, in place. A removed or replaced
 * document is discarded (MiniSearch's `discard` is lazy, and the auto-vacuum configured in
 * `miniSearchOptions` cleans the index in the background, so repeated changes do not grow
 * it without bound). Put documents are added a run at a time by the snapshot's live writer
 * (live-document-writer.ts), which also records their word forms for snippets. A put
 * document joins or leaves near-duplicate groups (duplicate-index.ts).
 */
import type { DocumentChange } from '../index/change-records.js'
import type { Snapshot } from '../index/open-index.js'
import { toIndexedDocument } from '../index/build-index.js'
import { LiveDocumentWriter } from '../index/live-document-writer.js'

type PutChange = Extract<DocumentChange, { op: 'put' }>

/** Each snapshot's writer, made on its first live change: most snapshots never see one. */
const writers = new WeakMap<Snapshot, LiveDocumentWriter>()

/** Applies one change; whether its document was there before. */
export function applyChange (snapshot: Snapshot, change: DocumentChange): boolean {
  return applyChanges(snapshot, [change])[0] as boolean
}

/**
 * Applies changes in order, the same as one at a time; returns, for each, whether its
 * document was there before it. Consecutive puts of distinct documents go in as one batch.
 */
export function applyChanges (snapshot: Snapshot, changes: readonly DocumentChange[]): boolean[] {
  const existed: boolean[] = []
  let puts: PutChange[] = []
  const putIds = new Set<string>()
  const flush = (): void => {
    putDocuments(snapshot, puts)
    puts = []
    putIds.clear()
  }
  for (const change of changes) {
    // A document changed twice in a run: its first version goes in before the second is looked at.
    if (putIds.has(change.id)) flush()
    existed.push(snapshot.miniSearch.has(change.id))
    if (change.op === 'delete') {
      flush()
      deleteDocument(snapshot, change.id)
    } else {
      puts.push(change)
      putIds.add(change.id)
    }
  }
  flush()
  return existed
}

function deleteDocument (snapshot: Snapshot, id: string): void {
  if (snapshot.miniSearch.has(id)) snapshot.miniSearch.discard(id)
  snapshot.duplicates.remove(id)
}

/** Puts of distinct documents: the old versions discarded, the new ones added as one batch. */
function putDocuments (snapshot: Snapshot, puts: readonly PutChange[]): void {
  if (puts.length === 0) return
  const { miniSearch, documents, duplicates } = snapshot
  for (const { id } of puts) if (miniSearch.has(id)) miniSearch.discard(id)
  const indexed = puts.map(({ article }) => toIndexedDocument(article, documents.addOverlay(article)))
  const signatures = writerOf(snapshot).add(indexed)
  // A changed body may leave its group and join another: the new version's signature decides.
  puts.forEach(({ id }, at) => { duplicates.put(id, signatures[at]) })
}

function writerOf (snapshot: Snapshot): LiveDocumentWriter {
  let writer = writers.get(snapshot)
  if (writer === undefined) writers.set(snapshot, writer = new LiveDocumentWriter(snapshot.miniSearch, snapshot.forms, snapshot.analyzer))
  return writer
}
