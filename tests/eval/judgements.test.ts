import { describe, expect, it } from 'vitest'
import { halfOf } from '../../src/eval/judgements.js'

describe('the tuning and held-out halves', () => {
  it('puts each query in a half fixed by its text alone', () => {
    // Pinned: a change of the split would silently move queries between tuning and judging.
    expect(['санкции', 'путин', 'Трамп'].map(halfOf)).toEqual(['tuning', 'held-out', 'held-out'])
    expect(halfOf('санкции')).toBe(halfOf('санкции'))
  })

  it('splits a set of queries about evenly', () => {
    const queries = Array.from({ length: 2000 }, (_, i) => `запрос ${i}`)
    const tuning = queries.filter(query => halfOf(query) === 'tuning').length
    expect(tuning).toBeGreaterThan(900)
    expect(tuning).toBeLessThan(1100)
  })
})
