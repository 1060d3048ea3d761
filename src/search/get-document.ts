/** Looks up one stored document by id, reading its full text from the document store. */
import type { Article } from '../corpus/article.js'
import type { Snapshot } from '../index/open-index.js'
import type { StoredFields } from '../index/minisearch-options.js'

export async function getDocument (snapshot: Snapshot, id: string): Promise<Article | undefined> {
  const stored = snapshot.miniSearch.getStoredFields(id) as StoredFields | undefined
  if (stored === undefined) return undefined
  return await snapshot.documents.read(stored)
}
