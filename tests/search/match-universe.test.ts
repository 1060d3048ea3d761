import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import MiniSearch, { type Query } from 'minisearch'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { miniSearchOptions, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { matchList } from '../../src/search/match-list.js'
import { DocumentSet, excludedDocuments, matchUniverse, WordCounts } from '../../src/search/match-universe.js'
import type { ExcludedWord, PlannedWord } from '../../src/search/query-plan.js'
import { wordsMatchedCounter } from '../../src/search/words-matched.js'
import { runAtOnce, runPausing } from '../../src/index/time-slicer.js'

const analyzer = createDefaultAnalyzer()
const titles = ['Путин и Трамп', 'Трамп в Москве', 'Москва и Петербург', 'Выборы в России', 'Путин о выборах', 'Погода в Москве', 'Трамп, Путин и выборы', 'Петербург', 'Стали сталью']
const options = { tokenize: (term: string) => [term], processTerm: (term: string) => term }

function indexOfTitles (): MiniSearch<IndexedDocument> {
  const index = new MiniSearch<IndexedDocument>(miniSearchOptions(analyzer))
  index.addAll(titles.map((title, at) => ({ id: `d${at}`, title, lead: '', body: `${titles[(at + 3) % titles.length] ?? ''}`, kind: 'article', offset: 0, length: 0 })))
  return index
}

/** A planned word of `word`'s analysed terms, scoped to the headline or not. */
function planned (word: string, title: boolean): PlannedWord {
  return { typed: word, word, terms: new Map(analyzer.termsOf(word).map(term => [term, 1])), ...(title ? { field: 'title' as const } : {}) }
}

/** search.ts's query of planned words. */
function queryOf (words: readonly PlannedWord[]): Query {
  return {
    combineWith: 'OR',
    queries: words.map(word => {
      const group: Query = { combineWith: 'OR', queries: [...word.terms.keys()] }
      return word.field === 'title' ? { combineWith: 'OR', queries: [group], fields: ['title'] } : group
    })
  }
}

const members = (set: DocumentSet): number[] => {
  const found: number[] = []
  runAtOnce(set.visiting(shortId => found.push(shortId)))
  return found
}

describe('a DocumentSet', () => {
  it('holds short ids as bits, visits them in order and counts them', () => {
    const set = new DocumentSet(100)
    for (const id of [99, 0, 31, 32, 64, 5]) set.add(id)
    set.delete(5)
    expect(members(set)).toEqual([0, 31, 32, 64, 99])
    expect(set.size).toBe(5)
    expect(set.has(31)).toBe(true)
    expect(set.has(5)).toBe(false)
    expect(set.has(-1)).toBe(false)
    expect(set.has(100)).toBe(false)
  })
})

describe('WordCounts', () => {
  it('finds the documents holding at least so many words, for every count from one to more than there are words', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100 }), fc.array(fc.array(fc.nat(99)), { minLength: 0, maxLength: 9 }), (bound, words) => {
      const held = words.map(members => {
        const set = new DocumentSet(bound)
        for (const shortId of members) if (shortId < bound) set.add(shortId)
        return set
      })
      const counts = new WordCounts(bound, held)
      for (let least = 1; least <= words.length + 1; least += 1) {
        const expected = Array.from({ length: bound }, (_, shortId) => shortId).filter(shortId => held.filter(set => set.has(shortId)).length >= least)
        const found: number[] = []
        runAtOnce(counts.atLeast(least).visiting(shortId => found.push(shortId)))
        expect(found, `at least ${least} of ${words.length}`).toEqual(expected)
      }
    }), { numRuns: 300 })
  })
})

describe('matchUniverse', () => {
  it('finds the matches scoring finds, and those holding every word as wordsMatchedCounter counts them', () => {
    const index = indexOfTitles()
    // A discarded document keeps its postings (dirtCount > 0): it must match nothing.
    index.discard('d6')
    const word = fc.record({ word: fc.constantFrom('путин', 'трамп', 'москва', 'выборы', 'петербург', 'стали'), title: fc.boolean() })
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.boolean(), (chosen, filtered) => {
      const words = chosen.map(({ word, title }) => planned(word, title))
      const accept = filtered ? (shortId: number) => shortId % 2 === 0 : undefined
      const list = matchList(index, queryOf(words), options)
      const countWords = wordsMatchedCounter(words)
      const expected: number[] = []
      const expectedAll: number[] = []
      for (let at = 0; at < list.length; at += 1) {
        const shortId = list.shortId(at)
        if (accept !== undefined && !accept(shortId)) continue
        expected.push(shortId)
        if (countWords(list.queryTerms(at)) === words.length) expectedAll.push(shortId)
      }
      const universe = runAtOnce(matchUniverse(index, words, accept))
      expect(universe).toBeDefined()
      expect(members(universe?.matches as DocumentSet)).toEqual(expected.sort((a, b) => a - b))
      expect(members(universe?.allWords as DocumentSet)).toEqual(expectedAll.sort((a, b) => a - b))
    }))
  })
})

describe('excludedDocuments', () => {
  it('finds the documents MiniSearch\'s search finds for the excluded words: any of a word\'s terms, a term of each of a negated phrase\'s words', () => {
    const index = indexOfTitles()
    index.discard('d6')
    const termsOf = (word: string): string[] => analyzer.termsOf(word)
    const excludedWord = fc.record({
      words: fc.array(fc.constantFrom('путин', 'трамп', 'москва', 'выборы', 'петербург', 'стали', 'погода'), { minLength: 1, maxLength: 3 }),
      title: fc.boolean()
    }).map(({ words, title }): ExcludedWord => ({
      terms: termsOf(words[0] as string),
      ...(words.length > 1 ? { together: words.slice(1).map(termsOf) } : {}),
      ...(title ? { field: 'title' as const } : {})
    }))
    fc.assert(fc.property(fc.array(excludedWord, { minLength: 1, maxLength: 3 }), excluded => {
      const expected = new Set<number>()
      for (const word of excluded) {
        const groups = [word.terms, ...(word.together ?? [])].map((terms): Query => ({ combineWith: 'OR', queries: terms }))
        const query: Query = { combineWith: 'AND', queries: groups, ...(word.field === 'title' ? { fields: ['title'] } : {}) }
        for (const result of index.search(query, options)) expected.add(Number(String(result.id).slice(1)))
      }
      const found = runAtOnce(excludedDocuments(index, excluded))
      expect(members(found as DocumentSet)).toEqual([...expected].sort((a, b) => a - b))
    }))
  })

  it('yields after each term, so that a search awaiting its pauses there does not hold the event loop for a frequent word', async () => {
    const index = indexOfTitles()
    const excluded: ExcludedWord[] = [{ terms: analyzer.termsOf('путин') }, { terms: analyzer.termsOf('москва'), together: [analyzer.termsOf('трамп')] }]
    let pauses = 0
    const found = await runPausing(excludedDocuments(index, excluded), async () => { pauses += 1 })
    expect(pauses).toBeGreaterThanOrEqual(3)
    expect(members(found as DocumentSet)).toEqual(members(runAtOnce(excludedDocuments(index, excluded)) as DocumentSet))
  })
})
