/**
 * A build's first searches, made by the server before its users' (at a start in the
 * background once the build is live, before a swap while the served build still answers),
 * with the words its newest headlines use most.
 *
 * Why: the first query on a fresh build paid for what every later one reuses. At 800,000
 * documents, on a started server, «100 дней трампа» took 185 ms as the first query and 26 ms
 * later; the first queries on frequent words («rt», «вкс россии», «белый дом») took 40–45 ms,
 * against 15–25 warm. Their postings were decoded and levelled (score-bounds.ts) for the first
 * time, the code that ranks them compiled, the arrays lent from query to query allocated. The
 * most frequent words are in most queries, so searching them once, in slices, does that
 * work ahead for the queries that follow: as Elasticsearch's warmers and Solr's first-searcher
 * queries did, with the words read from the build itself instead of a configured list. (The
 * route's own first-request costs, 40–50 ms once, are left: a request the server made itself
 * would show in the logs and metrics its users read.)
 */
import type { Snapshot } from '../index/open-index.js'
import { expectInternals, type TermData } from '../index/minisearch-internals.js'
import { storedValue } from '../index/stored-fields-table.js'
import { LazyTermData } from '../index/term-data.js'
import { runPausing, timeSlicer, type Pause } from '../index/time-slicer.js'
import type { QueryOptions } from './query-options.js'
import { defaultRanking } from './ranking.js'
import { search } from './search.js'

/** Newest headlines whose words are candidates. */
const HEADLINES_READ = 100
/** The most frequent of their words, searched alone and together. */
const WORDS_SEARCHED = 12

/**
 * Searches the most frequent words of the newest headlines: each alone, then the first two and
 * three together, and the first six and the next six (one word, short coordinated queries and
 * long ones: each way a query is ranked, in both BM25 shapes), `pause` awaited between pieces
 * of work. Returns the queries made.
 */
export async function warmUp (snapshot: Snapshot, queryOptions: QueryOptions, pause: Pause = timeSlicer()): Promise<string[]> {
  const words = await runPausing(frequentHeadlineWords(snapshot), pause)
  const together = [words.slice(0, 2), words.slice(0, 3), words.slice(0, 6), words.slice(6, 12)].filter(some => some.length > 1)
  const queries = [...new Set([...words, ...together.map(some => some.join(' '))])]
  for (const q of queries) {
    await search(snapshot, { q, limit: 10, offset: 0 }, defaultRanking, queryOptions, { pause })
    await pause()
  }
  return queries
}

/**
 * The words of the newest headlines (highest short ids) found in the most headlines, most
 * first, one per term: a headline's words are what a newsroom's readers search (in bodies the
 * most frequent are words like «который»). Yields after each term: a term's count is read
 * from the term tree, which a fresh build decodes from the file as it is walked (2,500 words
 * of 200 headlines held the event loop for 480 ms at 800,000 documents).
 */
function * frequentHeadlineWords (snapshot: Snapshot): Generator<void, string[], undefined> {
  const { documentIds, storedFields, nextId, termTree, fieldIds } = expectInternals(snapshot.miniSearch)
  const titleField = fieldIds.title
  if (titleField === undefined) return []
  const byTerm = new Map<string, { word: string, documents: number }>()
  let read = 0
  for (let shortId = nextId - 1; shortId >= 0 && read < HEADLINES_READ; shortId -= 1) {
    if (!documentIds.has(shortId)) continue
    const title = storedValue(storedFields, shortId, 'title')
    if (typeof title !== 'string') continue
    read += 1
    for (const { text, terms } of snapshot.analyzer.analyzeWithOffsets(title)) {
      const term = terms[0]
      if (term === undefined || byTerm.has(term)) continue
      const postings = termTree.get(term)
      byTerm.set(term, { word: text.toLowerCase(), documents: postings === undefined ? 0 : headlinesHolding(postings, titleField) })
      yield
    }
  }
  return [...byTerm.values()].sort((a, b) => b.documents - a.documents).slice(0, WORDS_SEARCHED).map(({ word }) => word)
}

/** Documents whose headline holds the term (a loaded term counted without decoding it: a Map's `get` would). */
function headlinesHolding (postings: TermData, titleField: number): number {
  return postings instanceof LazyTermData ? postings.fieldDocuments(titleField) : postings.get(titleField)?.size ?? 0
}
