/**
 * MiniSearch's scoring without its per-match objects. `MiniSearch#search` copies the stored
 * fields into a new object for every match, lists its matched terms and sorts them all, though
 * a page shows ten and `rank` sorts again; on a frequent word that is thousands of objects per
 * query and most of the garbage a search makes. This runs MiniSearch's own query execution
 * (the same BM25+ scores, the same order of matches, the same `score × matched query terms`)
 * and builds a match's `SearchResult` only when it is asked for (page hits, phrase checks).
 * `rank`'s sort is stable, so sorting these unsorted matches orders them exactly as sorting
 * MiniSearch's score-sorted results did. The protected `executeQuery` is reached by name
 * (there is no public way to score without the objects); without it, `search` is used.
 */
import type MiniSearch from 'minisearch'
import type { MatchInfo, Query, SearchOptions, SearchResult } from 'minisearch'
import type { MiniSearchState } from '../index/minisearch-internals.js'
import type { IndexedDocument, StoredFields } from '../index/minisearch-options.js'
import { scoreQuery } from './score-query.js'

/** One scored match; `result()` gives what `MiniSearch#search` would have returned for it. */
export interface ScoredMatch {
  readonly id: unknown
  readonly score: number
  /** The matched query terms, in any order; `result().queryTerms` has MiniSearch's order. */
  readonly queryTerms: readonly string[]
  readonly fields: StoredFields
  result: () => SearchResult
}

/** Every match of `query` that `accept`s, in MiniSearch's execution order (not sorted). */
export function matchAll (miniSearch: MiniSearch<IndexedDocument>, query: Query, options: SearchOptions, accept?: (id: unknown, fields: StoredFields) => boolean): ScoredMatch[] {
  const internals = miniSearch as unknown as Partial<MiniSearchState<StoredFields>>
  const { _documentIds: documentIds, _storedFields: storedFields } = internals
  if (typeof internals.executeQuery !== 'function' || documentIds === undefined || storedFields === undefined) {
    return viaSearch(miniSearch, query, options, accept)
  }
  const matches: ScoredMatch[] = []
  // The flat-array scorer when it handles the query; MiniSearch's own execution otherwise.
  const scored = scoreQuery(miniSearch, query, options)
  if (scored !== undefined) {
    const termLists = new Map<number, string[]>()
    scored.forEach((shortId, score, mask) => {
      const id = documentIds.get(shortId)
      const fields = storedFields.get(shortId) as StoredFields
      if (accept !== undefined && !accept(id, fields)) return
      let queryTerms = termLists.get(mask)
      if (queryTerms === undefined) {
        queryTerms = termsOfMask(scored.terms, mask)
        termLists.set(mask, queryTerms)
      }
      matches.push(new LazyMatch(id, score * (queryTerms.length || 1), queryTerms, () => scored.matchOf(shortId), fields))
    })
    return matches
  }
  const raw = internals.executeQuery.call(miniSearch, query, options)
  for (const [shortId, { score, terms, match }] of raw) {
    const id = documentIds.get(shortId)
    const fields = storedFields.get(shortId) as StoredFields
    if (accept !== undefined && !accept(id, fields)) continue
    matches.push(new LazyMatch(id, score * (terms.length || 1), terms, () => ({ match, queryTerms: terms }), fields))
  }
  return matches
}

class LazyMatch implements ScoredMatch {
  private built: SearchResult | undefined

  /** `queryTerms`: the matched query terms, in any order (shared between matches: read only). */
  constructor (readonly id: unknown, readonly score: number, readonly queryTerms: string[], private readonly matchInfo: () => { match: MatchInfo, queryTerms: string[] }, readonly fields: StoredFields) {}

  result (): SearchResult {
    if (this.built === undefined) {
      const { match, queryTerms } = this.matchInfo()
      this.built = { id: this.id, score: this.score, terms: Object.keys(match), queryTerms, match, ...this.fields }
    }
    return this.built
  }
}

function termsOfMask (terms: string[], mask: number): string[] {
  return terms.filter((_, bit) => (mask & (1 << bit)) !== 0)
}

function viaSearch (miniSearch: MiniSearch<IndexedDocument>, query: Query, options: SearchOptions, accept?: (id: unknown, fields: StoredFields) => boolean): ScoredMatch[] {
  const results = miniSearch.search(query, accept === undefined ? options : { ...options, filter: result => accept(result.id, result as unknown as StoredFields) })
  return results.map(result => ({ id: result.id, score: result.score, queryTerms: result.queryTerms, fields: result as unknown as StoredFields, result: () => result }))
}
