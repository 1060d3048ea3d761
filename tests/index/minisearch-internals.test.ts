import MiniSearch, { type Query } from 'minisearch'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { MiniSearchShapeError } from '../../src/errors.js'
import { expectInternals, internalsOf, miniSearchResults, stateOf, treeRootOf } from '../../src/index/minisearch-internals.js'
import { miniSearchOptions, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { matchList } from '../../src/search/match-list.js'
import { scoreQuery } from '../../src/search/score-query.js'

const analyzer = createDefaultAnalyzer()
const titles = ['Путин и Трамп', 'Трамп в Москве', 'Погода в Москве']

function index (): MiniSearch<IndexedDocument> {
  const miniSearch = new MiniSearch<IndexedDocument>(miniSearchOptions(analyzer))
  miniSearch.addAll(titles.map((title, at) => ({ id: `d${at}`, title, lead: title, body: title, kind: 'article', offset: 0, length: 0 })))
  return miniSearch
}

describe('the accessors of MiniSearch\'s private state', () => {
  it('view MiniSearch\'s own maps and tree, and copy its counters at the moment of reading', () => {
    const miniSearch = index()
    const state = stateOf(miniSearch)
    const view = expectInternals(miniSearch)
    expect(view.termTree).toBe(state._index)
    expect(treeRootOf(view.termTree)).toBe(state._index._tree)
    expect(view.documentIds).toBe(state._documentIds)
    expect(view.idToShortId).toBe(state._idToShortId)
    expect(view.fieldIds).toBe(state._fieldIds)
    expect(view.fieldLength).toBe(state._fieldLength)
    expect(view.averageFieldLength).toBe(state._avgFieldLength)
    expect(view.storedFields).toBe(state._storedFields)
    expect(view.options).toBe(state._options)
    expect([view.documentCount, view.nextId, view.dirtCount]).toEqual([3, 3, 0])
    miniSearch.discard('d1')
    expect([view.documentCount, view.dirtCount]).toEqual([3, 0])
    expect(expectInternals(miniSearch)).toMatchObject({ documentCount: 2, nextId: 3, dirtCount: 1 })
  })

  it('run MiniSearch\'s own execution of a query', () => {
    const miniSearch = index()
    const query: Query = { combineWith: 'OR', queries: analyzer.termsOf('москва') }
    const raw = miniSearchResults(miniSearch, query, {})
    const searched = miniSearch.search(query)
    expect([...raw.keys()].map(shortId => expectInternals(miniSearch).documentIds.get(shortId)).sort()).toEqual(searched.map(result => result.id).sort())
    for (const result of searched) {
      const shortId = expectInternals(miniSearch).idToShortId.get(result.id) as number
      expect(raw.get(shortId)?.score).toBe(result.score / result.queryTerms.length)
    }
  })

  it('refuse an object without MiniSearch 7.2\'s shape, and search then goes through the public API', () => {
    const miniSearch = index()
    const foreign = Object.assign(Object.create(MiniSearch.prototype) as MiniSearch<IndexedDocument>, { search: miniSearch.search.bind(miniSearch) })
    expect(internalsOf(foreign)).toBeUndefined()
    expect(() => expectInternals(foreign)).toThrow(MiniSearchShapeError)
    expect(scoreQuery(foreign, 'трамп', {})).toEqual({ unsupported: 'the index does not have the internal shape of MiniSearch 7.2' })
    const reasons: string[] = []
    const list = matchList(foreign, { combineWith: 'OR', queries: analyzer.termsOf('трамп') }, {}, undefined, reason => reasons.push(reason))
    expect(reasons).toHaveLength(1)
    expect(Array.from({ length: list.length }, (_, at) => list.id(at)).sort()).toEqual(['d0', 'd1'])
  })
})
