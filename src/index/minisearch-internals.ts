/**
 * The parts of MiniSearch 7.2's private state that poisk fills and reads directly, in one
 * place. Going through `add` costs one radix-tree walk per word occurrence (most of a
 * build's time), and `loadJS` needs the whole index as one plain object first (a second
 * copy in memory, and a long event-loop stall); filling the maps directly avoids both.
 *
 * The version is pinned in package.json, and tests check that an index filled here
 * serialises exactly like one built with `add`.
 */
import MiniSearch, { type MatchInfo, type Options, type Query, type SearchOptions } from 'minisearch'

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
  _options: Required<Pick<Options<T>, 'fields' | 'tokenize' | 'processTerm'>> & { searchOptions?: SearchOptions }
  executeQuery: (query: Query, options: SearchOptions) => Map<number, RawResult>
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

export function stateOf<T> (miniSearch: MiniSearch<T>): MiniSearchState<T> {
  return miniSearch as unknown as MiniSearchState<T>
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

/** A MiniSearch holding `core` and no terms yet; add them with `state._index.set`. */
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
