import { describe, expect, it } from 'vitest'
import { DocumentIdsTable, LoadedDocumentIds, ShortIdsTable } from '../../src/index/document-id-table.js'

/** Short ids 0 … nextId-1 with every seventh left without a document (as discards leave them), across several pieces of 4,096. */
function sample (nextId = 10_000): Map<number, string> {
  const ids = new Map<number, string>()
  for (let shortId = 0; shortId < nextId; shortId += 1) {
    if (shortId % 7 === 3) continue
    ids.set(shortId, shortId % 5 === 0 ? `статья-${shortId}-ё` : `rt-${(shortId * 7919).toString(36)}`)
  }
  return ids
}

function loadedFrom (ids: Map<number, string>, nextId: number): LoadedDocumentIds {
  const loaded = new LoadedDocumentIds(nextId, ids.size)
  for (const [shortId, id] of ids) loaded.add(shortId, id)
  loaded.loaded()
  return loaded
}

function views (ids = sample(), nextId = 10_000): { ids: Map<number, string>, documentIds: DocumentIdsTable, shortIds: ShortIdsTable } {
  const loaded = loadedFrom(ids, nextId)
  return { ids, documentIds: new DocumentIdsTable(loaded), shortIds: new ShortIdsTable(loaded) }
}

describe('LoadedDocumentIds and its two Map views', () => {
  it('answers every short id with its id and every id with its short id, across pieces and gaps', () => {
    const { ids, documentIds, shortIds } = views()
    expect(documentIds.size).toBe(ids.size)
    expect(shortIds.size).toBe(ids.size)
    for (let shortId = 0; shortId < 10_000; shortId += 1) {
      expect(documentIds.get(shortId)).toBe(ids.get(shortId))
      expect(documentIds.has(shortId)).toBe(ids.has(shortId))
    }
    for (const [shortId, id] of ids) expect(shortIds.get(id)).toBe(shortId)
    expect(shortIds.get('rt-missing')).toBeUndefined()
    expect(shortIds.get('статья-5')).toBeUndefined() // a prefix of a loaded id
    expect(shortIds.get(5)).toBeUndefined() // MiniSearch ids may be numbers: none is loaded here
    expect(documentIds.get(10_000)).toBeUndefined()
  })

  it('iterates in short id order, as MiniSearch\'s Maps of a saved index do', () => {
    const { ids, documentIds, shortIds } = views()
    expect([...documentIds]).toEqual([...ids])
    expect([...documentIds.keys()]).toEqual([...ids.keys()])
    expect([...documentIds.values()]).toEqual([...ids.values()])
    expect([...shortIds]).toEqual([...ids].map(([shortId, id]) => [id, shortId]))
    expect([...shortIds.keys()]).toEqual([...ids.values()])
    expect([...shortIds.values()]).toEqual([...ids.keys()])
    expect(Object.fromEntries(documentIds)).toEqual(Object.fromEntries(ids))
    const visited: Array<[unknown, number]> = []
    shortIds.forEach((shortId, id) => visited.push([id, shortId]))
    expect(visited).toEqual([...shortIds])
  })

  it('forgets a deleted document in both views, and keeps documents added since after the loaded ones', () => {
    const { ids, documentIds, shortIds } = views()
    const id = ids.get(4100) as string
    expect(documentIds.delete(4100)).toBe(true)
    expect(shortIds.delete(id)).toBe(false) // already gone with the other view's delete
    expect(documentIds.has(4100)).toBe(false)
    expect(shortIds.has(id)).toBe(false)
    expect(shortIds.get(id)).toBeUndefined()
    expect(documentIds.size).toBe(ids.size - 1)

    // MiniSearch re-adds a replaced document under a new short id.
    documentIds.set(10_000, id)
    shortIds.set(id, 10_000)
    expect(shortIds.get(id)).toBe(10_000)
    expect(documentIds.get(10_000)).toBe(id)
    expect(documentIds.size).toBe(ids.size)
    expect([...documentIds].at(-1)).toEqual([10_000, id])
    expect([...documentIds].filter(([shortId]) => shortId === 4100)).toEqual([])

    const other = ids.get(1) as string
    expect(shortIds.delete(other)).toBe(true)
    expect(documentIds.get(1)).toBeUndefined()

    documentIds.clear()
    shortIds.clear()
    expect(documentIds.size).toBe(0)
    expect(shortIds.size).toBe(0)
    expect([...documentIds]).toEqual([])
    expect(shortIds.get(ids.get(0))).toBeUndefined()
  })

  it('holds a build whose last piece is short or whose last short ids have no document', () => {
    const ids = new Map([[0, 'a'], [4095, 'b'], [4096, 'c']])
    const { documentIds, shortIds } = views(ids, 4200)
    expect([...documentIds]).toEqual([...ids])
    expect(shortIds.get('c')).toBe(4096)
    expect(views(new Map(), 0).documentIds.size).toBe(0)
  })

  it('refuses short ids out of order and more documents than announced', () => {
    const loaded = new LoadedDocumentIds(10, 2)
    loaded.add(3, 'a')
    expect(() => loaded.add(2, 'b')).toThrow(RangeError)
    expect(() => loaded.add(10, 'b')).toThrow(RangeError)
    loaded.add(4, 'b')
    expect(() => loaded.add(5, 'c')).toThrow(/more documents/)
  })
})
