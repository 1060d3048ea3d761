import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { tokenize } from '../../src/analysis/tokenize.js'
import { matchingTokens, type TermCounts } from '../../src/search/snippet-matches.js'
import { makeSnippet } from '../../src/search/snippet.js'

const analyzer = createDefaultAnalyzer()
const termsOf = (query: string): Set<string> => new Set(analyzer.analyzeWithOffsets(query).flatMap(token => token.terms))

/** The counts an index holds for `text`: tokens carrying each term. */
function indexCounts (text: string): TermCounts {
  const counts = new Map<string, number>()
  for (const token of tokenize(text)) for (const term of analyzer.termsOf(token.text)) counts.set(term, (counts.get(term) ?? 0) + 1)
  return term => counts.get(term) ?? 0
}

const words = ['Люди', 'человек', 'людей', 'Человеку', 'экс-президент', 'президента', 'ПРЕЗИДЕНТ', 'Ёлка', 'елки', 'шли', 'идти', 'пошёл', 'и', 'в', '14,5', 'млн', 'С-400', 'Санкт-Петербург', 'петербуржцы', 'Дуров', 'Дурова', 'Telegram', '—', '.', '\n']
const text = fc.array(fc.constantFrom(...words), { maxLength: 80 }).map(parts => parts.join(' '))
const query = fc.array(fc.constantFrom('человек', 'президент', 'ёлка', 'идти', 'петербург', 'дуров', 'telegram', 'млн', '14,5'), { minLength: 1, maxLength: 3 }).map(parts => parts.join(' '))

describe('matchingTokens with index counts', () => {
  it('finds the same tokens as analysing every token, for any text and query', () => {
    fc.assert(fc.property(text, query, (sample, q) => {
      const terms = termsOf(q)
      expect(matchingTokens(sample, terms, analyzer, indexCounts(sample))).toEqual(matchingTokens(sample, terms, analyzer))
    }), { numRuns: 500 })
  })

  it('finds forms that share no letters with the query term («люди» for «человек»)', () => {
    const sample = 'Сто человек пришли. Люди шли. Людей было много.'
    const terms = termsOf('человек')
    const found = matchingTokens(sample, terms, analyzer, indexCounts(sample)).map(token => token.text)
    expect(found).toEqual(matchingTokens(sample, terms, analyzer).map(token => token.text))
    expect(found).toContain('Люди')
  })

  it('falls back to every token when the counts are unknown or more than the text holds', () => {
    const sample = 'Президент сказал. Президента спросили. Экс-президент ответил.'
    const terms = termsOf('президент')
    const all = matchingTokens(sample, terms, analyzer)
    expect(all).toHaveLength(3)
    for (const wrong of [() => 4, () => 99, () => undefined]) {
      expect(matchingTokens(sample, terms, analyzer, wrong)).toEqual(all)
    }
  })

  it('trusts the counts: once they are reached, or when all are zero, the rest of the body is not scanned', () => {
    expect(matchingTokens('Президент сказал.', termsOf('президент'), analyzer, () => 0)).toEqual([])
    const found = matchingTokens('Президент сказал. Президента спросили.', termsOf('президент'), analyzer, () => 1)
    expect(found.map(token => token.text)).toEqual(['Президент'])
  })

  it('gives the same snippet with and without counts', () => {
    const filler = 'Погода в регионе оставалась спокойной весь день. '.repeat(20)
    const sample = `${filler}Бюджет обсуждали. ${filler}Министр финансов представил бюджет и дефицит. ${filler}`
    const terms = termsOf('бюджет дефицит')
    expect(makeSnippet(sample, terms, analyzer, { length: 160 }, indexCounts(sample))).toBe(makeSnippet(sample, terms, analyzer, { length: 160 }))
  })
})
