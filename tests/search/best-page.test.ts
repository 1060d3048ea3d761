/**
 * The page of a query ordered by score alone (one word, or a long query) from the matches whose
 * score bound reaches it (search.ts's pageOfBest): the same response as ranking every match, on
 * an index of a few thousand articles where such queries match more than a thousand, with
 * near-duplicate copies, filters, exclusions, pages further on, and after live changes.
 */
import { describe, expect, it } from 'vitest'
import { articleFromRecord } from '../../src/corpus/article.js'
import type { Snapshot } from '../../src/index/open-index.js'
import { applyChange } from '../../src/live/apply-change.js'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { search, type RankedMatches, type SearchRequest, type SearchResponse } from '../../src/search/search.js'
import { randomOf } from '../fixtures/near-duplicate-texts.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

/** Words most articles hold, some many times: the broad words whose matches pruning is for. */
const COMMON = ['Россия', 'заявил', 'президент', 'году', 'сообщил', 'власти']
const TOPICS = [
  ['санкции', 'против', 'Европа', 'газ', 'поставки', 'нефть', 'цены', 'выросли'],
  ['выборы', 'губернатора', 'суд', 'арестовал', 'бюджет', 'регионов', 'реформа'],
  ['банк', 'ставку', 'снизил', 'пенсии', 'зарплаты', 'учителя', 'школы'],
  ['футбол', 'чемпионат', 'сборная', 'победила', 'погода', 'морозы', 'Москва'],
  ['Украина', 'армия', 'ракеты', 'спутник', 'запуск', 'Кремль', 'переговоры']
]
const ARTICLES = 2400
/** Pruning as a large archive's broad queries get it (search.ts's PRUNED_FROM_MATCHES), from a thousand matches here. */
const PRUNE_FROM = 1000

function articles (seed: number, count: number, idPrefix = 'a'): object[] {
  const next = randomOf(seed)
  const list: object[] = []
  for (let at = 0; at < count; at += 1) {
    const topicAt = Math.floor(next() * TOPICS.length)
    const topic = TOPICS[topicAt] as string[]
    const pick = (words: readonly string[]): string => words[Math.floor(next() * words.length)] as string
    const words = (length: number): string => Array.from({ length }, () => next() < 0.35 ? pick(COMMON) : pick(topic)).join(' ')
    const article = { id: `${idPrefix}${at}`, title: words(2 + Math.floor(next() * 6)), body: `${words(8 + Math.floor(next() * 120))}.`, date: `2026-0${1 + Math.floor(next() * 6)}-1${Math.floor(next() * 9)}`, tags: [`тема-${topicAt}`], source: next() < 0.5 ? 'rt.com' : 'ria.ru' }
    list.push(article)
    // Every tenth has a near-copy elsewhere (a syndicated article): a group collapsing shows once.
    if (at % 10 === 0) list.push({ ...article, id: `${article.id}-copy`, source: 'copy.example' })
  }
  return list
}

const QUERIES = ['Россия', 'заявил', 'президент России', 'власти сообщили', 'санкции против России нефть газ', 'президент заявил о выборах губернатора',
  'Россия -нефть', 'title:президент Россия сообщил власти', 'Россия OR Москва', 'чемпионат по футболу сборная России победила', 'Россия президент заявил году сообщил власти']
const MORE: Array<Partial<SearchRequest>> = [{}, { offset: 10 }, { offset: 3, limit: 4 }, { collapse: false }, { tag: ['тема-0'] }, { source: 'rt.com', from: '2026-03-01' }]

async function compare (snapshot: Snapshot): Promise<Map<RankedMatches, number>> {
  const used = new Map<RankedMatches, number>()
  for (const q of QUERIES) {
    for (const more of MORE) {
      const request: SearchRequest = { q, limit: 10, offset: 0, ...more }
      let ranked: RankedMatches = 'all'
      const pruned = await search(snapshot, request, defaultRanking, defaultQueryOptions, { onRanking: how => { ranked = how }, pruneFrom: PRUNE_FROM })
      const exhaustive = await search(snapshot, request, defaultRanking, defaultQueryOptions, { exhaustive: true })
      expect(withoutTime(pruned), `${JSON.stringify(request)} (ranked ${ranked})`).toEqual(withoutTime(exhaustive))
      used.set(ranked, (used.get(ranked) ?? 0) + 1)
    }
  }
  return used
}

const withoutTime = (response: SearchResponse): SearchResponse => ({ ...response, tookMs: 0 })

describe('the page from the matches that can reach it', () => {
  it('is the page ranking every match gives, with every count, group and duplicate', { timeout: 120_000 }, async () => {
    const snapshot = await indexOfArticles(articles(5, ARTICLES))
    const used = await compare(snapshot)
    // Every one-word and long query here matches more than a thousand articles: most are ranked from their best.
    expect(used.get('best') ?? 0).toBeGreaterThan(30)
  })

  it('is still that page after live changes: replaced, deleted and added articles', { timeout: 120_000 }, async () => {
    const snapshot = await indexOfArticles(articles(6, ARTICLES))
    const next = randomOf(9)
    const added = articles(10, 300, 'new')
    for (let change = 0; change < 400; change += 1) {
      const roll = next()
      const id = `a${Math.floor(next() * ARTICLES)}`
      if (roll < 0.4) applyChange(snapshot, { op: 'delete', id, seq: change + 1, at: '' })
      else applyChange(snapshot, { op: 'put', id: roll < 0.7 ? id : `new${change}`, article: articleFromRecord({ ...(added[change % added.length] as object), id: roll < 0.7 ? id : `new${change}` } as never), seq: change + 1, at: '' })
    }
    expect(snapshot.miniSearch.dirtCount).toBeGreaterThan(0)
    const used = await compare(snapshot)
    expect(used.get('best') ?? 0).toBeGreaterThan(30)
  })

  it('is not used for a phrase, a date order, a recency bonus, facets, or a query that matches few', async () => {
    const snapshot = await indexOfArticles(articles(5, ARTICLES))
    const rankedFor = async (request: Partial<SearchRequest>): Promise<RankedMatches> => {
      let ranked: RankedMatches = 'all'
      await search(snapshot, { q: 'Россия', limit: 10, offset: 0, ...request }, defaultRanking, defaultQueryOptions, { onRanking: how => { ranked = how }, pruneFrom: PRUNE_FROM })
      return ranked
    }
    expect(await rankedFor({})).toBe('best')
    // Without the lowered threshold: below PRUNED_FROM_MATCHES bounding would cost more than ranking every match.
    let byDefault: RankedMatches = 'all'
    await search(snapshot, { q: 'Россия', limit: 10, offset: 0 }, defaultRanking, defaultQueryOptions, { onRanking: how => { byDefault = how } })
    expect(byDefault).toBe('all')
    expect(await rankedFor({ q: '"президент России" заявил сообщил власти' })).toBe('all')
    expect(await rankedFor({ sort: 'date' })).toBe('all')
    expect(await rankedFor({ recency: true })).toBe('all')
    expect(await rankedFor({ facets: true })).toBe('all')
    expect(await rankedFor({ q: 'Россия', tag: ['тема-3'], source: 'ria.ru', from: '2026-06-01' })).toBe('all')
  })
})
