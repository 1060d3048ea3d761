import { describe, expect, it } from 'vitest'
import { internalsOf } from '../../src/index/minisearch-internals.js'
import { planQuery } from '../../src/search/query-plan.js'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { search } from '../../src/search/search.js'
import { titleCoverage, titleCoveragePausing } from '../../src/search/title-coverage.js'
import MiniSearch from 'minisearch'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { toIndexedDocument } from '../../src/index/build-index.js'
import { miniSearchOptions, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { ITEMS_BETWEEN_PAUSES } from '../../src/index/time-slicer.js'
import type { PlannedWord } from '../../src/search/query-plan.js'
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

  it('stays a query\'s own while another query counts (a search pausing between its pieces of work)', async () => {
    const snapshot = await indexOfArticles([
      { id: 'sanctions', title: 'Санкции против России' },
      { id: 'weather', title: 'Погода в Москве' }
    ])
    const internals = internalsOf(snapshot.miniSearch)
    const shortIdOf = (id: string): number => internals?.idToShortId.get(id) as number
    const coverageFor = (q: string) => titleCoverage(snapshot.miniSearch, planQuery(q, snapshot.analyzer, vocabularyOf(snapshot), defaultQueryOptions, defaultRanking.termWeights).words)
    const sanctions = coverageFor('санкции')
    const weather = coverageFor('погода')
    expect(sanctions.of(shortIdOf('sanctions'))).toBeGreaterThan(0)
    expect(sanctions.byShortId?.[shortIdOf('sanctions')]).toBeGreaterThan(0)
    expect(sanctions.of(shortIdOf('weather'))).toBe(0)
    expect(weather.of(shortIdOf('weather'))).toBeGreaterThan(0)
    // Released, its arrays are lent to the next query, which counts afresh in them.
    sanctions.release()
    const again = coverageFor('погода')
    expect(again.byShortId).toBe(sanctions.byShortId)
    expect(again.of(shortIdOf('sanctions'))).toBe(0)
    expect(again.of(shortIdOf('weather'))).toBe(weather.of(shortIdOf('weather')))
    // A second release lends nothing: `again` still holds those arrays.
    sanctions.release()
    expect(coverageFor('санкции').byShortId).not.toBe(again.byShortId)
    expect(again.of(shortIdOf('weather'))).toBe(weather.of(shortIdOf('weather')))
  })

  it('pauses between pieces of a frequent word\'s headlines, and counts the same', async () => {
    const miniSearch = new MiniSearch<IndexedDocument>(miniSearchOptions(createDefaultAnalyzer()))
    const documents = ITEMS_BETWEEN_PAUSES + 5_000
    for (let at = 0; at < documents; at += 1) {
      miniSearch.add(toIndexedDocument({ id: `d${at}`, kind: 'headline', title: at % 2 === 0 ? 'Погода' : 'Погода в Москве', body: '', tags: [] }, { offset: at, length: 1 }))
    }
    const words: PlannedWord[] = [{ typed: 'погода', word: 'погода', terms: new Map([['погода', 1]]) }]
    let pauses = 0
    const paused = await titleCoveragePausing(miniSearch, words, async () => { pauses += 1 })
    const whole = [...paused.byShortId ?? []]
    paused.release()
    const atOnce = titleCoverage(miniSearch, words)
    // Once in each pass over them: the word's postings, the documents it touched, and their coverage.
    expect(pauses).toBe(3)
    expect(paused.size).toBe(documents)
    expect(whole).toEqual([...atOnce.byShortId ?? []])
  }, 30_000)

  it('is empty for a query scoped away from headlines or without words', async () => {
    const snapshot = await indexOfArticles([{ id: 'a', title: 'Санкции' }])
    expect(titleCoverage(snapshot.miniSearch, []).size).toBe(0)
  })
})
