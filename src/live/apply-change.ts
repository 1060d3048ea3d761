/**
 * Applies a live document change to a loaded snapshot, in place: MiniSearch's `replace`
 * for a changed document, `add` for a new one and `discard` for a removed one. `discard`
 * is lazy, and the auto-vacuum configured in `miniSearchOptions` cleans the index in the
 * background, so repeated changes do not grow it without bound. An added document's word
 * forms join the snapshot's form table, which snippets rely on to be complete; it joins
 * or leaves near-duplicate groups (duplicate-index.ts).
 */
import type { DocumentChange } from '../index/change-records.js'
import type { Snapshot } from '../index/open-index.js'
import { toIndexedDocument } from '../index/build-index.js'
import { signatureOfText } from '../index/duplicate-index.js'
import { putDocument } from '../index/put-document.js'

export function applyChange (snapshot: Snapshot, change: DocumentChange): void {
  const { miniSearch, duplicates } = snapshot
  if (change.op === 'delete') {
    if (miniSearch.has(change.id)) miniSearch.discard(change.id)
    duplicates.remove(change.id)
    return
  }
  // A changed body may leave its group and join another: the new version's signature decides.
  duplicates.put(change.id, signatureOfText(snapshot.analyzer, change.article.body))
  const location = snapshot.documents.addOverlay(change.article)
  putDocument(miniSearch, snapshot.forms, snapshot.analyzer, toIndexedDocument(change.article, location))
}

export function applyChanges (snapshot: Snapshot, changes: readonly DocumentChange[]): void {
  for (const change of changes) applyChange(snapshot, change)
}
