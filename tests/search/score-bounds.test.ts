import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import MiniSearch, { type Query, type SearchOptions } from 'minisearch'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { miniSearchOptions, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { runAtOnce } from '../../src/index/time-slicer.js'
import { DocumentSet, matchUniverse } from '../../src/search/match-universe.js'
import type { PlannedWord } from '../../src/search/query-plan.js'
import { scoreBounds, type BoundedQuery, type ScoreBounds } from '../../src/search/score-bounds.js'
import { scoreQuery } from '../../src/search/score-query.js'
import { wordsMatchedCounter } from '../../src/search/words-matched.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

const analyzer = createDefaultAnalyzer()
// Sixteen terms: a query of many words may have more terms in fields than a mask's 31 bits (then a unit is a word in a field).
const VOCABULARY = ['путин', 'трамп', 'москва', 'выборы', 'нефть', 'санкции', 'погода', 'сталь', 'газ', 'банк', 'суд', 'армия', 'школа', 'футбол', 'пенсия', 'ракета']
const BOOST = { title: 1, lead: 0.3, body: 1 }

interface Case {
  documents: Array<{ title: number[], body: number[] }>
  words: Array<{ terms: number[], weights: number[], title: boolean }>
  bm25: { k: number, b: number, d: number }
  coordination: number
  coverageWeight: number
  coverage: number[]
}

function indexOf (documents: Case['documents']): MiniSearch<IndexedDocument> {
  const index = new MiniSearch<IndexedDocument>(miniSearchOptions(analyzer))
  const text = (words: number[]): string => words.map(word => VOCABULARY[word] as string).join(' ')
  index.addAll(documents.map((document, at) => ({ id: `d${at}`, title: text(document.title), lead: text(document.body.slice(0, 3)), body: text(document.body), kind: 'article', offset: 0, length: 0 })))
  return index
}

function plannedWords (words: Case['words']): PlannedWord[] {
  return words.map(({ terms, weights, title }) => ({
    typed: VOCABULARY[terms[0] as number] as string,
    word: VOCABULARY[terms[0] as number] as string,
    terms: new Map(terms.map((term, at) => [analyzer.termsOf(VOCABULARY[term] as string)[0] as string, weights[at] as number])),
    ...(title ? { field: 'title' as const } : {})
  }))
}

/** search.ts's query and options for these words: a word an OR of its terms, a headline-scoped one in the title. */
function scoringOf (words: readonly PlannedWord[], bm25: Case['bm25']): { query: Query, options: SearchOptions, weightOf: (term: string) => number } {
  const weights = new Map<string, number>()
  for (const word of words) for (const [term, weight] of word.terms) weights.set(term, Math.max(weights.get(term) ?? 0, weight))
  const weightOf = (term: string): number => weights.get(term) ?? 1
  const query: Query = {
    combineWith: 'OR',
    queries: words.map(word => {
      const group: Query = { combineWith: 'OR', queries: [...word.terms.keys()] }
      return word.field === 'title' ? { combineWith: 'OR', queries: [group], fields: ['title'] } : group
    })
  }
  return { query, options: { tokenize: term => [term], processTerm: term => term, boost: BOOST, bm25, boostTerm: weightOf }, weightOf }
}

/** Every match's final score as search.ts's findAll makes it: raw × coordination factor × title coverage's factor. */
function finalScores (index: MiniSearch<IndexedDocument>, words: readonly PlannedWord[], scoring: ReturnType<typeof scoringOf>, factorOf: (words: number) => number, coverage: Float64Array, coverageWeight: number): Map<number, number> {
  const scored = scoreQuery(index, scoring.query, scoring.options)
  if ('unsupported' in scored) throw new Error(scored.unsupported)
  const countWords = wordsMatchedCounter(words)
  const finals = new Map<number, number>()
  scored.forEach((shortId, score, mask) => {
    const words = countWords(scored.terms.filter((_, bit) => (mask & (1 << bit)) !== 0))
    finals.set(shortId, score * factorOf(words) * (1 + coverageWeight * (coverage[shortId] ?? 0)))
  })
  return finals
}

function boundsOf (index: MiniSearch<IndexedDocument>, words: readonly PlannedWord[], scoring: ReturnType<typeof scoringOf>, bm25: Case['bm25'], factorOf: (words: number) => number, coverage: Float64Array, coverageWeight: number): ScoreBounds {
  const query: BoundedQuery = { words, boost: BOOST, bm25, termWeight: scoring.weightOf, factorOf, titleCoverage: { weight: coverageWeight, byShortId: coverage } }
  const bounds = runAtOnce(scoreBounds(index, query))
  if (bounds === undefined) throw new Error('no bounds')
  return bounds
}

/** Every match whose final score is at least its own is among those reaching it: no match scores above its bound. */
function expectBounded (bounds: ScoreBounds, finals: ReadonlyMap<number, number>): void {
  const nothing = new DocumentSet(0)
  for (const [shortId, score] of finals) {
    const reaching = runAtOnce(bounds.reaching(score, nothing))
    expect(reaching.documents.has(shortId), `d${shortId} scores ${score}`).toBe(true)
  }
}

const members = (set: DocumentSet): number[] => {
  const found: number[] = []
  runAtOnce(set.visiting(shortId => found.push(shortId)))
  return found
}

const caseOf = fc.record({
  documents: fc.array(fc.record({
    title: fc.array(fc.integer({ min: 0, max: VOCABULARY.length - 1 }), { minLength: 1, maxLength: 6 }),
    body: fc.array(fc.integer({ min: 0, max: VOCABULARY.length - 1 }), { minLength: 0, maxLength: 40 })
  }), { minLength: 1, maxLength: 40 }),
  words: fc.array(fc.record({
    terms: fc.uniqueArray(fc.integer({ min: 0, max: VOCABULARY.length - 1 }), { minLength: 1, maxLength: 3 }),
    weights: fc.array(fc.constantFrom(1, 0.4, 0.3), { minLength: 3, maxLength: 3 }),
    title: fc.boolean()
  }), { minLength: 1, maxLength: 8 }),
  bm25: fc.record({ k: fc.constantFrom(1.2, 10), b: fc.constantFrom(0, 0.35, 0.7, 1), d: fc.constantFrom(0, 0.5) }),
  coordination: fc.constantFrom(0, 0.5, 1, 2),
  coverageWeight: fc.constantFrom(0, 0.5, 1),
  coverage: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 })
})

describe('score bounds', () => {
  it('bound every match\'s final score, whatever the words, weights, BM25 parameters and factors', () => {
    fc.assert(fc.property(caseOf, (drawn: Case) => {
      const index = indexOf(drawn.documents)
      const words = plannedWords(drawn.words)
      const scoring = scoringOf(words, drawn.bm25)
      const factorOf = (count: number): number => Math.pow(count, drawn.coordination)
      const coverage = Float64Array.from(drawn.coverage)
      const finals = finalScores(index, words, scoring, factorOf, coverage, drawn.coverageWeight)
      expectBounded(boundsOf(index, words, scoring, drawn.bm25, factorOf, coverage, drawn.coverageWeight), finals)
    }), { numRuns: 300 })
  })

  it('count the matches and those holding every word as match-universe does', () => {
    fc.assert(fc.property(caseOf, (drawn: Case) => {
      const index = indexOf(drawn.documents)
      const words = plannedWords(drawn.words)
      const bounds = boundsOf(index, words, scoringOf(words, drawn.bm25), drawn.bm25, () => 1, new Float64Array(0), 0)
      const universe = runAtOnce(matchUniverse(index, words))
      expect(members(bounds.matches)).toEqual(members(universe?.matches as DocumentSet))
      expect(members(bounds.allWords)).toEqual(members(universe?.allWords as DocumentSet))
    }), { numRuns: 200 })
  })

  it('bound the scores of a loaded index, its postings read from the file, and after documents were discarded', async () => {
    const next = ((seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)(11)
    const pick = (count: number): string => Array.from({ length: count }, () => VOCABULARY[Math.floor(next() * next() * VOCABULARY.length)] as string).join(' ')
    const snapshot = await indexOfArticles(Array.from({ length: 300 }, (_, at) => ({ id: `a${at}`, title: pick(2 + Math.floor(next() * 5)), body: `${pick(5 + Math.floor(next() * 80))}.` })))
    const index = snapshot.miniSearch
    const check = (): void => {
      for (const [terms, title] of [[[0], false], [[0, 1, 2, 3], false], [[4], true], [[5, 6, 7, 8, 9], false]] as const) {
        const words = plannedWords(terms.map((term, at) => ({ terms: [term], weights: [1], title: title && at === 0 })))
        const bm25 = { k: 10, b: 1, d: 0 }
        const scoring = scoringOf(words, bm25)
        const coverage = Float64Array.from({ length: 300 }, () => next())
        const factorOf = (count: number): number => count
        expectBounded(boundsOf(index, words, scoring, bm25, factorOf, coverage, 1), finalScores(index, words, scoring, factorOf, coverage, 1))
      }
    }
    check()
    for (let at = 0; at < 300; at += 7) index.discard(`a${at}`)
    expect(index.dirtCount).toBeGreaterThan(0)
    check()
  })
})
