/**
 * Checks a loaded build before it goes live: it holds documents, and a few of its own
 * documents (the first, middle and last it indexed) are read back from the documents file
 * and found by searching for their titles (their rarest few words). A build that loads but cannot find what it holds
 * (a broken analyzer, a mangled index section, records that do not match the index) is
 * refused while the previous index keeps serving.
 */
import { CanaryError } from '../errors.js'
import { search } from '../search/search.js'
import { vocabularyOf } from '../search/vocabulary.js'
import type { Article } from '../corpus/article.js'
import { expectInternals } from '../index/minisearch-internals.js'
import type { StoredFields } from '../index/minisearch-options.js'
import type { Snapshot } from '../index/open-index.js'

export async function checkCanaries (snapshot: Snapshot): Promise<{ checked: number }> {
  if (snapshot.miniSearch.documentCount === 0) throw new CanaryError(snapshot.buildId, 'the build holds no documents')
  let checked = 0
  for (const article of await sampleDocuments(snapshot)) {
    const title = article.title.slice(0, 400)
    if (!await finds(snapshot, rarestWords(snapshot, title), article.id)) {
      // Not found by its rarest words: the whole title decides, as it always did.
      const response = await search(snapshot, { q: title, limit: 100, offset: 0 })
      if (response.total === 0) continue // a title made only of stop words finds nothing by design
      if (!response.hits.some(hit => hit.id === article.id)) {
        throw new CanaryError(snapshot.buildId, `searching for the title of ${article.id} does not find it`)
      }
    }
    checked += 1
    // Each search holds the event loop; let requests on the live build through between them.
    await new Promise(resolve => setImmediate(resolve))
  }
  if (checked === 0) throw new CanaryError(snapshot.buildId, 'none of the sampled documents could be found by its title')
  return { checked }
}

async function finds (snapshot: Snapshot, q: string, id: string): Promise<boolean> {
  if (q === '') return false
  const response = await search(snapshot, { q, limit: 100, offset: 0 })
  return response.hits.some(hit => hit.id === id)
}

/** Words searched for of a title: at most this many, the rarest in the index. */
const CANARY_WORDS = 4

/**
 * The title's rarest words (those with index terms, the fewest documents first), in title
 * order. A whole title of common words scores the postings of every document holding any
 * of them: at 800,000 documents, a search long enough to stall a server's event loop while
 * the build is checked. A document must still be found by its own words.
 */
function rarestWords (snapshot: Snapshot, title: string): string {
  const vocabulary = vocabularyOf(snapshot)
  const words = snapshot.analyzer.analyzeWithOffsets(title)
    .filter(token => token.terms.length > 0)
    .map((token, order) => ({ text: token.text, order, documents: Math.min(...token.terms.map(term => vocabulary.documentsWith(term))) }))
  const seen = new Set<string>()
  const distinct = words.filter(word => !seen.has(word.text) && seen.add(word.text) !== undefined)
  return distinct
    .sort((a, b) => a.documents - b.documents || a.order - b.order)
    .slice(0, CANARY_WORDS)
    .sort((a, b) => a.order - b.order)
    .map(word => word.text)
    .join(' ')
}

/** The first, middle and last indexed documents, as their records in the documents file hold them. */
async function sampleDocuments (snapshot: Snapshot): Promise<Article[]> {
  const ids = [...expectInternals(snapshot.miniSearch).documentIds.values()]
  const sampled = [...new Set([ids[0], ids[Math.floor(ids.length / 2)], ids.at(-1)])]
  const articles: Article[] = []
  for (const id of sampled) {
    const stored = snapshot.miniSearch.getStoredFields(String(id)) as StoredFields | undefined
    if (stored === undefined) continue
    const article = await readRecord(snapshot, stored)
    if (article.id !== String(id)) {
      throw new CanaryError(snapshot.buildId, `the documents file holds ${article.id} where the index expects ${String(id)}`)
    }
    articles.push(article)
  }
  return articles
}

async function readRecord (snapshot: Snapshot, stored: StoredFields): Promise<Article> {
  try {
    return await snapshot.documents.read(stored)
  } catch (error) {
    throw new CanaryError(snapshot.buildId, `cannot read a document at byte ${stored.offset}: ${(error as Error).message}`)
  }
}
