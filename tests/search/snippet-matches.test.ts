import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { tokenize } from '../../src/analysis/tokenize.js'
import { FormTable } from '../../src/index/form-table.js'
import { matchingTokens, type SnippetQuery, type TermCounts } from '../../src/search/snippet-matches.js'
import { makeSnippet, snippetFromPrefix } from '../../src/search/snippet.js'

const analyzer = createDefaultAnalyzer()
const termsOf = (query: string): Set<string> => new Set(analyzer.analyzeWithOffsets(query).flatMap(token => token.terms))

/** Every token analysed: what the other ways must agree with. */
const plain = (query: string): SnippetQuery => ({ terms: termsOf(query), analyzer })

/** With the form keys an index holding `texts` records (a fresh analyzer: nothing cached). */
function withForms (query: string, ...texts: string[]): SnippetQuery {
  const forms = FormTable.empty()
  const indexing = createDefaultAnalyzer()
  forms.addTexts(texts, indexing)
  const terms = termsOf(query)
  return { terms, analyzer, forms: forms.keySet(terms) }
}

/** The counts an index holds for `text`: tokens carrying each term. */
function indexCounts (text: string): TermCounts {
  const counts = new Map<string, number>()
  for (const token of tokenize(text)) for (const term of analyzer.termsOf(token.text)) counts.set(term, (counts.get(term) ?? 0) + 1)
  return term => counts.get(term) ?? 0
}

const words = ['Люди', 'человек', 'людей', 'Человеку', 'экс-президент', 'президента', 'ПРЕЗИДЕНТ', 'Ёлка', 'елки', 'шли', 'идти', 'пошёл', 'и', 'в', '14,5', 'млн', 'С-400', 'Санкт-Петербург', 'петербуржцы', 'Дуров', 'Дурова', 'Telegram', '—', '.', '\n']
const text = fc.array(fc.constantFrom(...words), { maxLength: 80 }).map(parts => parts.join(' '))
const query = fc.array(fc.constantFrom('человек', 'президент', 'ёлка', 'идти', 'петербург', 'дуров', 'telegram', 'млн', '14,5'), { minLength: 1, maxLength: 3 }).map(parts => parts.join(' '))

describe('matchingTokens with form keys and index counts', () => {
  it('finds the same tokens as analysing every token, for any text and query', () => {
    fc.assert(fc.property(text, query, (sample, q) => {
      const all = matchingTokens(sample, plain(q))
      expect(matchingTokens(sample, withForms(q, sample))).toEqual(all)
      expect(matchingTokens(sample, withForms(q, sample), indexCounts(sample))).toEqual(all)
      expect(matchingTokens(sample, plain(q), indexCounts(sample))).toEqual(all)
    }), { numRuns: 500 })
  })

  it('finds forms that share no letters with the query term («люди» for «человек»)', () => {
    const sample = 'Сто человек пришли. Люди шли. Людей было много.'
    const found = matchingTokens(sample, withForms('человек', sample), indexCounts(sample)).map(token => token.text)
    expect(found).toEqual(['человек', 'Люди', 'Людей'])
  })

  it('analyses only tokens whose form carried a query term in the index', () => {
    const sample = 'Президент сказал. Президента спросили. Экс-президент ответил.'
    const analysed: string[] = []
    const counting = { ...analyzer, termsAt: (text: string, start: number, end: number) => { analysed.push(text.slice(start, end)); return analyzer.termsAt(text, start, end) } }
    const found = matchingTokens(sample, { ...withForms('президент', sample), analyzer: counting })
    expect(found.map(token => token.text)).toEqual(['Президент', 'Президента', 'Экс-президент'])
    expect(analysed).toEqual(['Президент', 'Президента', 'Экс-президент'])
  })

  it('falls back to every token when the counts are unknown or more than the text holds', () => {
    const sample = 'Президент сказал. Президента спросили. Экс-президент ответил.'
    const all = matchingTokens(sample, plain('президент'))
    expect(all).toHaveLength(3)
    for (const wrong of [() => 4, () => 99, () => undefined]) {
      // Keys from another text: the counts do not add up, so the keys are not trusted either.
      expect(matchingTokens(sample, withForms('президент', 'Президент сказал.'), wrong)).toEqual(all)
    }
  })

  it('trusts the counts: once they are reached, or when all are zero, the rest of the body is not scanned', () => {
    expect(matchingTokens('Президент сказал.', plain('президент'), () => 0)).toEqual([])
    const found = matchingTokens('Президент сказал. Президента спросили.', plain('президент'), () => 1)
    expect(found.map(token => token.text)).toEqual(['Президент'])
  })

  it('gives the same snippet with and without keys and counts', () => {
    const filler = 'Погода в регионе оставалась спокойной весь день. '.repeat(20)
    const sample = `${filler}Бюджет обсуждали. ${filler}Министр финансов представил бюджет и дефицит. ${filler}`
    const expected = makeSnippet(sample, plain('бюджет дефицит'), { length: 160 })
    expect(makeSnippet(sample, withForms('бюджет дефицит', sample), { length: 160 }, indexCounts(sample))).toBe(expected)
    expect(makeSnippet(sample, plain('бюджет дефицит'), { length: 160 }, indexCounts(sample))).toBe(expected)
  })
})

describe('matchingTokens with a passage stop', () => {
  it('is the full list cut after the first passage holding every query term the text holds', () => {
    fc.assert(fc.property(text, query, fc.integer({ min: 5, max: 80 }), (sample, q, span) => {
      const terms = termsOf(q)
      const all = matchingTokens(sample, plain(q))
      const stopped = matchingTokens(sample, withForms(q, sample), indexCounts(sample), { span, length: span + 20 })
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
    const snippet = makeSnippet(body, withForms('Дуров Telegram', body), {}, indexCounts(body))
    expect(snippet).toMatch(/^Павел <mark>Дуров<\/mark> основал <mark>Telegram<\/mark>/)
  })
})

describe('snippetFromPrefix', () => {
  it('is the whole text\'s snippet whenever the opening settles it', () => {
    const longText = fc.array(fc.constantFrom(...words), { minLength: 20, maxLength: 200 }).map(parts => parts.join(' '))
    let settled = 0
    fc.assert(fc.property(longText, query, fc.integer({ min: 20, max: 400 }), (sample, q, cut) => {
      const space = sample.lastIndexOf(' ', cut)
      const prefix = space === -1 ? '' : sample.slice(0, space)
      const options = { length: 60, leadingContext: 15 }
      const fromPrefix = snippetFromPrefix(prefix, sample.length, withForms(q, sample), indexCounts(sample), options)
      if (fromPrefix === undefined) return
      settled += 1
      expect(fromPrefix).toBe(makeSnippet(sample, plain(q), options))
    }), { numRuns: 500 })
    expect(settled).toBeGreaterThan(50) // the property was exercised, not skipped
  })
})

describe('a snippet cut short by its passage', () => {
  it('marks every form in its window, whatever letters it shares with the query («шли» for «идти»)', () => {
    const body = `Они решили идти пешком, и шли долго. ${'Прочий текст новости без нужных слов. '.repeat(40)}Идти снова.`
    const snippet = makeSnippet(body, withForms('идти', body), {}, indexCounts(body))
    expect(snippet).toContain('<mark>идти</mark> пешком, и <mark>шли</mark> долго')
  })
})
