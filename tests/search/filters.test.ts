import { describe, expect, it } from 'vitest'
import { compileFilters } from '../../src/search/filters.js'

describe('filters', () => {
  it('are undefined without a condition', () => {
    expect(compileFilters({})).toBeUndefined()
    expect(compileFilters({ tags: [' '] })).toBeUndefined()
  })

  it('keep documents carrying every tag and the source, case-insensitively and with «ё» = «е»', () => {
    const filter = compileFilters({ tags: ['Ёлки', 'россия'], source: 'RT' }) as NonNullable<ReturnType<typeof compileFilters>>
    expect(filter({ tags: ['елки', 'Россия', 'мир'], source: 'rt' })).toBe(true)
    expect(filter({ tags: ['елки', 'Россия'], source: 'Лента' })).toBe(false)
    expect(filter({ tags: ['елки'], source: 'rt' })).toBe(false)
    expect(filter({ source: 'rt' })).toBe(false)
    expect(filter({ tags: ['елки', 'Россия'] })).toBe(false)
  })

  it('keep days in the time zone, and drop undated documents', () => {
    const filter = compileFilters({ from: '2024-04-01', to: '2024-04-30' }, 'Europe/Moscow') as NonNullable<ReturnType<typeof compileFilters>>
    expect(filter({ date: '2024-03-31T21:30:00.000Z' })).toBe(true)
    expect(filter({ date: '2024-03-31T20:30:00.000Z' })).toBe(false)
    expect(filter({ date: '2024-04-30' })).toBe(true)
    expect(filter({})).toBe(false)
  })

  it('read a tag list that many documents share once, not once per document', () => {
    let reads = 0
    const shared = new Proxy(Object.freeze(['Экономика', 'санкции']), {
      get (target, key, receiver) {
        if (key === 'map') reads += 1
        return Reflect.get(target, key, receiver) as unknown
      }
    }) as string[]
    const filter = compileFilters({ tags: ['экономика'] }) as NonNullable<ReturnType<typeof compileFilters>>
    for (let at = 0; at < 1000; at += 1) expect(filter({ tags: shared })).toBe(true)
    expect(reads).toBe(1)
  })
})
