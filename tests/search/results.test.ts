import { describe, expect, it } from 'vitest'
import type { StoredFields } from '../../src/index/minisearch-options.js'
import type { MatchList } from '../../src/search/match-list.js'
import { RankedResults } from '../../src/search/results.js'

/** `count` matches, best first, whose stored fields count their reads (a title and url read from the index file each). */
function countedMatches (count: number): { matches: MatchList, reads: () => number } {
  let reads = 0
  const date = (at: number): string => `2024-01-${String(at % 28 + 1).padStart(2, '0')}`
  const fields = (at: number): StoredFields => {
    reads += 1
    return { title: `Заголовок ${at}`, kind: 'article', url: `https://example.org/${at}`, date: date(at), offset: at, length: 1 }
  }
  const matches: MatchList = {
    length: count,
    score: at => count - at,
    queryTerms: () => ['заголовок'],
    id: at => `id-${at}`,
    shortId: at => at,
    fields,
    hotFields: at => ({ date: date(at) }),
    date,
    result: at => ({ id: `id-${at}`, score: count - at, terms: ['заголовок'], queryTerms: ['заголовок'], match: {}, ...fields(at) })
  }
  return { matches, reads: () => reads }
}

describe('ranked results', () => {
  it('read a match\'s stored fields only when they are used: ordering thousands of candidates reads none', () => {
    const { matches, reads } = countedMatches(5000)
    const ranked = new RankedResults(matches, Float64Array.from({ length: 5000 }, (_, at) => 5000 - at), new Uint8Array(5000).fill(1), { sort: 'relevance' })
    const candidates = ranked.topWhere(ranked.total, at => at % 2 === 0).map(({ found }) => found)
    expect(candidates).toHaveLength(2500)
    expect(candidates[1]?.date).toBe('2024-01-03')
    expect(reads()).toBe(0)
    expect(candidates[1]?.fields.title).toBe('Заголовок 2')
    expect(candidates[1]?.fields.url).toBe('https://example.org/2')
    expect(reads()).toBe(1)
  })
})
