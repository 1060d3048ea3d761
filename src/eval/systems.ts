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
import { toIndexedDocument } from '../index/build-index.js'
import { miniSearchOptions, type IndexedDocument } from '../index/minisearch-options.js'
import { defaultSearchOptions, rankDocuments, type SearchOptions } from '../search/search.js'

export interface EvalDocument {
  id: string
  title: string
  body: string
}

/** Returns the ids of the best `k` documents for a query. */
export type Searcher = (query: string, k: number) => string[]

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
    return (query, k) => miniSearch.search(query, { combineWith: 'OR' }).slice(0, k).map(result => String(result.id))
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
    return (query, k) => miniSearch.search(query, { combineWith: 'OR' }).slice(0, k).map(result => String(result.id))
  }
}

/** poisk as served; `overrides` lets a tuning run try other ranking options. */
export function poiskSystem (overrides: Partial<SearchOptions> = {}): SearchSystem {
  const options = { ...defaultSearchOptions, ...overrides }
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
const poiskIndexes = new WeakMap<readonly EvalDocument[], { miniSearch: MiniSearch<IndexedDocument>, analyzer: Analyzer }>()

function indexWithPoisk (documents: readonly EvalDocument[], options: SearchOptions): Searcher {
  let built = poiskIndexes.get(documents)
  if (built === undefined) {
    const analyzer = createDefaultAnalyzer()
    const miniSearch = new MiniSearch<IndexedDocument>(miniSearchOptions(analyzer))
    for (const document of documents) {
      miniSearch.add(toIndexedDocument({ ...document, kind: 'article', tags: [] }, { offset: 0, length: 0 }))
    }
    built = { miniSearch, analyzer }
    poiskIndexes.set(documents, built)
  }
  const { miniSearch, analyzer } = built
  return (query, k) => rankDocuments(miniSearch, analyzer, query, options).results.slice(0, k).map(result => String(result.id))
}

export const SYSTEMS: readonly SearchSystem[] = [minisearchDefault, snowball, poiskSystem()]
