/**
 * The search systems compared by the evaluation, each built on the same documents:
 * MiniSearch with its default processing (no Russian analysis), MiniSearch with the
 * Snowball Russian stemmer and stop words (what Elasticsearch's and PostgreSQL's `russian`
 * analysers amount to), and poisk as served — its analyzer, options and ranking.
 */
import MiniSearch from 'minisearch'
import { stemmer as snowballRussian } from '@orama/stemmers/russian'
import type { Analyzer } from '../analysis/analyzer.js'
import { createDefaultAnalyzer } from '../analysis/default-analyzer.js'
import { isStopword } from '../analysis/stopwords.js'
import { DuplicateIndex } from '../index/duplicate-index.js'
import { toIndexedDocument } from '../index/build-index.js'
import { analyseBatch } from '../index/document-terms.js'
import { IndexBuilder } from '../index/index-builder.js'
import { miniSearchOptions, SEARCH_FIELDS, searchFieldTexts, type IndexedDocument } from '../index/minisearch-options.js'
import type { Article } from '../corpus/article.js'
import type { DocumentStore } from '../index/document-store.js'
import type { Manifest } from '../index/manifest.js'
import type { Snapshot } from '../index/open-index.js'
import { defaultRanking, type RankingConfig } from '../search/ranking.js'
import { rankAll } from '../search/search.js'

export interface EvalDocument {
  id: string
  title: string
  body: string
}

/** Returns the ids of the best `k` documents for a query. */
export type Searcher = (query: string, k: number) => Promise<string[]>

export interface SearchSystem {
  name: string
  description: string
  index: (documents: readonly EvalDocument[]) => Searcher
}

const minisearchDefault: SearchSystem = {
  name: 'minisearch-default',
  description: 'MiniSearch 7.2, default tokenizer and processing (lowercase only)',
  index (documents) {
    const miniSearch = new MiniSearch<EvalDocument>({ fields: ['title', 'body'] })
    miniSearch.addAll(documents)
    return async (query, k) => miniSearch.search(query, { combineWith: 'OR' }).slice(0, k).map(result => String(result.id))
  }
}

const snowball: SearchSystem = {
  name: 'snowball',
  description: 'MiniSearch 7.2 + Snowball Russian stemmer (@orama/stemmers) + stop words',
  index (documents) {
    const processTerm = (term: string): string | null => {
      const word = term.toLowerCase().replace(/ё/g, 'е')
      return isStopword(word) ? null : snowballRussian(word)
    }
    const miniSearch = new MiniSearch<EvalDocument>({ fields: ['title', 'body'], processTerm })
    miniSearch.addAll(documents)
    return async (query, k) => miniSearch.search(query, { combineWith: 'OR' }).slice(0, k).map(result => String(result.id))
  }
}

/** poisk as served; `overrides` lets a tuning run try other ranking options. */
export function poiskSystem (overrides: Partial<RankingConfig> = {}): SearchSystem {
  const options = { ...defaultRanking, ...overrides }
  const tuned = Object.keys(overrides).length > 0
  return {
    name: 'poisk',
    description: tuned
      ? `poisk with ranking overrides ${JSON.stringify(overrides)}`
      : 'poisk as served: its analyzer, index options and ranking (src/search/search.ts defaults)',
    index: documents => indexWithPoisk(documents, options)
  }
}

/** Tuning runs compare several rankings over one index: build it once per document set. */
const poiskSnapshots = new WeakMap<readonly EvalDocument[], Snapshot>()

function indexWithPoisk (documents: readonly EvalDocument[], options: RankingConfig): Searcher {
  let snapshot = poiskSnapshots.get(documents)
  if (snapshot === undefined) {
    snapshot = inMemorySnapshot(documents)
    poiskSnapshots.set(documents, snapshot)
  }
  const served = snapshot
  return async (query, k) => (await rankAll(served, { q: query }, options)).results.top(k).map(found => String(found.result.id))
}

/**
 * A snapshot held in memory: the same analyzer, MiniSearch options and search path as a
 * served index, with documents read from the array (phrase checks read bodies) instead of
 * the documents file — the evaluation never writes an index to disk.
 */
function inMemorySnapshot (documents: readonly EvalDocument[]): Snapshot {
  const analyzer: Analyzer = createDefaultAnalyzer()
  // The index is filled the way a build fills it (index-builder.ts), so what is measured is what is served.
  const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
  const indexed = documents.map((document, at) => toIndexedDocument({ ...document, kind: 'article', tags: [] }, { offset: at, length: 0 }))
  builder.addBatch(indexed, analyseBatch(analyzer, indexed.map(searchFieldTexts), SEARCH_FIELDS.length))
  const miniSearch = builder.build()
  const read = async ({ offset }: { offset: number }): Promise<Article> => ({ ...documents[offset] as EvalDocument, kind: 'article' as const, tags: [] })
  const store: Pick<DocumentStore, 'read' | 'readBodyOpening' | 'readBody' | 'bodyReader' | 'close'> = {
    read,
    readBodyOpening: async location => {
      const { body } = await read(location)
      return { body, bodyLength: body.length }
    },
    readBody: async location => (await read(location)).body,
    bodyReader: async location => {
      const { body } = await read(location)
      return () => body
    },
    close: async () => {}
  }
  return {
    buildId: 'eval',
    manifest: { documentCount: documents.length } as Manifest,
    miniSearch,
    documents: store as unknown as DocumentStore,
    analyzer,
    forms: builder.forms.toTable(),
    // The evaluation ranks every match (rankAll) and never collapses copies: none are grouped.
    duplicates: new DuplicateIndex()
  }
}

export const SYSTEMS: readonly SearchSystem[] = [minisearchDefault, snowball, poiskSystem()]
