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
