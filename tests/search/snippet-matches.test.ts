import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { tokenize } from '../../src/analysis/tokenize.js'
import { matchingTokens, type TermCounts } from '../../src/search/snippet-matches.js'
import { makeSnippet, snippetFromPrefix } from '../../src/search/snippet.js'

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

describe('matchingTokens with a passage stop', () => {
  it('is the full list cut after the first passage holding every query term the text holds', () => {
    fc.assert(fc.property(text, query, fc.integer({ min: 5, max: 80 }), (sample, q, span) => {
      const terms = termsOf(q)
      const all = matchingTokens(sample, terms, analyzer)
      const stopped = matchingTokens(sample, terms, analyzer, indexCounts(sample), { span, length: span + 20 })
      // A prefix of the full list…
      expect(stopped).toEqual(all.slice(0, stopped.length))
      if (stopped.length === all.length) return
      // …that stopped only after some passage of `span` held every term the text holds, and read `length` on from it.
      const queryTermsOf = (tokens: typeof all): Set<string> => new Set(tokens.flatMap(token => token.terms.filter(term => terms.has(term))))
      const present = queryTermsOf(all)
      const passageStart = stopped.find(first => queryTermsOf(stopped.filter(token => token.start >= first.start && token.end <= first.start + span)).size === present.size)
      expect(passageStart).toBeDefined()
      expect((all[stopped.length] as { start: number }).start).toBeGreaterThanOrEqual((passageStart as { start: number }).start + span + 20)
    }), { numRuns: 500 })
  })

  it('gives a long body\'s snippet from its first passage holding every query word', () => {
    const body = `Павел Дуров основал Telegram. ${'Прочий текст новости без нужных слов. '.repeat(40)}Дуров и Telegram снова. Дуров, Дурову, Дуровым.`
    const snippet = makeSnippet(body, termsOf('Дуров Telegram'), analyzer, {}, indexCounts(body))
    expect(snippet).toMatch(/^Павел <mark>Дуров<\/mark> основал <mark>Telegram<\/mark>/)
  })
})

describe('snippetFromPrefix', () => {
  it('is the whole text\'s snippet whenever the opening settles it', () => {
    const longText = fc.array(fc.constantFrom(...words), { minLength: 20, maxLength: 200 }).map(parts => parts.join(' '))
    let settled = 0
    fc.assert(fc.property(longText, query, fc.integer({ min: 20, max: 400 }), (sample, q, cut) => {
      const terms = termsOf(q)
      const space = sample.lastIndexOf(' ', cut)
      const prefix = space === -1 ? '' : sample.slice(0, space)
      const options = { length: 60, leadingContext: 15 }
      const fromPrefix = snippetFromPrefix(prefix, sample.length, terms, analyzer, indexCounts(sample), options)
      if (fromPrefix === undefined) return
      settled += 1
      expect(fromPrefix).toBe(makeSnippet(sample, terms, analyzer, options, indexCounts(sample)))
    }), { numRuns: 500 })
    expect(settled).toBeGreaterThan(50) // the property was exercised, not skipped
  })
})

describe('a snippet cut short by its passage', () => {
  it('marks a form in its window that the candidate filter has not learnt («шли» for «идти»)', () => {
    const fresh = createDefaultAnalyzer() // nothing learnt yet
    const terms = new Set(fresh.analyzeWithOffsets('идти').flatMap(token => token.terms))
    const body = `Они решили идти пешком, и шли долго. ${'Прочий текст новости без нужных слов. '.repeat(40)}Идти снова.`
    const snippet = makeSnippet(body, terms, fresh, {}, indexCounts(body))
    expect(snippet).toContain('<mark>идти</mark> пешком, и <mark>шли</mark> долго')
  })
})
