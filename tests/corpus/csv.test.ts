import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readCsv } from '../../src/corpus/formats/csv.js'
import { articlesOf, collect, skipsOf } from '../helpers/collect.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('readCsv', () => {
  it('reads the Lenta.ru shape, taking the date from the url', async () => {
    const articles = articlesOf(await collect(readCsv('tests/fixtures/corpus/lenta.csv')))
    expect(articles).toHaveLength(2)
    expect(articles[0]).toMatchObject({
      id: 'https://lenta.ru/news/2018/12/14/cancer/',
      title: 'Названы регионы России с самой высокой смертностью от рака',
      date: '2018-12-14',
      tags: ['россия', 'общество'],
      source: 'lenta.ru'
    })
  })

  it('reads many-column news CSVs by column name', async () => {
    const dir = await tempDir()
    const file = join(dir, 'ods.csv')
    await writeFile(file, [
      'date,url,edition,topics,authors,title,text,likes',
      '2019-06-26 14:00:00,https://russian.rt.com/russia/news/1,-,Россия,,Эксперт о номерах,"Текст, с запятой",3'
    ].join('\n'))
    const [article] = articlesOf(await collect(readCsv(file)))
    // The news CSVs write Moscow wall-clock times without a zone: 14:00 in Moscow is 11:00 UTC.
    expect(article).toMatchObject({ title: 'Эксперт о номерах', body: 'Текст, с запятой', date: '2019-06-26T11:00:00.000Z', tags: ['россия'], source: 'russian.rt.com' })
    const [inUtc] = articlesOf(await collect(readCsv(file, undefined, { timeZone: 'UTC' })))
    expect(inUtc?.date).toBe('2019-06-26T14:00:00.000Z')
  })

  it('reports broken rows with their line and reads the rest', async () => {
    const dir = await tempDir()
    const file = join(dir, 'bad.csv')
    await writeFile(file, [
      'url,title,text,topic,tags',
      'https://lenta.ru/news/2018/01/01/a/,Первая,текст,Россия,Все',
      'https://lenta.ru/news/2018/01/02/b/,Лишняя колонка,текст,Россия,Все,лишнее',
      'https://lenta.ru/news/2018/01/03/c/,,нет заголовка,Россия,Все',
      'https://lenta.ru/news/2018/01/04/d/,Последняя,текст,Мир,Все'
    ].join('\n'))
    const events = await collect(readCsv(file))
    expect(articlesOf(events).map(article => article.title)).toEqual(['Первая', 'Последняя'])
    expect(skipsOf(events)).toEqual([
      { file, line: 3, reason: 'csv-syntax' },
      { file, line: 4, reason: 'missing-title' }
    ])
  })

  it('reports rows with invalid UTF-8', async () => {
    const dir = await tempDir()
    const file = join(dir, 'utf.csv')
    await writeFile(file, Buffer.concat([
      Buffer.from('url,title,text\nhttps://x.ru/1,Хорошая,текст\nhttps://x.ru/2,Плох'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('ая,текст\n')
    ]))
    const events = await collect(readCsv(file))
    expect(articlesOf(events).map(article => article.title)).toEqual(['Хорошая'])
    expect(skipsOf(events)).toEqual([{ file, line: 3, reason: 'invalid-utf8' }])
  })
})
