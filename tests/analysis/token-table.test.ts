import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TokenTable } from '../../src/analysis/token-table.js'

describe('TokenTable', () => {
  it('numbers tokens in order of first sight and finds them again inside any text', () => {
    const table = new TokenTable()
    const text = 'Дуров и Дурова, дуров'
    expect(table.numberOf(text, 0, 5)).toBe(0) // Дуров
    expect(table.numberOf(text, 6, 7)).toBe(1) // и
    expect(table.numberOf(text, 8, 14)).toBe(2) // Дурова: not the same characters as «Дуров»
    expect(table.numberOf(text, 16, 21)).toBe(3) // дуров: case is not folded
    expect(table.numberOf('«Дуров»', 1, 6)).toBe(0)
    expect(table.size).toBe(4)
  })

  it('gives equal strings one number and different strings different numbers, across growth', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3000 }), tokens => {
      const table = new TokenTable()
      const numbers = new Map<string, number>()
      for (const token of tokens) {
        const padded = `_${token}_`
        const number = table.numberOf(padded, 1, padded.length - 1)
        const known = numbers.get(token)
        if (known === undefined) {
          expect(number).toBe(numbers.size)
          numbers.set(token, number)
        } else {
          expect(number).toBe(known)
        }
      }
      expect(table.size).toBe(numbers.size)
      // Each token's characters give back its string.
      for (const [token, number] of numbers) expect(table.textOf(number)).toBe(token)
    }), { numRuns: 30 })
  })

  it('gives back a token longer than one piece of characters, and refuses a number it has not given', () => {
    const table = new TokenTable()
    const long = 'щ'.repeat(10_000) + 'ё'
    expect(table.textOf(table.numberOf(` ${long} `, 1, long.length + 1))).toBe(long)
    expect(() => table.textOf(1)).toThrow(RangeError)
  })
})
