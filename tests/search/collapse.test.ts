import { describe, expect, it, onTestFinished } from 'vitest'
import { IndexStore } from '../../src/live/index-store.js'
import { expectInternals } from '../../src/index/minisearch-internals.js'
import { collapsedPage, collapsedPagePausing, groupsByShortId, prepareGroups, type CollapsedPage } from '../../src/search/collapse.js'
import { DuplicateIndex } from '../../src/index/duplicate-index.js'
import { prepareSearching } from '../../src/search/prepare-searching.js'
import { rankAll, search, type SearchRequest } from '../../src/search/search.js'
import { buildApp } from '../../src/server/app.js'
import { newsText, withParagraphsReordered, withWordsReplaced } from '../fixtures/near-duplicate-texts.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

const gas = newsText(101)
const grain = newsText(102)
// Every headline holds «газ»: one query finds every document.
const ARTICLES = [
  { id: 'd-1', title: 'Газ: переговоры о поставках', body: gas, date: '2025-03-01', source: 'rt.com', tags: [] },
  { id: 'd-2', title: 'Газ подорожает, говорят в правительстве', body: gas, date: '2025-03-02', source: 'copy.example', tags: [] },
  { id: 'd-3', title: 'Газ: переговоры о поставках продолжатся', body: withWordsReplaced(gas, 0.05), date: '2025-03-03', tags: [] },
  { id: 'd-4', title: 'Газ и зерно', body: grain, date: '2025-03-04', tags: [] },
  { id: 'd-5', title: 'Газ и уголь', body: newsText(103), date: '2025-03-05', tags: [] },
  { id: 'd-6', title: 'Зерно и газ', body: withParagraphsReordered(grain), date: '2025-03-06', tags: [] }
]

const request = (more: Partial<SearchRequest> = {}): SearchRequest => ({ q: 'газ', limit: 10, offset: 0, ...more })

describe('collapsing near-duplicates in search', () => {
  it('shows each group once, as its best-ranked copy, saying how many copies matched and which', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const response = await search(snapshot, request())
    expect(response.total).toBe(6)
    expect(response.totalGroups).toBe(3)
    expect(response.hits).toHaveLength(3)
    const all = await search(snapshot, request({ collapse: false }))
    const firstOf = (ids: string[]): string => all.hits.find(hit => ids.includes(hit.id))?.id as string
    // The best-ranked member of each group stands for it.
    expect(response.hits.map(hit => hit.id)).toEqual([firstOf(['d-1', 'd-2', 'd-3']), firstOf(['d-4', 'd-6']), 'd-5'].sort((a, b) => all.hits.findIndex(hit => hit.id === a) - all.hits.findIndex(hit => hit.id === b)))
    const gasHit = response.hits.find(hit => ['d-1', 'd-2', 'd-3'].includes(hit.id))
    expect(gasHit?.duplicates).toEqual({ count: 2, ids: ['d-1', 'd-2', 'd-3'].filter(id => id !== gasHit?.id) })
    const grainHit = response.hits.find(hit => ['d-4', 'd-6'].includes(hit.id))
    expect(grainHit?.duplicates?.count).toBe(1)
    expect(response.hits.find(hit => hit.id === 'd-5')?.duplicates).toBeUndefined()
  })

  it('lists every copy with collapse=false', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const response = await search(snapshot, request({ collapse: false }))
    expect(response.hits.map(hit => hit.id).sort()).toEqual(['d-1', 'd-2', 'd-3', 'd-4', 'd-5', 'd-6'])
    expect(response.hits.some(hit => hit.duplicates !== undefined)).toBe(false)
    expect(response.totalGroups).toBeUndefined()
  })

  it('pages through groups: page 2 goes on after page 1\'s last group', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const whole = (await search(snapshot, request())).hits.map(hit => hit.id)
    const pages = []
    for (let offset = 0; offset < 4; offset += 1) pages.push((await search(snapshot, request({ limit: 1, offset }))).hits.map(hit => hit.id))
    expect(pages).toEqual([[whole[0]], [whole[1]], [whole[2]], []])
    expect((await search(snapshot, request({ limit: 2, offset: 2 }))).hits.map(hit => hit.id)).toEqual([whole[2]])
  })

  it('counts only the copies the query and its filters kept', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const response = await search(snapshot, request({ to: '2025-03-02' }))
    expect(response.total).toBe(2)
    expect(response.totalGroups).toBe(1)
    expect(response.hits).toHaveLength(1)
    expect(response.hits[0]?.duplicates).toEqual({ count: 1, ids: [response.hits[0]?.id === 'd-1' ? 'd-2' : 'd-1'] })
  })

  it('answers GET /search with duplicates and totalGroups, and every copy with collapse=false', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const app = await buildApp({ store: new IndexStore(snapshot) })
    onTestFinished(async () => await app.close())
    const collapsed = (await app.inject({ url: `/search?q=${encodeURIComponent('газ')}` })).json()
    expect(collapsed).toMatchObject({ total: 6, totalGroups: 3 })
    expect(collapsed.hits.find((hit: { duplicates?: { count: number } }) => hit.duplicates?.count === 2)).toBeDefined()
    const every = await app.inject({ url: `/search?q=${encodeURIComponent('газ')}&collapse=false` })
    expect(every.statusCode).toBe(200)
    expect(every.json().hits).toHaveLength(6)
    const bad = await app.inject({ url: `/search?q=${encodeURIComponent('газ')}&collapse=maybe` })
    expect(bad.statusCode).toBe(400)
  })
})

describe('collapsing against the plain ranking', () => {
  it('pages through groups exactly as walking the uncollapsed ranking and keeping each group\'s first member', async () => {
    // 12 originals, each with 0 to 4 copies; every body holds «нефть» a varying number of times, so ranks interleave.
    const articles = []
    for (let original = 0; original < 12; original += 1) {
      const body = `${'нефть '.repeat(1 + original % 5)}${newsText(300 + original)}`
      articles.push({ id: `o-${original}`, title: `Сводка ${original}`, body, tags: [] })
      for (let copy = 0; copy < original % 5; copy += 1) {
        articles.push({ id: `o-${original}-c${copy}`, title: `Копия ${original}.${copy}`, body: `${'нефть '.repeat(copy)}${withWordsReplaced(body, 0.03, copy + 1)}`, tags: [] })
      }
    }
    const snapshot = await indexOfArticles(articles)
    const ranking = (await search(snapshot, { q: 'нефть', limit: 1000, offset: 0, collapse: false })).hits.map(hit => hit.id)
    expect(ranking).toHaveLength(articles.length)
    const seen = new Set<readonly string[]>()
    const expected: string[] = []
    for (const id of ranking) {
      const group = snapshot.duplicates.membersOf(id)
      if (group !== undefined && seen.has(group)) continue
      if (group !== undefined) seen.add(group)
      expected.push(id)
    }
    expect(seen.size).toBeGreaterThan(3) // the copies were grouped
    const whole = await search(snapshot, { q: 'нефть', limit: 1000, offset: 0 })
    expect(whole.hits.map(hit => hit.id)).toEqual(expected)
    expect(whole.totalGroups).toBe(expected.length)
    for (let offset = 0; offset < expected.length; offset += 3) {
      const page = await search(snapshot, { q: 'нефть', limit: 3, offset })
      expect(page.hits.map(hit => hit.id)).toEqual(expected.slice(offset, offset + 3))
    }
  })
})

describe('collapsedPagePausing', () => {
  it('gives collapsedPage\'s page, for every page', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const shortIds = expectInternals(snapshot.miniSearch).idToShortId
    const { results } = await rankAll(snapshot, request())
    const shown = (page: CollapsedPage): unknown => ({ totalGroups: page.totalGroups, hits: page.hits.map(({ found, duplicates }) => [found.id, found.score, duplicates]) })
    for (const offset of [0, 1, 2]) {
      const atOnce = collapsedPage(results, snapshot.duplicates, offset, 2, shortIds)
      expect(atOnce.hits.length).toBeGreaterThan(0)
      expect(shown(await collapsedPagePausing(results, snapshot.duplicates, offset, 2, shortIds, async () => {}))).toEqual(shown(atOnce))
      // Without the index's short ids, groups are found by id: the same page.
      expect(shown(collapsedPage(results, snapshot.duplicates, offset, 2))).toEqual(shown(atOnce))
    }
  })
})

describe('the groups by short id', () => {
  it('are made ahead by prepareSearching (with the length columns) and then only read: a search after it pauses no more for them', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const shortIds = expectInternals(snapshot.miniSearch).idToShortId
    let pauses = 0
    await prepareSearching(snapshot, { pause: async () => { pauses += 1 } })
    expect(pauses).toBeGreaterThanOrEqual(1) // after the length columns' arrays are made
    const groups = groupsByShortId(snapshot.duplicates, shortIds)
    const grouped = groups.flatMap((members, shortId) => members === undefined ? [] : [[shortId, members]])
    expect(grouped).toHaveLength(5) // d-1, d-2, d-3 and d-4, d-6
    expect(groupsByShortId(snapshot.duplicates, shortIds)).toBe(groups)
    const paused: number[] = []
    for (const prepared of [false, true]) {
      const fresh = prepared ? snapshot : await indexOfArticles(ARTICLES)
      let count = 0
      const response = await search(fresh, request(), undefined, undefined, { pause: async () => { count += 1 } })
      expect(response.totalGroups).toBe(3)
      paused.push(count)
    }
    expect(paused[1]).toBeLessThan(paused[0] as number)
  })

  it('grow their slots in pieces: a group far into a large archive is not one long stretch of work', async () => {
    const documents = 300_000
    const shortIds = new Map(Array.from({ length: documents }, (_, shortId) => [`d-${shortId}`, shortId]))
    const duplicates = DuplicateIndex.of([], [['d-299998', 'd-299999']])
    let pauses = 0
    await prepareGroups(duplicates, shortIds, async () => { pauses += 1 })
    expect(pauses).toBeGreaterThanOrEqual(documents / 65_536)
    const groups = groupsByShortId(duplicates, shortIds)
    expect(groups).toHaveLength(documents)
    expect(groups[299_999]).toEqual(['d-299998', 'd-299999'])
    expect(groups[0]).toBeUndefined()
  })
})

