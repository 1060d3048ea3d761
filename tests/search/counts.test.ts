/**
 * `totalAllWords` and the facets' set: how many results hold every query word (a word held
 * through any of its readings), and facets counted over those rather than every partial match.
 */
import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/index/open-index.js'
import { search, type SearchRequest } from '../../src/search/search.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

// «стали» has two readings (сталь, стать): «сталь» holds one, «станут» the other.
const CORPUS = [
  { id: 'all-1', title: 'Санкции против России продлены', body: 'Евросоюз продлил санкции против России еще на полгода.', tags: ['политика'], source: 'rt' },
  { id: 'all-2', title: 'Новые санкции против России', body: 'Санкции против России затронут банки.', tags: ['политика', 'экономика'], source: 'tass' },
  { id: 'against-1', title: 'Матч против сборной Бразилии', body: 'Команда сыграет против сильного соперника.', tags: ['спорт'], source: 'rt' },
  { id: 'against-2', title: 'Игра против лидера', body: 'Футболисты вышли против лидера чемпионата.', tags: ['спорт', 'футбол'], source: 'rt' },
  { id: 'russia-1', title: 'Россия на чемпионате мира', body: 'Сборная России выступит в финале.', tags: ['спорт'], source: 'rt' },
  { id: 'sanctions-1', title: 'Санкции ЕС', body: 'Новые санкции обсудят в Брюсселе.', tags: ['экономика'], source: 'tass' },
  { id: 'steel-1', title: 'Сталь подорожала', body: 'Из-за санкций сталь подорожала на треть.', tags: ['металлы'], source: 'tass' },
  { id: 'become-1', title: 'Цены станут выше', body: 'Аналитики говорят, что из-за санкций цены станут выше.', tags: ['экономика'], source: 'rt' },
  { id: 'both-readings', title: 'Сталь и цены', body: 'Цены на сталь станут выше.', tags: ['металлы'], source: 'rt' },
  { id: 'hockey', title: 'Хоккей', body: 'Хоккеисты выиграли матч.', tags: ['спорт'], source: 'rt' },
  { id: 'weather', title: 'Погода в Москве', body: 'Снег и ветер.', tags: ['погода'], source: 'rt' }
]

const request = (q: string, more: Partial<SearchRequest> = {}): SearchRequest => ({ q, limit: 100, offset: 0, ...more })

const countsIndex = async (): Promise<Snapshot> => await indexOfArticles(CORPUS)

describe('totalAllWords', () => {
  it('equals total for one word, and counts only full matches for two and three words', async () => {
    const snapshot = await countsIndex()
    const one = await search(snapshot, request('санкции'))
    expect([one.total, one.totalAllWords]).toEqual([5, 5])
    const two = await search(snapshot, request('санкции России'))
    // all-1, all-2 hold both; russia-1 and the other sanctions articles one of them.
    expect([two.total, two.totalAllWords]).toEqual([6, 2])
    const three = await search(snapshot, request('санкции против России'))
    expect([three.total, three.totalAllWords]).toEqual([8, 2])
    expect(three.allWordsMatched).toBe(true)
  })

  it('counts a word held through either of its readings once', async () => {
    const snapshot = await countsIndex()
    // steel-1 holds «сталь», become-1 «стать»: both hold «стали»; both-readings holds both readings of
    // that one word and no «санкции», so it is a partial match, not a two-word one.
    const response = await search(snapshot, request('стали санкции'))
    expect(response.total).toBe(6)
    expect(response.totalAllWords).toBe(2)
    const ids = response.hits.slice(0, 2).map(hit => hit.id).sort()
    expect(ids).toEqual(['become-1', 'steel-1'])
    const alone = await search(snapshot, request('стали'))
    expect([alone.total, alone.totalAllWords]).toEqual([3, 3])
  })

  it('counts within the filters', async () => {
    const snapshot = await countsIndex()
    const economy = await search(snapshot, request('санкции против России', { tag: ['экономика'] }))
    expect([economy.total, economy.totalAllWords]).toEqual([3, 1])
    const tass = await search(snapshot, request('санкции против России', { source: 'tass' }))
    expect([tass.total, tass.totalAllWords]).toEqual([3, 1])
    const excluded = await search(snapshot, request('санкции против России -банки'))
    expect([excluded.total, excluded.totalAllWords]).toEqual([7, 1])
  })

  it('is zero when no result holds every word, total still counting partial matches', async () => {
    const snapshot = await countsIndex()
    const response = await search(snapshot, request('хоккей санкции'))
    expect(response.allWordsMatched).toBe(false)
    expect([response.total, response.totalAllWords]).toEqual([6, 0])
  })
})

describe('facets over the all-words set', () => {
  it('counts facets over the results holding every word, and says so', async () => {
    const snapshot = await countsIndex()
    const response = await search(snapshot, request('санкции против России', { facets: true }))
    expect(response.total).toBe(8)
    expect(response.facetsOver).toBe('allWords')
    expect(response.facets?.tags).toEqual([{ value: 'политика', count: 2 }, { value: 'экономика', count: 1 }])
    expect(response.facets?.sources).toEqual([{ value: 'rt', count: 1 }, { value: 'tass', count: 1 }])
  })

  it('counts facets over every match when none holds every word', async () => {
    const snapshot = await countsIndex()
    const response = await search(snapshot, request('хоккей санкции', { facets: true }))
    expect(response.facetsOver).toBe('all')
    expect(response.facets?.tags).toEqual([
      { value: 'экономика', count: 3 }, { value: 'политика', count: 2 }, { value: 'металлы', count: 1 }, { value: 'спорт', count: 1 }
    ])
  })

  it('leaves facets and facetsOver out unless asked', async () => {
    const snapshot = await countsIndex()
    const response = await search(snapshot, request('санкции против России'))
    expect(response.facets).toBeUndefined()
    expect(response.facetsOver).toBeUndefined()
    expect(response.totalAllWords).toBe(2)
  })
})
