import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/index/open-index.js'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { planQuery } from '../../src/search/query-plan.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { search } from '../../src/search/search.js'
import { vocabularyOf } from '../../src/search/vocabulary.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

// The corpus writes the name in Cyrillic (4 documents) and once in Latin, in a post quoted beside it: the same name.
// «most» is in Latin as often as «мост» in Cyrillic: another word, not a spelling of it.
const ARTICLES = [
  { id: 'c1', title: 'Трамп подписал указ', body: 'Президент Трамп подписал указ о пошлинах.' },
  { id: 'c2', title: 'Трамп встретился с журналистами', body: 'Трамп ответил на вопросы.' },
  { id: 'c3', title: 'Выборы в США', body: 'Сторонники Трампа вышли на улицы.' },
  { id: 'c4', title: 'Пошлины', body: 'Трампу предложили отменить пошлины.' },
  { id: 'l1', title: 'Заявление в соцсети', body: 'Трамп опубликовал запись на странице Trump в соцсети.' },
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

describe('a Latin word that never stands beside the Cyrillic one', () => {
  // «Маск» in seven articles, one naming him «Musk» too; «mask» twice, in English quotes about masks.
  const articles = [
    { id: 'musk-1', title: 'Маск представил ракету', body: 'Илон Маск показал ракету. В Twitter Elon Musk написал об этом.' },
    { id: 'musk-2', title: 'Маск и Tesla', body: 'Компания Маска выпустила отчёт.' },
    { id: 'musk-3', title: 'Заявление Маска', body: 'Маск ответил критикам.' },
    { id: 'musk-4', title: 'Маск о роботах', body: 'Маск призвал запретить боевых роботов.' },
    { id: 'musk-5', title: 'Маск о Марсе', body: 'Маск рассказал о полёте на Марс.' },
    { id: 'musk-6', title: 'Новый проект Маска', body: 'Маск основал ещё одну компанию.' },
    { id: 'musk-7', title: 'Маск и туннели', body: 'Маск построил туннель.' },
    { id: 'mask-1', title: 'Хоккей', body: 'Today he tried on Jake\'s mask in the locker room.' },
    { id: 'mask-2', title: 'Кино', body: 'The Mask ft. Ronaldo: пользователи сравнили бюст с героем фильма.' }
  ]

  it('is not a name\'s other spelling: «Маск» does not find «mask», and «mask» does not take «Маск» at full weight', async () => {
    const snapshot = await indexOfArticles(articles)
    const terms = (q: string) => planQuery(q, snapshot.analyzer, vocabularyOf(snapshot), defaultQueryOptions, defaultRanking.termWeights).words[0]?.terms
    expect(terms('Маск')?.has('mask')).toBe(false)
    expect(terms('Маск')?.get('musk')).toBe(1)
    expect(terms('mask')?.get('маск')).toBe(defaultRanking.termWeights.transliteration)
    const { hits } = await search(snapshot, { q: 'Маск', limit: 10, offset: 0 })
    expect(hits.map(hit => hit.id).sort()).toEqual(['musk-1', 'musk-2', 'musk-3', 'musk-4', 'musk-5', 'musk-6', 'musk-7'])
  })
})
