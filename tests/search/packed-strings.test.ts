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
    const sortedMany = [...many].sort()
    expect(Array.from({ length: table.length }, (_, at) => table.at(at))).toEqual(sortedMany)
    for (const at of [0, 4095, 4096, 4097, 8191, 8192, 9999]) {
      const word = sortedMany[at] as string
      expect(table.indexOf(word)).toBe(at)
      expect(table.lowerBound(word.slice(0, -1))).toBe(sortedMany.findIndex(other => other >= word.slice(0, -1)))
      expect(table.startsWith(at, word)).toBe(true)
    }
    expect(PackedStrings.EMPTY.length).toBe(0)
    expect(PackedStrings.EMPTY.lowerBound('а')).toBe(0)
  })
})
