/**
 * Checks a loaded build before it goes live: it holds documents, and a few of its own
 * documents (from the start, middle and end of docs.jsonl) are found by searching for
 * their titles. A build that loads but cannot find what it holds (a broken analyzer, a
 * mangled index section) is refused while the previous index keeps serving.
 */
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { CanaryError } from '../errors.js'
import { search } from '../search/search.js'
import type { Article } from '../corpus/article.js'
import { DOCUMENTS_FILE } from './document-store.js'
import { buildPath } from './index-directory.js'
import type { StoredFields } from './minisearch-options.js'
import type { Snapshot } from './open-index.js'

const PROBE_BYTES = 1 << 16

export async function checkCanaries (indexDir: string, snapshot: Snapshot): Promise<{ checked: number }> {
  if (snapshot.miniSearch.documentCount === 0) throw new CanaryError(snapshot.buildId, 'the build holds no documents')
  const candidates = await sampleDocuments(join(buildPath(indexDir, snapshot.buildId), DOCUMENTS_FILE))
  let checked = 0
  for (const { article, offset } of candidates) {
    const stored = snapshot.miniSearch.getStoredFields(article.id) as StoredFields | undefined
    // A line superseded or removed by a logged change is not this build's document.
    if (stored?.offset !== offset) continue
    const response = await search(snapshot, { q: article.title.slice(0, 400), limit: 100, offset: 0 })
    if (response.total === 0) continue // a title made only of stop words finds nothing by design
    if (!response.hits.some(hit => hit.id === article.id)) {
      throw new CanaryError(snapshot.buildId, `searching for the title of ${article.id} does not find it`)
    }
    checked += 1
  }
  if (checked === 0) throw new CanaryError(snapshot.buildId, 'none of the sampled documents could be found by its title')
  return { checked }
}

/** Whole lines found at the start, middle and near the end of the documents file. */
async function sampleDocuments (path: string): Promise<Array<{ article: Article, offset: number }>> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const found: Array<{ article: Article, offset: number }> = []
    for (const at of new Set([0, Math.floor(size / 2), Math.max(0, size - PROBE_BYTES)])) {
      const buffer = Buffer.alloc(Math.min(PROBE_BYTES, size - at))
      await handle.read(buffer, 0, buffer.length, at)
      // Unless reading from the start, the first line is partial: begin after it.
      const start = at === 0 ? 0 : buffer.indexOf(0x0a) + 1
      const end = buffer.indexOf(0x0a, start)
      if (start === 0 && at !== 0) continue
      if (end === -1) continue
      found.push({ article: JSON.parse(buffer.toString('utf8', start, end)) as Article, offset: at + start })
    }
    return found
  } finally {
    await handle.close()
  }
}
