import { describe, expect, it } from 'vitest'
import { runAtOnce } from '../../src/index/time-slicer.js'
import { PackedStrings } from '../../src/search/packed-strings.js'

const packed = (strings: string[]): PackedStrings => runAtOnce(PackedStrings.pack([...strings].sort()))

describe('packed strings', () => {
  const words = ['дуров', 'дурова', 'дуровым', 'ёлка', 'елка', 'telegram', 'путин', '', 'я', 'яблоко', '🦔ёж', 'Дуров']
  const sorted = [...words].sort()

  it('give back each string at its place, and find it', () => {
    const table = packed(words)
    expect(table.length).toBe(words.length)
    expect(Array.from({ length: table.length }, (_, at) => table.at(at))).toEqual(sorted)
    for (const [at, word] of sorted.entries()) expect(table.indexOf(word)).toBe(at)
    for (const absent of ['дуро', 'дуровa', 'zzz', 'ёлкa', '\uffff']) expect(table.has(absent)).toBe(false)
  })

  it('find where a prefix\'s strings start, as a sorted array\'s lower bound does', () => {
    const table = packed(words)
    for (const value of ['', 'дур', 'дурова', 'е', 'ё', 'я', 'яблоки', 'a', 'Д', '\uffff', '🦔']) {
      const expected = sorted.findIndex(word => word >= value)
      expect(table.lowerBound(value)).toBe(expected < 0 ? sorted.length : expected)
    }
    const at = table.lowerBound('дуров')
    expect([0, 1, 2].map(offset => table.startsWith(at + offset, 'дуров'))).toEqual([true, true, true])
    expect(table.startsWith(at + 3, 'дуров')).toBe(false)
  })

  it('pack many strings across pieces', () => {
    const many = Array.from({ length: 10_000 }, (_, at) => `слово${at}`)
    const table = packed(many)
    expect(table.at(0)).toBe([...many].sort()[0])
    expect(table.indexOf('слово9999')).toBe([...many].sort().indexOf('слово9999'))
    expect(PackedStrings.EMPTY.length).toBe(0)
    expect(PackedStrings.EMPTY.lowerBound('а')).toBe(0)
  })
})
