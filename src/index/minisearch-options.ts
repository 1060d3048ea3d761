/**
 * The only place MiniSearch options are built. Building and loading an index must use the
 * very same tokenizer and term processing (MiniSearch does not serialise functions), so
 * both go through `miniSearchOptions`.
 */
import type { Options } from 'minisearch'
import type { Analyzer } from '../analysis/analyzer.js'
import type { ArticleKind } from '../corpus/article.js'

/**
 * The searchable text fields. The body is indexed but not stored in memory. The lead — the
 * body's opening — is indexed once more on its own: what an article is about is named in
 * its first lines, while a word met only deep in the body is often a passing mention.
 */
export const SEARCH_FIELDS = ['title', 'lead', 'body'] as const

/** A document's searched texts, in SEARCH_FIELDS order; undefined for an absent field. */
export function searchFieldTexts (document: IndexedDocument): Array<string | undefined> {
  return SEARCH_FIELDS.map(field => document[field])
}

/** The field near-duplicates are found by: the body (a copy often has a headline of its own). */
export const SIGNATURE_FIELD = SEARCH_FIELDS.indexOf('body')

/** Characters of the body that form the lead (cut back to a word boundary). */
export const LEAD_CHARS = 400

/** The opening of a body, at most `LEAD_CHARS` long, not cutting a word in two. */
export function leadOf (body: string): string {
  if (body.length <= LEAD_CHARS) return body
  const cut = body.lastIndexOf(' ', LEAD_CHARS)
  return body.slice(0, cut > 0 ? cut : LEAD_CHARS)
}

/** What a search hit needs without touching the document store. */
export interface StoredFields {
  title: string
  kind: ArticleKind
  url?: string
  date?: string
  tags?: string[]
  source?: string
  /** Where the full document lies in the documents file (docs.bin): byte offset and length. */
  offset: number
  length: number
}

/** The shape handed to MiniSearch's `add`: stored fields plus the indexed body. */
export interface IndexedDocument extends StoredFields {
  id: string
  lead: string
  body: string
}

/**
 * The stored fields read for every match of a query (filters, facets, date order) rather
 * than for a page's ten: a loaded build keeps them apart, ready to read (stored-fields-table.ts).
 */
export const HOT_STORED_FIELDS = ['date', 'tags', 'source'] as const satisfies ReadonlyArray<keyof StoredFields>

/** What filters, facets and date order read of a match. */
export type HotStoredFields = Pick<StoredFields, typeof HOT_STORED_FIELDS[number]>

export const STORE_FIELDS = ['title', 'kind', 'url', 'date', 'tags', 'source', 'offset', 'length'] as const satisfies ReadonlyArray<keyof StoredFields>

/** Stored fields whose values repeat from document to document: a build holds one string per value (index-builder.ts). */
export const SHARED_STORED_FIELDS = ['kind', 'source'] as const satisfies ReadonlyArray<typeof STORE_FIELDS[number]>

export function miniSearchOptions (analyzer: Analyzer): Options<IndexedDocument> {
  return {
    idField: 'id',
    fields: [...SEARCH_FIELDS],
    storeFields: [...STORE_FIELDS],
    tokenize: analyzer.tokenize,
    processTerm: analyzer.termsOf,
    // Lazy removal (discard) cleans up in the background once enough documents changed.
    autoVacuum: { minDirtCount: 100, minDirtFactor: 0.1, batchSize: 1000, batchWait: 10 }
  }
}
