import { describe, expect, it } from 'vitest'
import { countFacets } from '../../src/search/facets.js'

/** A tag list that counts how often it is iterated. */
function countedList (labels: string[]): { list: string[], reads: () => number } {
  let reads = 0
  const list = new Proxy(Object.freeze([...labels]), {
    get (target, key, receiver) {
      if (key === Symbol.iterator) reads += 1
      return Reflect.get(target, key, receiver) as unknown
    }
  }) as string[]
  return { list, reads: () => reads }
}

describe('facet counts', () => {
  it('count each label once per document, case-insensitively and with «ё» = «е», shown as first written', () => {
    const shared = ['Россия', 'политика']
    const facets = countFacets([
      { tags: shared, source: 'RT' },
      { tags: ['россия', 'Россия', 'ёлки'], source: 'rt ' },
      { tags: shared, date: '2024-03-31T21:30:00.000Z' },
      { tags: ['елки'], source: 'Лента', date: '2024-03-02' },
      {}
    ], 10, 'Europe/Moscow')
    expect(facets.tags).toEqual([{ value: 'Россия', count: 3 }, { value: 'ёлки', count: 2 }, { value: 'политика', count: 2 }])
    expect(facets.sources).toEqual([{ value: 'RT', count: 2 }, { value: 'Лента', count: 1 }])
    expect(facets.months).toEqual([{ value: '2024-04', count: 1 }, { value: '2024-03', count: 1 }])
  })

  it('read a tag list that many results share once, not once per result', () => {
    const { list, reads } = countedList(['экономика', 'санкции'])
    const facets = countFacets(Array.from({ length: 1000 }, () => ({ tags: list })), 10)
    expect(facets.tags).toEqual([{ value: 'санкции', count: 1000 }, { value: 'экономика', count: 1000 }])
    expect(reads()).toBe(1)
  })
})
