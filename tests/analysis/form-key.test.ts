import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FormKeySet, formKeyAt, formKeyOf } from '../../src/analysis/form-key.js'

describe('formKeyOf', () => {
  it('folds case and ё, as normalisation does', () => {
    expect(formKeyOf('ДУРОВА')).toBe(formKeyOf('дурова'))
    expect(formKeyOf('Дурова')).toBe(formKeyOf('дурова'))
    expect(formKeyOf('Ёлка')).toBe(formKeyOf('елка'))
    expect(formKeyOf('дурова')).not.toBe(formKeyOf('дурову'))
  })

  it('reads a token in place: the key of text[start, end) is the key of the slice', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), fc.nat(), fc.nat(), (text, a, b) => {
      const [start, end] = [Math.min(a, b) % (text.length + 1), Math.max(a, b) % (text.length + 1)].sort((x, y) => x - y) as [number, number]
      expect(formKeyAt(text, start, end)).toBe(formKeyOf(text.slice(start, end)))
    }))
  })

  it('is a 30-bit integer', () => {
    fc.assert(fc.property(fc.string(), text => {
      const key = formKeyOf(text)
      expect(Number.isInteger(key) && key >= 0 && key < 2 ** 30).toBe(true)
    }))
  })
})

describe('FormKeySet', () => {
  it('holds exactly the keys it was made from', () => {
    const key = fc.integer({ min: 0, max: 2 ** 30 - 1 })
    fc.assert(fc.property(fc.array(key, { maxLength: 200 }), fc.array(key, { maxLength: 50 }), (keys, probes) => {
      const set = new FormKeySet(keys)
      const expected = new Set(keys)
      expect(set.size).toBe(expected.size)
      for (const probe of [...keys, ...probes]) expect(set.has(probe)).toBe(expected.has(probe))
    }))
  })

  it('tells whether a token of a text may hold one of its forms', () => {
    const set = new FormKeySet([formKeyOf('дурова')])
    expect(set.mayHold('Павел ДУРОВА', 6, 12)).toBe(true)
    expect(set.mayHold('Павел ДУРОВА', 0, 5)).toBe(false)
  })
})
