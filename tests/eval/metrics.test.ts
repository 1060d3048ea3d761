import { describe, expect, it } from 'vitest'
import { averagePrecisionAt, ndcgAt, quantile, recallAt, reciprocalRankAt } from '../../src/eval/metrics.js'

const relevant = new Set(['a', 'b', 'c'])

describe('metrics', () => {
  it('nDCG@k is 1 for an ideal ranking and discounts late hits', () => {
    expect(ndcgAt(10, ['a', 'b', 'c', 'x'], relevant)).toBeCloseTo(1)
    const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4)
    expect(ndcgAt(10, ['x', 'a', 'y', 'b'], relevant)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(5)) / ideal)
    expect(ndcgAt(1, ['x', 'a'], relevant)).toBe(0)
  })

  it('average precision divides by all relevant documents', () => {
    expect(averagePrecisionAt(100, ['a', 'x', 'b'], relevant)).toBeCloseTo((1 + 2 / 3) / 3)
  })

  it('recall and reciprocal rank are cut at k', () => {
    expect(recallAt(2, ['a', 'x', 'b'], relevant)).toBeCloseTo(1 / 3)
    expect(reciprocalRankAt(10, ['x', 'y', 'b'], relevant)).toBeCloseTo(1 / 3)
    expect(reciprocalRankAt(2, ['x', 'y', 'b'], relevant)).toBe(0)
  })

  it('quantiles pick from the sorted values', () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3)
    expect(quantile([5, 1, 3, 2, 4], 0.99)).toBe(5)
    expect(quantile([], 0.5)).toBe(0)
  })
})
