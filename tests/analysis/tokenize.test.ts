import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { hyphenParts, tokenize, tokenizeToStrings } from '../../src/analysis/tokenize.js'

describe('tokenize', () => {
  it.each([
    ['В Испании застрелили экс-советника Януковича', ['В', 'Испании', 'застрелили', 'экс-советника', 'Януковича']],
    ['Комплексы С-400 в Санкт-Петербурге', ['Комплексы', 'С-400', 'в', 'Санкт-Петербурге']],
    ['Депутат против поборов Air Astana', ['Депутат', 'против', 'поборов', 'Air', 'Astana']],
    ['потратил 14,5 млн тенге, а не 200', ['потратил', '14,5', 'млн', 'тенге', 'а', 'не', '200']],
    ['«Я не убивал, он не убивал — никто»', ['Я', 'не', 'убивал', 'он', 'не', 'убивал', 'никто']],
    ['IP-адреса и COVID-19', ['IP-адреса', 'и', 'COVID-19']],
    ['конец предложения.Начало', ['конец', 'предложения', 'Начало']],
    ['при\u00ADмер за\u0301мок', ['при\u00ADмер', 'за\u0301мок']]
  ])('%s', (text, expected) => {
    expect(tokenizeToStrings(text)).toEqual(expected)
  })

  it('gives offsets into the original text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), text => {
      return tokenize(text).every(token => text.slice(token.start, token.end) === token.text && token.text.length > 0)
    }))
  })

  it('splits hyphenated words into parts', () => {
    expect(hyphenParts('санкт-петербурге')).toEqual(['санкт', 'петербурге'])
    expect(hyphenParts('дуров')).toEqual([])
  })
})
