/**
 * The parts of MiniSearch 7.2's private state that poisk fills and reads directly, and the
 * only module that knows their names: every other file goes through the accessors below
 * (tests/index/minisearch-fence.test.ts fails otherwise). Going through `add` costs
 * one radix-tree walk per word occurrence (most of a build's time), and `loadJS` needs the
 * whole index as one plain object first (a second copy in memory, and a long event-loop
 * stall); filling the maps directly avoids both. Search reads them for the flat scorer, the
 * vocabulary and snippet counts, which MiniSearch offers no public way to do.
 *
 * The version is pinned in package.json and by a test, loading refuses an index written
 * under another MiniSearch (open-index.ts), and tests check that an index filled here
 * serialises exactly like one built with `add`. Upgrading MiniSearch means re-checking every
 * shape in this file against its source first.
 */
import MiniSearch, { type MatchInfo, type Options, type Query, type SearchOptions } from 'minisearch'
import { MiniSearchShapeError } from '../errors.js'
import { minisearchVersion } from './versions.js'

/** short document id → term frequency */
export type FieldPostings = Map<number, number>
/** field id → postings */
export type TermData = Map<number, FieldPostings>

/**
 * A node of MiniSearch's radix tree: edge label → child node, and under the empty label
 * (MiniSearch's LEAF) the data of the term ending here.
 */
export type TreeNode = Map<string, TreeNode | TermData>
export const LEAF = ''

export interface TermTree {
  get: (term: string) => TermData | undefined
  set: (term: string, data: TermData) => unknown
  atPrefix: (prefix: string) => { entries: () => Iterable<[string, TermData]> }
  fuzzyGet: (term: string, maxEditDistance: number) => Map<string, [TermData, number]>
  [Symbol.iterator]: () => Iterator<[string, TermData]>
  readonly _tree: TreeNode
}

/** One document's entry in `executeQuery`'s result, before `search` multiplies by its matched terms. */
export interface RawResult {
  score: number
  terms: string[]
  match: MatchInfo
}

export interface MiniSearchState<T> {
  _options: Required<Pick<Options<T>, 'fields' | 'tokenize' | 'processTerm' | 'idField' | 'extractField'>> & { searchOptions?: SearchOptions }
  executeQuery: (query: Query, options: SearchOptions) => Map<number, RawResult>
  addDocumentId: (id: unknown) => number
  saveStoredFields: (shortId: number, document: T) => void
  addFieldLength: (shortId: number, fieldId: number, count: number, length: number) => void
  _index: TermTree
  _documentCount: number
  _nextId: number
  _documentIds: Map<number, unknown>
  _idToShortId: Map<unknown, number>
  _fieldIds: Record<string, number>
  _fieldLength: Map<number, number[]>
  _avgFieldLength: number[]
  _storedFields: Map<number, Partial<T>>
  _dirtCount: number
}

/** The private members by their own names: for this module's writes, and for tests that inspect them. */
export function stateOf<T> (miniSearch: MiniSearch<T>): MiniSearchState<T> {
  return miniSearch as unknown as MiniSearchState<T>
}

/**
 * MiniSearch's state as read at one moment, under poisk's names. The maps and the tree are
 * MiniSearch's own (live: changes to the index show in them), the numbers are copies: take a
 * view per query or per job, not for longer (`removeAll` would even replace the maps). A
 * plain object read by plain property loads, so the per-posting loops of score-query.ts pay
 * nothing for going through it.
 */
export interface IndexInternals<T> {
  /** The options MiniSearch was made with, defaults filled in; `searchOptions` are the defaults of each search. */
  readonly options: MiniSearchState<T>['_options']
  /** The term dictionary: term → field id → short document id → frequency. */
  readonly termTree: TermTree
  readonly documentCount: number
  /** The short id the next document gets: every short id is below it. */
  readonly nextId: number
  /** short id → document id */
  readonly documentIds: Map<number, unknown>
  /** document id → short id */
  readonly idToShortId: Map<unknown, number>
  /** field name → field id */
  readonly fieldIds: Readonly<Record<string, number>>
  /** short id → tokens per field id (a discarded document has none, though its postings stay until vacuumed) */
  readonly fieldLength: Map<number, number[]>
  /** field id → average tokens per document */
  readonly averageFieldLength: number[]
  /** short id → stored fields */
  readonly storedFields: Map<number, Partial<T>>
  /** Documents discarded since the last vacuum (0: no posting is stale). */
  readonly dirtCount: number
}

/**
 * A view of `miniSearch`'s private state, or undefined when it does not have MiniSearch
 * 7.2's shape (the caller then uses MiniSearch's public API instead).
 */
export function internalsOf<T> (miniSearch: MiniSearch<T>): IndexInternals<T> | undefined {
  const state = miniSearch as unknown as Partial<MiniSearchState<T>>
  if (typeof state._index?.get !== 'function' || typeof state.executeQuery !== 'function' || state._options === undefined ||
    state._fieldIds === undefined || !(state._documentIds instanceof Map) || !(state._idToShortId instanceof Map) ||
    !(state._fieldLength instanceof Map) || !(state._storedFields instanceof Map) || !Array.isArray(state._avgFieldLength) ||
    typeof state._documentCount !== 'number' || typeof state._nextId !== 'number' || typeof state._dirtCount !== 'number') return undefined
  return {
    options: state._options,
    termTree: state._index,
    documentCount: state._documentCount,
    nextId: state._nextId,
    documentIds: state._documentIds,
    idToShortId: state._idToShortId,
    fieldIds: state._fieldIds,
    fieldLength: state._fieldLength,
    averageFieldLength: state._avgFieldLength,
    storedFields: state._storedFields,
    dirtCount: state._dirtCount
  }
}

/** As `internalsOf`, for code that has no public fallback: a MiniSearch of another shape is an error. */
export function expectInternals<T> (miniSearch: MiniSearch<T>): IndexInternals<T> {
  const internals = internalsOf(miniSearch)
  if (internals === undefined) throw new MiniSearchShapeError(`the index does not have the private state of MiniSearch 7.2 (this poisk runs MiniSearch ${minisearchVersion})`)
  return internals
}

/** The root node of a term dictionary (SearchableMap's private tree): what index-file.ts writes out. */
export function treeRootOf (termTree: TermTree): TreeNode {
  return termTree._tree
}

/**
 * MiniSearch's own execution of `query` (its private `executeQuery`): each matching short id's
 * score before `search` multiplies it by the matched query terms, with its terms and match,
 * and none of `search`'s per-result objects or sorting (`options` as `search` takes them: the
 * index's search options apply beneath). Only for a MiniSearch `internalsOf` accepts.
 */
export function miniSearchResults<T> (miniSearch: MiniSearch<T>, query: Query, options: SearchOptions): Map<number, RawResult> {
  return stateOf(miniSearch).executeQuery(query, options)
}

/**
 * Registers a new document as `add` does before it adds its terms, by MiniSearch's own steps:
 * its id, its stored fields, and each field's length (`fieldLengths[fieldId]`: distinct raw
 * tokens, -1 for an absent field). Returns its short id; the caller then adds its counted
 * postings to the term tree (live-document-writer.ts), one per term and field instead of
 * `add`'s dictionary walk per word occurrence.
 */
export function addCountedDocument<T> (miniSearch: MiniSearch<T>, document: T, fieldLengths: ArrayLike<number>): number {
  const state = stateOf(miniSearch)
  if (typeof state.addDocumentId !== 'function' || typeof state.saveStoredFields !== 'function' || typeof state.addFieldLength !== 'function') {
    throw new MiniSearchShapeError(`the index does not have the private methods of MiniSearch 7.2 (this poisk runs MiniSearch ${minisearchVersion})`)
  }
  const { extractField, idField } = state._options
  const id = extractField(document, idField)
  if (id == null) throw new Error(`MiniSearch: document does not have ID field "${idField}"`)
  if (state._idToShortId.has(id)) throw new Error(`MiniSearch: duplicate ID ${String(id)}`)
  const shortId = state.addDocumentId(id)
  state.saveStoredFields(shortId, document)
  for (let fieldId = 0; fieldId < fieldLengths.length; fieldId += 1) {
    const length = fieldLengths[fieldId] as number
    if (length >= 0) state.addFieldLength(shortId, fieldId, state._documentCount - 1, length)
  }
  return shortId
}

/** Replaces the term dictionary of `miniSearch` with the radix tree rooted at `root`. */
export function setTermTree<T> (miniSearch: MiniSearch<T>, root: TreeNode): void {
  const state = stateOf(miniSearch)
  // SearchableMap is not exported by the package; its constructor takes a tree.
  const SearchableMap = state._index.constructor as new (tree: TreeNode) => TermTree
  state._index = new SearchableMap(root)
}

/** The saved parts of an index apart from its postings. */
export interface IndexCore<T> {
  documentCount: number
  nextId: number
  documentIds: Map<number, unknown>
  /** The inverse of `documentIds`; derived from it when absent. */
  idToShortId?: Map<unknown, number>
  fieldLength: Map<number, number[]>
  averageFieldLength: number[]
  storedFields: Map<number, Partial<T>>
  dirtCount: number
}

/** A MiniSearch holding `core` and no terms yet; add them to its `termTree` (see `expectInternals`). */
export function miniSearchFromCore<T> (core: IndexCore<T>, options: Options<T>): MiniSearch<T> {
  const miniSearch = new MiniSearch<T>(options)
  const state = stateOf(miniSearch)
  state._documentCount = core.documentCount
  state._nextId = core.nextId
  state._documentIds = core.documentIds
  state._idToShortId = core.idToShortId ?? new Map([...core.documentIds].map(([shortId, id]) => [id, shortId]))
  state._fieldLength = core.fieldLength
  state._avgFieldLength = core.averageFieldLength
  state._storedFields = core.storedFields
  state._dirtCount = core.dirtCount
  return miniSearch
}
