/**
 * Every match of a query as parallel arrays, in MiniSearch's execution order (not sorted).
 * `MiniSearch#search` copies the stored fields into a new object for every match, lists its
 * matched terms and sorts them all, though a page shows ten; on a frequent word that is
 * thousands of objects per query and most of the garbage a search makes. This runs
 * MiniSearch's own scoring (score-query.ts: the same BM25+ scores, the same order of matches)
 * and builds a match's `SearchResult` only when it is asked for (page hits, phrase checks).
 * When the flat scorer does not handle a query, MiniSearch's own private execution is used
 * (`miniSearchResults`: there is no public way to score without the objects), else `search`;
 * `onFallback` is told why.
 */
import type MiniSearch from 'minisearch'
import type { MatchInfo, Query, SearchOptions, SearchResult } from 'minisearch'
import { internalsOf, miniSearchResults } from '../index/minisearch-internals.js'
import type { HotStoredFields, IndexedDocument, StoredFields } from '../index/minisearch-options.js'
import { storedHotFields, storedValue } from '../index/stored-fields-table.js'
import { ownArrays, type MatchArrays } from './match-buffers.js'
import { runAtOnce, runPausing, type Pause } from '../index/time-slicer.js'
import { scoreQuery, scoreQueryPausing, type ScoredQuery, type Unscored } from './score-query.js'
import type { DocumentSet } from './match-universe.js'

/**
 * Which matches a list keeps: none whose document id is in `excludedIds`, and only those
 * whose hot fields `keep` accepts. Ids are looked up once per list, not read per match (a
 * loaded build makes an id's string when it is asked for: document-id-table.ts).
 */
export interface MatchFilter {
  excludedIds?: ReadonlySet<unknown>
  /** Excluded too, by short id. */
  excluded?: DocumentSet
  keep?: (fields: HotStoredFields) => boolean
  /** Only these documents (by short id): the others are not even scored. */
  only?: DocumentSet
}

/** Told when a query is scored by MiniSearch's own execution instead of score-query, and why. */
export type OnScoringFallback = (reason: string) => void

export interface MatchList {
  readonly length: number
  /** MiniSearch's score before its `× matched query terms`. */
  score: (at: number) => number
  /** The query terms the match holds, in any order (arrays shared between matches: read only). */
  queryTerms: (at: number) => readonly string[]
  id: (at: number) => unknown
  /** The match's short id (MiniSearch's internal document number); -1 where MiniSearch's public search ran. */
  shortId: (at: number) => number
  fields: (at: number) => StoredFields
  /** The fields read for every match (filters, facets), without building the match's `fields`. */
  hotFields: (at: number) => HotStoredFields
  date: (at: number) => string | undefined
  /** What `MiniSearch#search` returns for the match (its score × matched terms). */
  result: (at: number) => SearchResult
  /** The arrays the list is held in, whose `finalScores` and `wordsMatched` are free for the caller's ranking. */
  readonly arrays?: MatchArrays
  /** With `arrays`: the lists of query terms `arrays.termListOf` numbers (a query has few). */
  readonly termLists?: ReadonlyArray<readonly string[]>
}

/** Every match of `query` that `filter` keeps. */
export function matchList (miniSearch: MiniSearch<IndexedDocument>, query: Query, options: SearchOptions, filter?: MatchFilter, onFallback?: OnScoringFallback, allocate: (length: number) => MatchArrays = ownArrays): MatchList {
  if (internalsOf(miniSearch) === undefined) return withoutInternals(miniSearch, query, options, filter, onFallback)
  return runAtOnce(listing(miniSearch, scoreQuery(miniSearch, query, options, filter?.only), query, options, filter, onFallback, allocate))
}

/**
 * `matchList` with the scoring done in pieces, `pause` awaited between them (score-query's
 * scoreQueryPausing; the index must not change meanwhile).
 */
export async function matchListPausing (miniSearch: MiniSearch<IndexedDocument>, query: Query, options: SearchOptions, pause: Pause, filter?: MatchFilter, onFallback?: OnScoringFallback, allocate: (length: number) => MatchArrays = ownArrays): Promise<MatchList> {
  if (internalsOf(miniSearch) === undefined) return withoutInternals(miniSearch, query, options, filter, onFallback)
  return await runPausing(listing(miniSearch, await scoreQueryPausing(miniSearch, query, options, pause, filter?.only), query, options, filter, onFallback, allocate), pause)
}

function withoutInternals (miniSearch: MiniSearch<IndexedDocument>, query: Query, options: SearchOptions, filter?: MatchFilter, onFallback?: OnScoringFallback): MatchList {
  onFallback?.('the index does not have the internal shape of MiniSearch 7.2: using its search')
  return viaSearch(miniSearch, query, options, filter)
}

/** The matches `scored` found (yielding between pieces of them), or MiniSearch's own execution's where it could not score the query. */
function * listing (miniSearch: MiniSearch<IndexedDocument>, scored: ScoredQuery | Unscored, query: Query, options: SearchOptions, filter: MatchFilter | undefined, onFallback: OnScoringFallback | undefined, allocate: (length: number) => MatchArrays): Generator<void, MatchList, void> {
  const { documentIds, idToShortId, storedFields } = internalsOf(miniSearch) as NonNullable<ReturnType<typeof internalsOf>>
  const accept = filter === undefined ? undefined : acceptorOf(filter, idToShortId, storedFields)
  if ('unsupported' in scored) {
    onFallback?.(scored.unsupported)
  } else {
    const list = new ArrayMatchList(documentIds, storedFields, allocate(scored.count))
    const listOfMask = new Map<number, number>()
    yield * scored.visiting((shortId, score, mask) => {
      if (accept !== undefined && !accept(shortId)) return
      let termList = listOfMask.get(mask)
      if (termList === undefined) listOfMask.set(mask, termList = list.addTermList(scored.terms.filter((_, bit) => (mask & (1 << bit)) !== 0)))
      list.push(shortId, score, termList)
    })
    list.matchInfo = scored.matchOf
    return list
  }
  const raw = miniSearchResults(miniSearch, query, options)
  const list = new ArrayMatchList(documentIds, storedFields, allocate(raw.size))
  const infos = new Map<number, { match: MatchInfo, queryTerms: string[] }>()
  for (const [shortId, { score, terms, match }] of raw) {
    if (accept !== undefined && !accept(shortId)) continue
    list.push(shortId, score, list.addTermList(terms))
    infos.set(shortId, { match, queryTerms: terms })
  }
  list.matchInfo = shortId => infos.get(shortId) as { match: MatchInfo, queryTerms: string[] }
  return list
}

class ArrayMatchList implements MatchList {
  matchInfo: (shortId: number) => { match: MatchInfo, queryTerms: string[] } = () => ({ match: {}, queryTerms: [] })
  // Sized for every match up front (fewer may be accepted): no growing, no boxed numbers, and
  // no array of hundreds of thousands of pointers for the collector to trace (a match's terms
  // are a number: its list's place in `termLists`, of which a query has few).
  private readonly shortIds: Int32Array
  private readonly scores: Float64Array
  private readonly termListOf: Int32Array
  readonly termLists: Array<readonly string[]> = []
  private size = 0

  constructor (private readonly documentIds: Map<number, unknown>, private readonly storedFields: Map<number, Partial<StoredFields>>, readonly arrays: MatchArrays) {
    this.shortIds = arrays.shortIds
    this.scores = arrays.scores
    this.termListOf = arrays.termListOf
  }

  get length (): number {
    return this.size
  }

  /** A list of query terms matches can share: its number, for `push`. */
  addTermList (queryTerms: readonly string[]): number {
    this.termLists.push(queryTerms)
    return this.termLists.length - 1
  }

  push (shortId: number, score: number, termList: number): void {
    this.shortIds[this.size] = shortId
    this.scores[this.size] = score
    this.termListOf[this.size] = termList
    this.size += 1
  }

  score (at: number): number {
    return this.scores[at] as number
  }

  queryTerms (at: number): readonly string[] {
    return this.termLists[this.termListOf[at] as number] as readonly string[]
  }

  id (at: number): unknown {
    return this.documentIds.get(this.shortIds[at] as number)
  }

  shortId (at: number): number {
    return this.shortIds[at] as number
  }

  fields (at: number): StoredFields {
    return this.storedFields.get(this.shortIds[at] as number) as StoredFields
  }

  hotFields (at: number): HotStoredFields {
    return hotFieldsOf(this.storedFields, this.shortIds[at] as number)
  }

  date (at: number): string | undefined {
    return storedValue(this.storedFields, this.shortIds[at] as number, 'date')
  }

  result (at: number): SearchResult {
    const { match, queryTerms } = this.matchInfo(this.shortIds[at] as number)
    const score = this.score(at) * (queryTerms.length || 1)
    return { id: this.id(at), score, terms: Object.keys(match), queryTerms, match, ...this.fields(at) }
  }
}

/** `filter` as a test of a short id: the excluded ids' short ids found once. */
export function acceptorOf (filter: MatchFilter, idToShortId: ReadonlyMap<unknown, number>, storedFields: Map<number, Partial<StoredFields>>): (shortId: number) => boolean {
  const excluded = new Set<number>()
  for (const id of filter.excludedIds ?? []) {
    const shortId = idToShortId.get(id)
    if (shortId !== undefined) excluded.add(shortId)
  }
  const { keep, only, excluded: excludedSet } = filter
  return shortId => !excluded.has(shortId) && excludedSet?.has(shortId) !== true && (only === undefined || only.has(shortId)) && (keep === undefined || keep(hotFieldsOf(storedFields, shortId)))
}

function hotFieldsOf (storedFields: Map<number, Partial<StoredFields>>, shortId: number): HotStoredFields {
  return storedHotFields(storedFields, shortId) ?? {}
}

/** Without MiniSearch's internals: its public search, one result object per match. */
function viaSearch (miniSearch: MiniSearch<IndexedDocument>, query: Query, options: SearchOptions, filter?: MatchFilter): MatchList {
  const { excludedIds, keep } = filter ?? {}
  const results = miniSearch.search(query, filter === undefined
    ? options
    : { ...options, filter: result => excludedIds?.has(result.id) !== true && (keep === undefined || keep(result as unknown as StoredFields)) })
  return {
    length: results.length,
    score: at => (results[at] as SearchResult).score / Math.max(1, (results[at] as SearchResult).queryTerms.length),
    queryTerms: at => (results[at] as SearchResult).queryTerms,
    id: at => (results[at] as SearchResult).id,
    shortId: () => -1,
    fields: at => results[at] as unknown as StoredFields,
    hotFields: at => results[at] as unknown as StoredFields,
    date: at => (results[at] as unknown as StoredFields).date,
    result: at => results[at] as SearchResult
  }
}
