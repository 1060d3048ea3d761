import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createAnalyzer } from '../../src/analysis/analyzer.js'
import { isStopword } from '../../src/analysis/stopwords.js'

const analyzer = createAnalyzer()
const terms = (word: string): string[] => analyzer.termsOf(word)

describe('analyzer', () => {
  it.each([
    // Case forms of a word reach the same term.
    [['выборы', 'выборов', 'выборам', 'Выборами'], 'выбор'],
    [['президент', 'президента', 'президентом', 'ПРЕЗИДЕНТУ'], 'президент'],
    [['санкции', 'санкций', 'санкциями'], 'санкц'],
    [['Дуров', 'Дурова', 'Дурову', 'Дуровым'], 'дуров'],
    [['Путин', 'Путина', 'Путиным'], 'путин'],
    [['ёлки', 'елки', 'Ёлками'], 'елк']
  ])('%j → %s', (forms, term) => {
    for (const form of forms) expect(terms(form)).toContain(term)
  })

  it('keeps Latin words and numbers as written (lowercased)', () => {
    expect(terms('Telegram')).toEqual(['telegram'])
    expect(terms('14,5')).toEqual(['14,5'])
    expect(terms('200')).toEqual(['200'])
  })

  it('indexes a hyphenated word whole and as its parts', () => {
    expect(terms('экс-советника')).toEqual(['экс-советник', 'экс', 'советник'])
    expect(terms('С-400')).toEqual(['с-400', '400']) // «с» alone is the preposition, a stopword
    expect(terms('Санкт-Петербурге')).toEqual(['санкт-петербург', 'санкт', 'петербург'])
    expect(terms('по-русски')).not.toContain('по') // the stopword part is dropped
  })

  it('drops function words but not content words', () => {
    for (const word of ['и', 'в', 'не', 'что', 'было', 'он']) {
      expect(isStopword(word)).toBe(true)
      expect(terms(word)).toEqual([])
    }
    for (const word of ['россия', 'москва', 'человек', 'жизнь', 'сегодня', 'два']) expect(terms(word)).not.toEqual([])
  })

  it('ignores stress marks and invisible characters', () => {
    expect(terms('за\u0301мок')).toEqual(terms('замок'))
    expect(terms('Ду\u00ADров')).toEqual(terms('Дуров'))
  })

  it('gives the same terms whatever the letter case', () => {
    expect(terms('ДУРОВА')).toEqual(terms('дурова'))
  })

  it('records its version', () => {
    expect(analyzer.version).toMatch(/^snowball-p\d+$/)
  })

  it('returns tokens with offsets and terms', () => {
    const tokens = analyzer.analyzeWithOffsets('Дуров и Telegram')
    expect(tokens.map(token => [token.text, token.start, token.terms])).toEqual([
      ['Дуров', 0, analyzer.termsOf('Дуров')],
      ['и', 6, []],
      ['Telegram', 8, ['telegram']]
    ])
  })
})

describe('analyzeToken', () => {
  it('gives the terms termsOf gives, on the raw tokens of any text', () => {
    const fresh = createAnalyzer()
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), text => {
      for (const token of fresh.tokenize(`${text} Экс-Советника ЁЛКИ за\u0301мок 14,5`)) {
        expect(fresh.analyzeToken(token)).toEqual(analyzer.termsOf(token))
      }
    }), { numRuns: 200 })
  })
})

describe('analyzer.termsAt', () => {
  it('gives a token of a longer text the terms termsOf gives the token alone', () => {
    const fresh = createAnalyzer()
    const text = 'Павел Дуров: «Ёлки» и экс-советника Дурова; Дуров — снова'
    const spans = [...text.matchAll(/[\p{L}-]+/gu)].map(match => [match.index, match.index + match[0].length] as const)
    for (const [start, end] of spans) expect(fresh.termsAt(text, start, end)).toEqual(analyzer.termsOf(text.slice(start, end)))
    // Seen before, found again from the characters alone.
    for (const [start, end] of spans) expect(fresh.termsAt(text, start, end)).toEqual(analyzer.termsOf(text.slice(start, end)))
  })

  it('stays correct when its cache is cleared for size', () => {
    const small = createAnalyzer({ maxCacheSize: 3 })
    const words = ['выборы', 'Дурова', 'санкций', 'ёлки', 'выборы', 'Путиным', 'Дурова']
    for (const word of words) expect(small.termsAt(` ${word} `, 1, word.length + 1)).toEqual(analyzer.termsOf(word))
  })
})
