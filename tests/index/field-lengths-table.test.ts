import { describe, expect, it } from 'vitest'
import { FieldLengthsTable, LoadedFieldLengths } from '../../src/index/field-lengths-table.js'

/** Short ids 0 … 99 with every fifth left without a document (as discards leave them). */
function loaded (): { table: FieldLengthsTable, expected: Map<number, number[]> } {
  const part = new LoadedFieldLengths(100)
  const expected = new Map<number, number[]>()
  const shared = [[3, 120], [5, 80]]
  for (let shortId = 0; shortId < 100; shortId += 1) {
    if (shortId % 5 === 2) continue
    const lengths = shared[shortId % 2] as number[]
    part.add(shortId, lengths)
    expected.set(shortId, lengths)
  }
  return { table: new FieldLengthsTable(part), expected }
}

describe('FieldLengthsTable', () => {
  it('answers as the Map of the loaded lengths would, in short id order', () => {
    const { table, expected } = loaded()
    expect(table.size).toBe(expected.size)
    for (let shortId = 0; shortId <= 100; shortId += 1) {
      expect(table.get(shortId)).toBe(expected.get(shortId))
      expect(table.has(shortId)).toBe(expected.has(shortId))
    }
    expect([...table]).toEqual([...expected])
    expect([...table.keys()]).toEqual([...expected.keys()])
  })

  it('replaces, deletes and adds as a Map does, documents set since after the loaded ones', () => {
    const { table, expected } = loaded()
    const stillLoaded = [...expected.keys()].filter(shortId => shortId !== 10 && shortId !== 11)
    for (const map of [table, expected]) {
      map.set(10, [7, 7])
      map.delete(11)
      map.delete(12) // never held
      map.set(100, [1, 2])
    }
    expect(table.size).toBe(expected.size)
    expect(table.get(10)).toEqual([7, 7])
    expect(table.has(11)).toBe(false)
    expect([...table.keys()]).toEqual([...stillLoaded, 10, 100])
    table.clear()
    expect(table.size).toBe(0)
    expect(table.get(0)).toBeUndefined()
  })

  it('refuses a short id past the size it was made for', () => {
    expect(() => new LoadedFieldLengths(4).add(4, [1])).toThrow(/short id 4/)
  })
})
