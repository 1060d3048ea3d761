import { describe, expect, it } from 'vitest'
import { articleFromRecord, readArticle } from '../../src/corpus/article.js'

const record = (fields: Record<string, unknown>): Record<string, unknown> => ({ id: 'a-1', title: 'Заголовок', body: 'Текст.', ...fields })

describe('readArticle', () => {
  it('stores a doubled URL as absent with a warning, takes no source from it, and keeps the article', () => {
    const { article, warnings } = readArticle(record({ url: 'https://russian.rt.comhttps://russian.rt.com/world/article/1-x' }))
    expect(article).toMatchObject({ id: 'a-1', title: 'Заголовок' })
    expect(article).not.toHaveProperty('url')
    expect(article).not.toHaveProperty('source')
    expect(warnings).toEqual([{ reason: 'invalid-url', message: expect.stringContaining('doubled URL') }])
  })

  it('never stores a javascript: link, which the page would use as the result link', () => {
    const { article, warnings } = readArticle(record({ url: 'javascript:alert(document.cookie)' }))
    expect(article.url).toBeUndefined()
    expect(warnings[0]?.reason).toBe('invalid-url')
  })

  it('keeps a valid URL and takes the source from its host, unless the record names one', () => {
    expect(readArticle(record({ url: 'https://www.ria.ru/20190810/1.html' }))).toEqual({
      article: expect.objectContaining({ url: 'https://www.ria.ru/20190810/1.html', source: 'ria.ru' }),
      warnings: []
    })
    expect(articleFromRecord(record({ url: 'https://ria.ru/1', source: 'РИА Новости' })).source).toBe('РИА Новости')
  })

  it('names a record without an id by its URL as written, even a bad one', () => {
    const url = 'https://russian.rt.comhttps://russian.rt.com/a'
    expect(articleFromRecord({ title: 'Без id', body: 'т', url }).id).toBe(url)
  })

  it('reads dates in the time zone it is given', () => {
    expect(articleFromRecord(record({ date: '2019-08-10 17:12:51' })).date).toBe('2019-08-10T14:12:51.000Z')
    expect(articleFromRecord(record({ date: '2019-08-10 17:12:51' }), { timeZone: 'UTC' }).date).toBe('2019-08-10T17:12:51.000Z')
    expect(articleFromRecord(record({ date: '01.04.2024' })).date).toBe('2024-04-01')
    expect(() => articleFromRecord(record({ date: '2024-02-30' }))).toThrow(/no such date/)
  })
})
