import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { normalize } from '../../src/analysis/normalize.js'

describe('normalize', () => {
  it.each([
    ['Ёлка', 'елка'],
    ['ЁЖИК', 'ежик'],
    ['за\u0301мок', 'замок'], // stress mark
    ['при\u00ADмер', 'пример'], // soft hyphen
    ['Дуров\u200B', 'дуров'], // zero-width space
    ['\uFEFFновости', 'новости'], // BOM
    ['и\u0306од', 'йод'], // decomposed й is composed, not stripped to и
    ['Йошкар-Ола', 'йошкар-ола'],
    ['TELEGRAM', 'telegram'],
    ['С-400', 'с-400']
  ])('%s → %s', (input, expected) => {
    expect(normalize(input)).toBe(expected)
  })

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), text => normalize(normalize(text)) === normalize(text)))
  })

  it('never leaves ё or stress marks', () => {
    fc.assert(fc.property(fc.string(), text => !/[ёЁ\u0301]/.test(normalize(text))))
  })
})
