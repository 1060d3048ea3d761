import { describe, expect, it } from 'vitest'
import { internalsOf } from '../../src/index/minisearch-internals.js'
import { planQuery } from '../../src/search/query-plan.js'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { search } from '../../src/search/search.js'
import { titleCoverage } from '../../src/search/title-coverage.js'
import { vocabularyOf } from '../../src/search/vocabulary.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

/** Long articles that repeat the query's words in their bodies, as a week of news about Putin does. */
function longArticles (count: number): object[] {
  return Array.from({ length: count }, (_, at) => ({
    id: `long-${at}`,
    title: `Путин провёл встречу с губернатором региона номер ${at + 1} и обсудил бюджет`,
    body: Array.from({ length: 12 }, (_, line) =>
      `Путин заявил, что новая программа важна. Президент Путин сказал о статье бюджета ${line}. ` +
      'Новая статья расходов обсуждалась долго, а Путин попросил подготовить новые статьи закона.').join('\n')
  }))
}

const BRIEF = { id: 'brief', title: 'Новая статья о Путине' }

describe('a brief whose headline is the query', () => {
  it('ranks first, above long articles repeating the words', async () => {
    const snapshot = await indexOfArticles([...longArticles(8), BRIEF])
    const { hits } = await search(snapshot, { q: 'Новая статья о Путине', limit: 3, offset: 0 })
    expect(hits[0]?.id).toBe('brief')
  })

  it('is what the title-coverage weight does: without it the long articles win', async () => {
    const snapshot = await indexOfArticles([...longArticles(8), BRIEF])
    const off = { ...defaultRanking, titleCoverage: { weight: 0 } }
    const { hits } = await search(snapshot, { q: 'Новая статья о Путине', limit: 3, offset: 0 }, off)
    expect(hits[0]?.id).not.toBe('brief')
  })
})

describe('titleCoverage', () => {
  it('is the share of the headline made of query words, for headlines holding every word', async () => {
    const snapshot = await indexOfArticles([
      { id: 'exact', title: 'Санкции против России' },
      { id: 'longer', title: 'Новые санкции против России обсудили в Брюсселе' },
      { id: 'partial', title: 'Санкции против Ирана' },
      { id: 'body-only', title: 'Заседание в Брюсселе', body: 'Санкции против России обсудили.' }
    ])
    const plan = planQuery('санкции против России', snapshot.analyzer, vocabularyOf(snapshot), defaultQueryOptions, defaultRanking.termWeights)
    const coverage = titleCoverage(snapshot.miniSearch, plan.words)
    const internals = internalsOf(snapshot.miniSearch)
    const shortIdOf = (id: string): number => internals?.idToShortId.get(id) as number
    expect(coverage.of(shortIdOf('exact'))).toBe(1)
    const longer = coverage.of(shortIdOf('longer'))
    expect(longer).toBeGreaterThan(0.3)
    expect(longer).toBeLessThan(1)
    expect(coverage.of(shortIdOf('partial'))).toBe(0)
    expect(coverage.of(shortIdOf('body-only'))).toBe(0)
    expect(coverage.size).toBe(2)
  })

  it('is counted afresh for each query: the headlines of the one before do not carry over', async () => {
    const snapshot = await indexOfArticles([
      { id: 'sanctions', title: 'Санкции против России' },
      { id: 'weather', title: 'Погода в Москве' },
      { id: 'both', title: 'Погода и санкции' }
    ])
    const internals = internalsOf(snapshot.miniSearch)
    const shortIdOf = (id: string): number => internals?.idToShortId.get(id) as number
    const coverageFor = (q: string) => titleCoverage(snapshot.miniSearch, planQuery(q, snapshot.analyzer, vocabularyOf(snapshot), defaultQueryOptions, defaultRanking.termWeights).words)
    expect(coverageFor('санкции').size).toBe(2)
    const weather = coverageFor('погода')
    expect(weather.of(shortIdOf('sanctions'))).toBe(0)
    expect(weather.size).toBe(2)
    expect(weather.of(shortIdOf('weather'))).toBeGreaterThan(0)
    const weatherInBoth = weather.of(shortIdOf('both'))
    expect(weatherInBoth).toBeGreaterThan(0)
    const both = coverageFor('погода санкции')
    expect(both.size).toBe(1)
    expect(both.of(shortIdOf('both'))).toBeGreaterThan(weatherInBoth)
    expect(both.of(shortIdOf('weather'))).toBe(0)
    expect(both.of(shortIdOf('sanctions'))).toBe(0)
  })

  it('is empty for a query scoped away from headlines or without words', async () => {
    const snapshot = await indexOfArticles([{ id: 'a', title: 'Санкции' }])
    expect(titleCoverage(snapshot.miniSearch, []).size).toBe(0)
  })
})
