/**
 * A short query's page from the documents holding every word alone (search.ts's
 * pageOfAllWords): the same response as ranking every match, with the totals, groups and
 * duplicates counted over every match.
 */
import { describe, expect, it } from 'vitest'
import { search, type RankedMatches, type SearchRequest, type SearchResponse } from '../../src/search/search.js'
import type { Snapshot } from '../../src/index/open-index.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { newsText, withParagraphsReordered, withWordsReplaced } from '../fixtures/near-duplicate-texts.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

const kamchatka = `${newsText(301)} Вулкан выбросил пепел.`
const iceland = newsText(302)
// «вулкан» and «извержение» are not in newsText's vocabulary: only these sentences and headlines hold them.
const ARTICLES = [
  // A group whose copy holds one word only: it is counted (total, duplicates) though never scored.
  { id: 'a-1', title: 'Вулкан проснулся: извержение на Камчатке', body: kamchatka, date: '2025-04-01', source: 'rt.com', tags: ['камчатка'] },
  { id: 'a-2', title: 'Вулкан проснулся на Камчатке', body: withWordsReplaced(kamchatka, 0.03), date: '2025-04-02', source: 'copy.example', tags: ['камчатка'] },
  { id: 'b-1', title: 'Извержение вулкана в Исландии', body: iceland, date: '2025-03-01', source: 'rt.com', tags: ['исландия'] },
  { id: 'b-2', title: 'Извержение вулкана в Исландии продолжается', body: withParagraphsReordered(iceland), date: '2025-03-02', tags: ['исландия'] },
  { id: 'c-1', title: 'Вулкан', body: `${newsText(303)} Учёные ждут извержение.`, date: '2025-02-01', source: 'rt.com', tags: [] },
  { id: 'd-1', title: 'Извержение', body: newsText(304), date: '2025-02-02', tags: [] },
  { id: 'e-1', title: 'Вулкан и люди', body: newsText(305), date: '2025-02-03', tags: [] },
  ...[306, 307, 308, 309].map((seed, at) => ({ id: `f-${at + 1}`, title: `Вулкан: новое извержение ${at + 1}`, body: `${newsText(seed)} Извержение вулкана.`, date: `2025-01-0${at + 1}`, tags: at % 2 === 0 ? ['камчатка'] : [] })),
  { id: 'g-1', title: 'Извержение вулкана', body: `${newsText(310)} Вулкан, вулкан, вулкан и извержение.`, date: '2025-01-09', source: 'rt.com', tags: [] }
]

interface Answered { response: SearchResponse, ranked: RankedMatches | undefined }

async function answer (snapshot: Snapshot, request: SearchRequest, exhaustive: boolean): Promise<Answered> {
  let ranked: RankedMatches | undefined
  const response = await search(snapshot, request, defaultRanking, defaultQueryOptions, { exhaustive, onRanking: how => { ranked = how } })
  return { response: { ...response, tookMs: 0 }, ranked }
}

const QUERIES = ['вулкан извержение', 'извержение вулкана', 'вулкан извержение -исландии', 'title:вулкан извержение', 'вулкан извержение камчатка', 'извержение вулкан пепел']

describe('the page of a short query from the documents holding every word', () => {
  it('is the page ranking every match gives, with every match counted: totals, groups and duplicates', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const used = new Set<RankedMatches | undefined>()
    for (const q of QUERIES) {
      for (const more of [{}, { collapse: false }, { tag: ['камчатка'] }, { source: 'rt.com' }, { from: '2025-02-01' }, { facets: true }]) {
        for (const [offset, limit] of [[0, 10], [0, 1], [1, 1], [2, 2], [0, 3], [3, 3], [6, 2]] as const) {
          const request: SearchRequest = { q, offset, limit, ...more }
          const pruned = await answer(snapshot, request, false)
          const exhaustive = await answer(snapshot, request, true)
          expect(exhaustive.ranked).toBe('all')
          expect(pruned.response, `${JSON.stringify(request)} (ranked ${String(pruned.ranked)})`).toEqual(exhaustive.response)
          used.add(pruned.ranked)
        }
      }
    }
    expect(used).toEqual(new Set(['allWords', 'all']))
  })

  it('counts what only some words match: the copy holding one word is a hidden duplicate, and total counts it', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const { response, ranked } = await answer(snapshot, { q: 'вулкан извержение', offset: 0, limit: 1 }, false)
    expect(ranked).toBe('allWords')
    expect(response.total).toBe(ARTICLES.length)
    expect(response.totalAllWords).toBe(ARTICLES.length - 3) // not a-2, d-1, e-1
    expect(response.totalGroups).toBe(ARTICLES.length - 2) // a-2 and b-2 shown under a-1 and b-1
    const kamchatkaPage = await answer(snapshot, { q: 'вулкан извержение', offset: 0, limit: 1, source: 'rt.com', tag: ['камчатка'] }, false)
    expect(kamchatkaPage.response.hits.map(hit => hit.id)).toEqual(['a-1'])
    // a-2 (source copy.example) is filtered out: not a duplicate that matched.
    expect(kamchatkaPage.response.hits[0]?.duplicates).toBeUndefined()
    const everySource = await answer(snapshot, { q: 'вулкан извержение камчатка', offset: 0, limit: 1 }, false)
    expect(everySource.ranked).toBe('allWords')
    expect(everySource.response.hits[0]).toMatchObject({ id: 'a-1', duplicates: { count: 1, ids: ['a-2'] } })
  })

  it('is not used where the documents holding every word cannot fill the page, nor for one word, phrases, dates or recency', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const rankedFor = async (more: Partial<SearchRequest>): Promise<RankedMatches | undefined> => (await answer(snapshot, { q: 'вулкан извержение', offset: 0, limit: 3, ...more }, false)).ranked
    expect(await rankedFor({})).toBe('allWords')
    expect(await rankedFor({ offset: 8 })).toBe('all')
    expect(await rankedFor({ q: 'вулкан' })).toBe('all')
    expect(await rankedFor({ q: '"извержение вулкана" камчатка' })).toBe('all')
    expect(await rankedFor({ sort: 'date' })).toBe('all')
    expect(await rankedFor({ recency: true })).toBe('all')
  })
})
