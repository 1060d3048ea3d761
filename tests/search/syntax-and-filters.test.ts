import { describe, expect, it } from 'vitest'
import { search, type SearchRequest } from '../../src/search/search.js'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

const FEATURES_CORPUS = 'tests/fixtures/features'
const ids = (response: { hits: Array<{ id: string }> }): string[] => response.hits.map(hit => hit.id)
const request = (q: string, more: Partial<SearchRequest> = {}): SearchRequest => ({ q, limit: 100, offset: 0, ...more })

async function featuresIndex () {
  return (await buildFixtureIndex([FEATURES_CORPUS])).snapshot
}

describe('query syntax', () => {
  it('ranks documents holding every word above those holding only some, and says whether any does', async () => {
    const snapshot = await featuresIndex()
    // f-3 says «ставка» five times and scores high on that word alone; f-1, f-7, f-8 hold both words.
    const response = await search(snapshot, request('ключевая ставка ипотека'))
    expect(ids(response)[0]).toBe('f-3')
    const both = await search(snapshot, request('хоккей инфляция'))
    expect(both.allWordsMatched).toBe(false)
    expect(both.total).toBeGreaterThan(2)
    const all = await search(snapshot, request('ставка совет директоров'))
    expect(all.allWordsMatched).toBe(true)
    const allThree = new Set(['f-1', 'f-8'])
    expect(ids(all).slice(0, 2).every(id => allThree.has(id))).toBe(true)
    expect(ids(all).slice(0, 2).sort()).toEqual(['f-1', 'f-8'])
  })

  it('puts full matches first even when a partial match scores higher', async () => {
    const corpus = await tempDir()
    await writeFile(join(corpus, 'coordination.jsonl'), [
      { id: 'one-word', title: 'Ставка, ставка, ставка', body: 'Ставка снова ставка.' },
      { id: 'both-words', title: 'Обзор рынка', body: `${'Рынок жилья растет. '.repeat(20)}Ставка по ипотеке не изменилась.` },
      { id: 'other', title: 'Погода', body: 'Снег.' }
    ].map(record => JSON.stringify(record)).join('\n'))
    const { snapshot: small } = await buildFixtureIndex([corpus])
    const coordinated = await search(small, request('ставка ипотека'))
    expect(ids(coordinated)).toEqual(['both-words', 'one-word'])
    const uncoordinated = await search(small, request('ставка ипотека'), defaultRanking, { ...defaultQueryOptions, features: { ...defaultQueryOptions.features, coordination: false } })
    expect(ids(uncoordinated)).toEqual(['one-word', 'both-words'])

    const snapshot = await featuresIndex()
    const response = await search(snapshot, request('ставка мост'))
    // No document holds both: ranking is by score alone, and the page is not empty.
    expect(response.allWordsMatched).toBe(false)
    expect(response.total).toBeGreaterThan(3)
    const bank = await search(snapshot, request('ставка банк'))
    const firstPartial = bank.hits.findIndex(hit => !(hit.snippet + hit.titleHtml).match(/<mark>[Бб]анк/u))
    const lastFull = bank.hits.map(hit => /<mark>[Бб]анк/u.test(hit.snippet + hit.titleHtml) && /<mark>[Сс]тавк/u.test(hit.snippet + hit.titleHtml)).lastIndexOf(true)
    expect(lastFull).toBeLessThan(firstPartial === -1 ? Infinity : firstPartial)
    // Both kinds are there (f-7 speaks of the rate only), so the order above is a real check.
    expect(lastFull).toBeGreaterThanOrEqual(0)
    expect(ids(bank)[firstPartial]).toBe('f-7')
  })

  it('matches a quoted phrase only with the words in order', async () => {
    const snapshot = await featuresIndex()
    expect(ids(await search(snapshot, request('"совет директоров"'))).sort()).toEqual(['f-1', 'f-8'])
    expect(ids(await search(snapshot, request('"директоров совет"')))).toEqual([])
    // Unquoted, the same words also find documents holding them apart.
    expect((await search(snapshot, request('ключевую ставку'))).total).toBeGreaterThan((await search(snapshot, request('"ставку ключевую"'))).total)
  })

  it('excludes -words and scopes title: words to headlines', async () => {
    const snapshot = await featuresIndex()
    const withBank = ids(await search(snapshot, request('ставка')))
    const withoutBank = ids(await search(snapshot, request('ставка -банк')))
    expect(withBank).toContain('f-1')
    expect(withoutBank).not.toContain('f-1')
    expect(withoutBank).not.toContain('f-2')
    expect(withoutBank.length).toBeGreaterThan(0)
    expect(ids(await search(snapshot, request('title:ставка'))).sort()).toEqual(['f-1', 'f-3'])
    expect(ids(await search(snapshot, request('турнир'))).sort()).toEqual(['f-4', 'f-5'])
    expect(ids(await search(snapshot, request('title:москве')))).toEqual(['f-5'])
  })

  it('reads malformed syntax as plain words, never failing', async () => {
    const snapshot = await featuresIndex()
    const plain = ids(await search(snapshot, request('ставка'))).sort()
    expect(plain).toEqual(['f-1', 'f-2', 'f-3', 'f-7', 'f-8'])
    for (const q of ['"ключевая ставка', 'title:', '-', '--', '"""', 'ставка -', '«ставка', 'title:"', '-"ставка', ':ставка:', '""ставка""']) {
      const response = await search(snapshot, request(q))
      expect(response.total, q).toBeGreaterThanOrEqual(0)
      // What is left of a malformed query is its words: «ставка» where it holds it, else nothing.
      expect(ids(response).sort(), q).toEqual(q.includes('ставка') ? plain : [])
      expect(response.total, q).toBe(response.hits.length)
    }
    expect((await search(snapshot, request('"ключевая ставка'))).total).toBe((await search(snapshot, request('ключевая ставка'))).total)
  })
})

describe('filters, sorting, facets and recency', () => {
  it('filters by date range, tags (all of them) and source', async () => {
    const snapshot = await featuresIndex()
    const q = 'ставка банк инфляция турнир мост экономика'
    expect(ids(await search(snapshot, request(q, { from: '2025-05-01' }))).sort()).toEqual(['f-1', 'f-2', 'f-8'])
    expect(ids(await search(snapshot, request(q, { from: '2024-11-01', to: '2024-11-30' }))).sort()).toEqual(['f-3', 'f-6'])
    expect(ids(await search(snapshot, request(q, { to: '2025-02-03', from: '2025-02-03' })))).toEqual(['f-5'])
    expect(ids(await search(snapshot, request(q, { tag: ['экономика'] }))).sort()).toEqual(['f-1', 'f-2', 'f-3', 'f-7', 'f-8'])
    expect(ids(await search(snapshot, request(q, { tag: ['экономика', 'ЦБ'] })))).toEqual(['f-1'])
    expect(ids(await search(snapshot, request(q, { source: 'rt.com' }))).sort()).toEqual(['f-1', 'f-3', 'f-8'])
    expect(ids(await search(snapshot, request(q, { source: 'rt.com', tag: ['ипотека'], from: '2024-01-01' })))).toEqual(['f-3'])
  })

  it('sorts by date, newest first and undated last', async () => {
    const snapshot = await featuresIndex()
    const response = await search(snapshot, request('ставка', { sort: 'date' }))
    const dates = response.hits.map(hit => hit.date ?? '')
    expect(dates.at(-1)).toBe('')
    expect(dates.slice(0, -1)).toEqual([...dates.slice(0, -1)].sort().reverse())
  })

  it('counts the whole narrowed result set by tag, source and month', async () => {
    const snapshot = await featuresIndex()
    const response = await search(snapshot, request('ставка', { facets: true, limit: 1 }))
    expect(response.total).toBe(5)
    expect(response.facets?.tags).toEqual([
      { value: 'экономика', count: 5 },
      { value: 'ипотека', count: 1 },
      { value: 'политика', count: 1 },
      { value: 'цб', count: 1 }
    ])
    expect(response.facets?.sources).toEqual([{ value: 'rt.com', count: 3 }, { value: 'tass.ru', count: 2 }])
    expect(response.facets?.months).toEqual([{ value: '2025-06', count: 2 }, { value: '2025-05', count: 1 }, { value: '2024-11', count: 1 }])
    const narrowed = await search(snapshot, request('ставка', { facets: true, source: 'tass.ru' }))
    expect(narrowed.facets?.sources).toEqual([{ value: 'tass.ru', count: 2 }])
    expect((await search(snapshot, request('ставка'))).facets).toBeUndefined()
  })

  it('boosts newer articles only when asked', async () => {
    const snapshot = await featuresIndex()
    const plain = await search(snapshot, request('ставка'))
    const fresh = await search(snapshot, request('ставка', { recency: true }))
    expect(fresh.total).toBe(plain.total)
    const scoreOf = (response: typeof plain, id: string): number => response.hits.find(hit => hit.id === id)?.score ?? Number.NaN
    // f-3 (2024-11) leads on term frequency; with recency the June 2025 article gains on it.
    expect(scoreOf(fresh, 'f-8') / scoreOf(fresh, 'f-3')).toBeGreaterThan(1.2 * scoreOf(plain, 'f-8') / scoreOf(plain, 'f-3'))
    expect(ids(plain)).toEqual([...ids(plain)].sort((a, b) => scoreOf(plain, b) - scoreOf(plain, a)))
  })
})
