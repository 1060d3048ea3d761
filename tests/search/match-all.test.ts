import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import MiniSearch, { type Query } from 'minisearch'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { miniSearchOptions, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { matchAll } from '../../src/search/match-all.js'
import { wordsMatchedCounter } from '../../src/search/words-matched.js'

const analyzer = createDefaultAnalyzer()
const titles = ['Путин и Трамп', 'Трамп в Москве', 'Москва и Петербург', 'Выборы в России', 'Путин о выборах', 'Погода в Москве', 'Трамп, Путин и выборы', 'Петербург']
const index = new MiniSearch<IndexedDocument>(miniSearchOptions(analyzer))
index.addAll(titles.map((title, at) => ({ id: `d${at}`, title, body: `${title}. ${titles[(at + 3) % titles.length] ?? ''}`, kind: 'article', offset: 0, length: 0, ...(at % 2 === 0 ? { date: `2020-01-0${at + 1}` } : {}) })))
const analysed = (word: string): string[] => analyzer.termsOf(word)
const options = { tokenize: (term: string) => [term], processTerm: (term: string) => term, bm25: { k: 1.2, b: 0.3, d: 0.5 } }

describe('matchAll', () => {
  it('gives MiniSearch\'s matches, scores and matched terms, in an order a stable sort makes MiniSearch\'s', () => {
    fc.assert(fc.property(fc.subarray(['путин', 'трамп', 'москва', 'выборы', 'петербург', 'погода'], { minLength: 1 }), fc.boolean(), (words, filtered) => {
      const query: Query = { combineWith: 'OR', queries: words.map(word => ({ combineWith: 'OR', queries: analysed(word) })) }
      const accept = (id: unknown): boolean => id !== 'd1'
      const expected = index.search(query, { ...options, ...(filtered ? { filter: result => accept(result.id) } : {}) })
      const matches = matchAll(index, query, options, filtered ? accept : undefined).sort((a, b) => b.score - a.score)
      expect(matches.map(match => [match.id, match.score, match.queryTerms])).toEqual(expected.map(result => [result.id, result.score, result.queryTerms]))
      expect(matches.map(match => match.result())).toEqual(expected)
    }))
  })
})

describe('wordsMatchedCounter', () => {
  it('counts the words any of whose terms matched, as a scan of every word does', () => {
    const term = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')
    const words = fc.array(fc.array(term, { minLength: 1, maxLength: 3 }).map(terms => ({ terms: new Map(terms.map(t => [t, 1])) })), { maxLength: 40 })
    fc.assert(fc.property(words, fc.array(term), (plan, matched) => {
      const naive = plan.filter(word => [...word.terms.keys()].some(t => matched.includes(t))).length
      expect(wordsMatchedCounter(plan)(matched)).toBe(naive)
    }))
  })
})
