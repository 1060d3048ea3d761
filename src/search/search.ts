/**
 * Ranked keyword search over a snapshot: parse the query, score with MiniSearch (BM25+,
 * headline boosted), page the results and build snippets for the page's hits only.
 * Ranking knobs live in `defaultSearchOptions`, the single place they are set.
 */
import type MiniSearch from 'minisearch'
import type { Query, SearchOptions as MiniSearchOptions, SearchResult } from 'minisearch'
import type { Analyzer } from '../analysis/analyzer.js'
import type { Snapshot } from '../index/open-index.js'
import type { IndexedDocument, StoredFields } from '../index/minisearch-options.js'
import { parseQuery, type ParsedQuery } from './parse-query.js'
import { makeSnippet, markAll } from './snippet.js'

export interface Bm25Params {
  /** Term-frequency saturation. */
  k: number
  /** Document-length normalisation. */
  b: number
  /** BM25+ floor for a matching term. */
  d: number
}

export interface SearchOptions {
  /** Field weights. */
  boost: { title: number, body: number }
  /** Queries of at most this many distinct words are "short" (tag-like), longer ones headline-like. */
  shortQueryMaxWords: number
  bm25Short: Bm25Params
  bm25Long: Bm25Params
}

/**
 * Tuned on the relevance evaluation (docs/RELEVANCE.md), one configuration for every query:
 * short queries want little length normalisation (b 0.3), headline-length queries strong
 * saturation and full length normalisation (k 10, b 1). The title is scored as its own short
 * BM25 field, so a headline match already outweighs a body match of the same word; boosting it
 * further measured worse (tag nDCG@10: title weight 1.5 → 0.579, 1 → 0.583, 0.7 → 0.585), and
 * 1 keeps a headline hit above body-only hits.
 */
export const defaultSearchOptions: SearchOptions = {
  boost: { title: 1, body: 1 },
  shortQueryMaxWords: 3,
  bm25Short: { k: 1.2, b: 0.3, d: 0.5 },
  bm25Long: { k: 10, b: 1, d: 0 }
}

export interface SearchRequest {
  q: string
  limit: number
  offset: number
}

export interface SearchHit {
  id: string
  title: string
  /** The headline, HTML-escaped, with the matched words in <mark>. */
  titleHtml: string
  kind: StoredFields['kind']
  url?: string
  date?: string
  source?: string
  tags?: string[]
  score: number
  /** The best-matching passage, HTML-escaped, with the matched words in <mark>. */
  snippet: string
}

export interface SearchResponse {
  query: string
  total: number
  tookMs: number
  hits: SearchHit[]
}

export async function search (snapshot: Snapshot, request: SearchRequest, options: SearchOptions = defaultSearchOptions): Promise<SearchResponse> {
  const started = performance.now()
  const { parsed, results } = rankDocuments(snapshot.miniSearch, snapshot.analyzer, request.q, options)
  const page = results.slice(request.offset, request.offset + request.limit)
  const hits = await Promise.all(page.map(result => toHit(snapshot, result, parsed)))
  return { query: request.q, total: results.length, tookMs: round(performance.now() - started), hits }
}

/**
 * Every matching document, best first: the ranking itself, shared by the HTTP API and the
 * relevance evaluation so that what is measured is what is served.
 */
export function rankDocuments (miniSearch: MiniSearch<IndexedDocument>, analyzer: Analyzer, q: string, options: SearchOptions = defaultSearchOptions): { parsed: ParsedQuery, results: SearchResult[] } {
  const parsed = parseQuery(q, analyzer)
  const results = parsed.groups.length === 0 ? [] : miniSearch.search(toMiniSearchQuery(parsed), searchOptions(options, parsed))
  return { parsed, results }
}

/** One OR group per query word; the terms are already analysed, so MiniSearch must not re-analyse them. */
function toMiniSearchQuery (parsed: ParsedQuery): Query {
  return {
    combineWith: 'OR',
    queries: parsed.groups.map(group => group.length === 1 ? group[0] as string : { combineWith: 'OR', queries: group })
  }
}

function searchOptions (options: SearchOptions, parsed: ParsedQuery): MiniSearchOptions {
  const short = distinctWords(parsed) <= options.shortQueryMaxWords
  return {
    tokenize: term => [term],
    processTerm: term => term,
    boost: options.boost,
    bm25: short ? options.bm25Short : options.bm25Long
  }
}

function distinctWords (parsed: ParsedQuery): number {
  return new Set(parsed.groups.map(group => group.join('\u0000'))).size
}

async function toHit (snapshot: Snapshot, result: SearchResult, parsed: ParsedQuery): Promise<SearchHit> {
  const stored = result as unknown as SearchResult & StoredFields
  const article = stored.kind === 'headline' ? undefined : await snapshot.documents.read(stored)
  const snippetSource = article === undefined || article.body === '' ? stored.title : article.body
  return {
    id: String(result.id),
    title: stored.title,
    titleHtml: markAll(stored.title, parsed.terms, snapshot.analyzer),
    kind: stored.kind,
    ...(stored.url === undefined ? {} : { url: stored.url }),
    ...(stored.date === undefined ? {} : { date: stored.date }),
    ...(stored.source === undefined ? {} : { source: stored.source }),
    ...(stored.tags === undefined ? {} : { tags: stored.tags }),
    score: round(result.score),
    snippet: makeSnippet(snippetSource, parsed.terms, snapshot.analyzer)
  }
}

function round (value: number): number {
  return Math.round(value * 1000) / 1000
}
