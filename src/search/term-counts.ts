/**
 * How many tokens of a document's body carry each query term, read from the index: the
 * snippet builder uses these counts to analyse only candidate tokens (see snippet-matches).
 * MiniSearch keeps term frequencies per field and document in its private term tree and
 * offers no public lookup, so this reads it through minisearch-internals.ts, as `vocabulary`
 * does; when the shape is not the expected one, no counts are given and snippets analyse
 * every token, as before.
 */
import type MiniSearch from 'minisearch'
import { internalsOf, type TermData } from '../index/minisearch-internals.js'
import type { IndexedDocument } from '../index/minisearch-options.js'
import { LazyTermData } from '../index/term-data.js'
import { termFrequency } from './score-query.js'
import type { TermCounts } from './snippet-matches.js'

/** Per query: each term's postings, looked up once; then the body counts for one document id. */
export function bodyTermCounts (miniSearch: MiniSearch<IndexedDocument>, terms: Iterable<string>): (id: unknown) => TermCounts | undefined {
  const internals = internalsOf(miniSearch)
  const bodyField = internals?.fieldIds.body
  if (internals === undefined || bodyField === undefined) return () => undefined
  const { termTree: index, idToShortId: shortIds } = internals
  const data = new Map<string, TermData | undefined>()
  for (const term of terms) data.set(term, index.get(term))
  return id => {
    const shortId = shortIds.get(id)
    if (shortId === undefined) return undefined
    return term => {
      if (!data.has(term)) return undefined
      const termData = data.get(term)
      return termData === undefined ? 0 : termFrequency(termData, bodyField, shortId)
    }
  }
}

/**
 * The short ids of the documents whose `field` holds one of `terms`, from the postings (a
 * phrase's candidates: search.ts); undefined when the index's shape is not the expected one.
 * Postings of documents discarded by live changes may be among them: callers meet only live matches.
 */
export function fieldDocuments (miniSearch: MiniSearch<IndexedDocument>, terms: Iterable<string>, field: string): Set<number> | undefined {
  const internals = internalsOf(miniSearch)
  const fieldId = internals?.fieldIds[field]
  if (internals === undefined || fieldId === undefined) return undefined
  const documents = new Set<number>()
  for (const term of terms) {
    const data = internals.termTree.get(term)
    if (data === undefined) continue
    const arrays = data instanceof LazyTermData ? data.postingArrays() : undefined
    const postings = arrays === undefined ? data.get(fieldId)?.keys() : arrays.find(entry => entry.fieldId === fieldId)?.documents
    for (const shortId of postings ?? []) documents.add(shortId)
  }
  return documents
}
