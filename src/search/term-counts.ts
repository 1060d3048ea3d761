/**
 * How many tokens of a document's body carry each query term, read from the index: the
 * snippet builder uses these counts to analyse only candidate tokens (see snippet-matches).
 * MiniSearch keeps term frequencies per field and document in its protected `_index` and
 * offers no public lookup, so this reads it the way `vocabulary` does; when the shape is not
 * the expected one, no counts are given and snippets analyse every token, as before.
 */
import type MiniSearch from 'minisearch'
import type { MiniSearchState, TermData } from '../index/minisearch-internals.js'
import type { IndexedDocument } from '../index/minisearch-options.js'
import { termFrequency } from './score-query.js'
import type { TermCounts } from './snippet-matches.js'

/** Per query: each term's postings, looked up once; then the body counts for one document id. */
export function bodyTermCounts (miniSearch: MiniSearch<IndexedDocument>, terms: Iterable<string>): (id: unknown) => TermCounts | undefined {
  const { _index: index, _fieldIds: fieldIds, _idToShortId: shortIds } = miniSearch as unknown as Partial<MiniSearchState<IndexedDocument>>
  const bodyField = fieldIds?.body
  if (typeof index?.get !== 'function' || bodyField === undefined || !(shortIds instanceof Map)) return () => undefined
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
