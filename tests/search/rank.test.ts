import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ITEMS_BETWEEN_PAUSES } from '../../src/index/time-slicer.js'
import { applyRecency, rankingTop, topRanked, type Rankable, type RankOptions } from '../../src/search/rank.js'

interface Row { score: number, words: number, date?: string }

function rankable (rows: readonly Row[]): Rankable {
  return {
    length: rows.length,
    scores: Float64Array.from(rows, row => row.score),
    wordsMatched: Uint8Array.from(rows, row => row.words),
    date: at => rows[at]?.date
  }
}

/** The ordering rank.ts promises, written the plain way: a stable sort of every result. */
function sortedPlainly (rows: readonly Row[], { sort, coordinateWords }: RankOptions): number[] {
  const tier = (row: Row): number => coordinateWords !== undefined && row.words >= coordinateWords ? 1 : 0
  const byDate = (a: Row, b: Row): number => a.date === b.date ? 0 : a.date === undefined ? 1 : b.date === undefined ? -1 : a.date < b.date ? 1 : -1
  return rows.map((row, at) => ({ row, at }))
    .sort((a, b) => sort === 'date' ? byDate(a.row, b.row) || b.row.score - a.row.score : tier(b.row) - tier(a.row) || b.row.score - a.row.score)
    .map(({ at }) => at)
}

const row = fc.record({
  score: fc.constantFrom(0.5, 1, 1, 2, 3.25, 7), // repeated values: ties must keep the matches' order
  words: fc.integer({ min: 1, max: 3 }),
  date: fc.option(fc.constantFrom('2020-01-01', '2021-06-30', '2021-07-01'), { nil: undefined })
}, { requiredKeys: ['score', 'words'] })
const options = fc.record({ sort: fc.constantFrom<RankOptions['sort']>('relevance', 'date'), coordinateWords: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) }, { requiredKeys: ['sort'] })

describe('topRanked', () => {
  it('gives the first `count` of a stable sort of every result, for any count', () => {
    fc.assert(fc.property(fc.array(row, { maxLength: 60 }), options, fc.integer({ min: 0, max: 70 }), (rows, order, count) => {
      expect(topRanked(rankable(rows), count, order)).toEqual(sortedPlainly(rows, order).slice(0, count))
    }))
  })
})

describe('rankingTop', () => {
  it(`goes through the results in pieces of ${ITEMS_BETWEEN_PAUSES}, yielding between them, to topRanked's answer`, () => {
    const rows = Array.from({ length: 2 * ITEMS_BETWEEN_PAUSES + 5 }, (_, at): Row => ({ score: (at * 7919) % 1000, words: 1 + at % 3 }))
    const order: RankOptions = { sort: 'relevance', coordinateWords: 3 }
    const steps = rankingTop(rankable(rows), 10, order)
    let yields = 0
    let step = steps.next()
    for (; step.done !== true; step = steps.next()) yields += 1
    expect(yields).toBe(2)
    expect(step.value).toEqual(sortedPlainly(rows, order).slice(0, 10))
  })
})

describe('applyRecency', () => {
  it('lifts newer results relative to the newest, and leaves undated ones', () => {
    const results = rankable([{ score: 1, words: 1, date: '2021-01-31' }, { score: 1, words: 1, date: '2021-01-01' }, { score: 1, words: 1 }])
    applyRecency(results, { halfLifeDays: 30, weight: 1 })
    expect([...results.scores]).toEqual([2, 1.5, 1])
  })
})
