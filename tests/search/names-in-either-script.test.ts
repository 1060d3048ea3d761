import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/index/open-index.js'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { planQuery } from '../../src/search/query-plan.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { search } from '../../src/search/search.js'
import { vocabularyOf } from '../../src/search/vocabulary.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

// The corpus writes the name in Cyrillic (4 documents) and once in Latin, in a link: the same name.
// «most» is in Latin as often as «мост» in Cyrillic: another word, not a spelling of it.
const ARTICLES = [
  { id: 'c1', title: 'Трамп подписал указ', body: 'Президент Трамп подписал указ о пошлинах.' },
  { id: 'c2', title: 'Трамп встретился с журналистами', body: 'Трамп ответил на вопросы.' },
  { id: 'c3', title: 'Выборы в США', body: 'Сторонники Трампа вышли на улицы.' },
  { id: 'c4', title: 'Пошлины', body: 'Трампу предложили отменить пошлины.' },
  { id: 'l1', title: 'Заявление в соцсети', body: 'Запись опубликована на странице Trump в соцсети.' },
  { id: 'm1', title: 'Ремонт моста', body: 'Мост через реку закрыли на ремонт.' },
  { id: 'm2', title: 'Цитата', body: 'He said it was the most important deal.' }
]

const fixture = async (): Promise<Snapshot> => await indexOfArticles(ARTICLES)

const byId = (hits: Array<{ id: string, score: number }>) => hits.map(hit => [hit.id, hit.score.toFixed(9)]).sort()

describe('names in either script', () => {
  it('«Trump» and «Трамп» answer the same documents with the same scores', async () => {
    const snapshot = await fixture()
    const latin = await search(snapshot, { q: 'Trump', limit: 10, offset: 0 })
    const cyrillic = await search(snapshot, { q: 'Трамп', limit: 10, offset: 0 })
    expect(latin.total).toBe(5)
    expect(byId(latin.hits)).toEqual(byId(cyrillic.hits))
    expect(latin.corrections).toContainEqual({ from: 'Trump', to: 'трамп', kind: 'transliteration' })
  })

  it('searches a name\'s other spelling at full weight, another word\'s at the transliteration weight', async () => {
    const snapshot = await fixture()
    const plan = (q: string) => planQuery(q, snapshot.analyzer, vocabularyOf(snapshot), defaultQueryOptions).words[0]?.terms
    expect(plan('Trump')).toEqual(new Map([['trump', 1], ['трамп', 1]]))
    expect(plan('Трамп')).toEqual(new Map([['трамп', 1], ['trump', 1]]))
    expect(plan('most')?.get('мост')).toBe(defaultRanking.termWeights.transliteration)
    // A Cyrillic word found as typed takes no Latin reading that is not its name.
    expect(plan('мост')).toEqual(new Map([['мост', 1]]))
  })
})

describe('a Cyrillic word\'s Latin spelling', () => {
  it('is not taken from a transliteration the index holds by chance (a link\'s slug)', async () => {
    // «против» in 60 articles, «protiv» once, in a link: 1/60 of the word, not its other spelling.
    const articles = [
      ...Array.from({ length: 60 }, (_, at) => ({ id: `p-${at}`, title: `Голосование номер ${at}`, body: 'Депутаты выступили против законопроекта.' })),
      { id: 'slug', title: 'Ссылка', body: 'Подробнее: example.ru/golosovanie-protiv-zakona' }
    ]
    const snapshot = await indexOfArticles(articles)
    const plan = planQuery('против законопроекта', snapshot.analyzer, vocabularyOf(snapshot), defaultQueryOptions, defaultRanking.termWeights)
    expect(plan.words[0]?.terms.has('protiv')).toBe(false)
    expect(plan.corrections).toEqual([])
  })
})
