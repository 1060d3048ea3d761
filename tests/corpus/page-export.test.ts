import { describe, expect, it } from 'vitest'
import { readPageExport } from '../../src/corpus/formats/page-export.js'
import { articlesOf, collect } from '../helpers/collect.js'

describe('readPageExport', () => {
  it('reads the headline and body without the feed lists', async () => {
    const [article, ...headlines] = articlesOf(await collect(readPageExport('tests/fixtures/corpus/page.txt')))
    expect(article).toMatchObject({ kind: 'article', title: 'Глава Минфина Силуанов рассказал о бюджете на 2026 год' })
    expect(article?.body).toContain('дефицит бюджета составит 1,5% ВВП')
    expect(article?.body).not.toMatch(/Читайте также|Лента новостей|Курс доллара/)
    expect(headlines.map(headline => [headline.kind, headline.title, headline.body])).toEqual([
      ['headline', 'Курс доллара опустился ниже 80 рублей', ''],
      ['headline', 'В Санкт-Петербурге открыли новую станцию метро', '']
    ])
  })

  it('parses the bundled seed article the same way', async () => {
    const [article, ...headlines] = articlesOf(await collect(readPageExport('corpus/000_828d60cf901718a0.txt')))
    expect(article?.title).toBe('Павел Дуров: Telegram скорее покинет рынок, чем отдаст силовикам переписку пользователей')
    expect(article?.body).toMatch(/^Создатель Telegram отреагировал/)
    expect(article?.body).toMatch(/покинул Францию\.$/)
    expect(headlines).toHaveLength(20)
    expect(headlines.at(-1)?.title).toBe('Бастовавших строителей арестовали в Костанае')
  })

  it('gives a repeated headline the same id wherever it is listed', async () => {
    const first = articlesOf(await collect(readPageExport('tests/fixtures/corpus/page.txt')))
    const second = articlesOf(await collect(readPageExport('tests/fixtures/corpus/page.txt')))
    expect(first.map(article => article.id)).toEqual(second.map(article => article.id))
  })
})
