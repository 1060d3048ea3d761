import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { scanTokens } from '../../src/analysis/scan-tokens.js'
import { tokenize } from '../../src/analysis/tokenize.js'

function scanned (text: string): Array<{ text: string, start: number, end: number }> {
  const tokens: Array<{ text: string, start: number, end: number }> = []
  scanTokens(text, (start, end) => { tokens.push({ text: text.slice(start, end), start, end }) })
  return tokens
}

// Characters where the tokenizer's rules bite: joiners, digits, marks, format characters, surrogates.
const tricky = fc.constantFrom('-', '\u2010', '\u2011', '.', ',', ' ', '1', '٣', 'Ⅻ', 'а', 'Z', '\u0301', '\u00AD', '\u200B', '𝐀', '𝟙', '\uD800', '\uDC00', '«', '\n', 'ё')
const text = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.array(tricky, { maxLength: 40 }).map(chars => chars.join(''))
)

describe('scanTokens', () => {
  it.each([
    'В Испании застрелили экс-советника Януковича',
    'потратил 14,5 млн тенге, а не 200. 3.14.15 и 1,-2 - -3',
    'при\u00ADмер за\u0301мок IP-адреса COVID-19- -x'
  ])('finds the tokens of %s', sample => {
    expect(scanned(sample)).toEqual(tokenize(sample))
  })

  it('finds exactly the tokens and offsets of tokenize on any text', () => {
    fc.assert(fc.property(text, sample => {
      expect(scanned(sample)).toEqual(tokenize(sample))
    }), { numRuns: 2000 })
  })

  it('stops when the visitor returns false', () => {
    const seen: string[] = []
    scanTokens('один два три', (start, end) => { seen.push('один два три'.slice(start, end)); return seen.length < 2 })
    expect(seen).toEqual(['один', 'два'])
  })
})
