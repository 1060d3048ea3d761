/**
 * Checks a loaded build before it goes live: it holds documents, and a few of its own
 * documents (the first, middle and last it indexed) are read back from the documents file
 * and found by searching for their titles (their rarest few words). A build that loads but cannot find what it holds
 * (a broken analyzer, a mangled index section, records that do not match the index) is
 * refused while the previous index keeps serving.
 */
import { CanaryError } from '../errors.js'
import { timeSlicer, type Pause } from '../index/time-slicer.js'
import { defaultQueryOptions } from '../search/query-options.js'
import { defaultRanking } from '../search/ranking.js'
import type { Results } from '../search/results.js'
import { rankAll } from '../search/search.js'
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
      const { results } = await ranked(snapshot, title)
      if (results.total === 0) continue // a title made only of stop words finds nothing by design
      if (!isAmongBest(results, article.id)) {
        throw new CanaryError(snapshot.buildId, `searching for the title of ${article.id} does not find it`)
      }
    }
    checked += 1
  }
  if (checked === 0) throw new CanaryError(snapshot.buildId, 'none of the sampled documents could be found by its title')
  return { checked }
}

async function finds (snapshot: Snapshot, q: string, id: string): Promise<boolean> {
  if (q === '') return false
  return isAmongBest((await ranked(snapshot, q)).results, id)
}

/** Results a check looks among: uncollapsed, so room for a document's near-duplicates ranked with it. */
const CANARY_RESULTS = 1000

/**
 * The results of `q`, ranked as a search ranks them, without a page's snippets (a hundred
 * bodies read and inflated per check, all in one turn of the event loop, while the live
 * build served 16 clients: 0.8 s at 800,000 documents), its work cut into slices. The title's
 * own words, never their near terms: a rare word (the check's rarest ones are in a document
 * or two) is widened by a fuzzy walk of the term tree, thousands of nodes not yet decoded in a
 * new build, which held the event loop for 40–80 ms in one piece just before an 800k swap.
 */
async function ranked (snapshot: Snapshot, q: string): Promise<{ results: Results }> {
  return await rankAll(snapshot, { q }, defaultRanking, CANARY_QUERY_OPTIONS, { pause: timeSlicer() })
}

const CANARY_QUERY_OPTIONS = { ...defaultQueryOptions, features: { ...defaultQueryOptions.features, fuzzy: false } }

function isAmongBest (results: Results, id: string): boolean {
  return results.top(CANARY_RESULTS).some(found => found.id === id)
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
  const sampled = await sampledIds(expectInternals(snapshot.miniSearch).documentIds, timeSlicer())
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

/** Ids counted between pauses while the sample is found. */
const IDS_BETWEEN_PAUSES = 16_384

/**
 * The ids of the first, middle and last documents, found by one pass with pauses: a copy of
 * every id to pick three was 30 ms in one piece at 800,000 documents, in the swap's turn.
 */
async function sampledIds (documentIds: ReadonlyMap<number, unknown>, pause: Pause): Promise<unknown[]> {
  const size = documentIds.size
  const wanted = new Set([0, Math.floor(size / 2), size - 1])
  const sampled = new Set<unknown>()
  let at = 0
  // By short id: a loaded build makes an id's string only when it is read (document-id-table.ts), so three are made.
  for (const shortId of documentIds.keys()) {
    if (wanted.has(at)) sampled.add(documentIds.get(shortId))
    at += 1
    if (at % IDS_BETWEEN_PAUSES === 0) await pause()
  }
  return [...sampled]
}

async function readRecord (snapshot: Snapshot, stored: StoredFields): Promise<Article> {
  try {
    return await snapshot.documents.read(stored)
  } catch (error) {
    throw new CanaryError(snapshot.buildId, `cannot read a document at byte ${stored.offset}: ${(error as Error).message}`)
  }
}
