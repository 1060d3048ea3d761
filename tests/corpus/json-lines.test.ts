import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readJsonLines } from '../../src/corpus/formats/json-lines.js'
import { articlesOf, collect, skipsOf } from '../helpers/collect.js'
import { tempDir } from '../helpers/temp-dir.js'

const good = (id: string): string => JSON.stringify({ id, title: `Новость ${id}`, body: 'Текст новости.' })

describe('readJsonLines', () => {
  it('reads articles with body, text or content, and optional fields', async () => {
    const events = await collect(readJsonLines('tests/fixtures/corpus/news.jsonl'))
    const articles = articlesOf(events)
    expect(articles.map(article => article.id)).toEqual(['n-1', 'n-2', 'n-3', 'n-4'])
    expect(articles[0]).toMatchObject({ kind: 'article', date: '2025-03-15', url: 'https://example.ru/news/1', tags: ['дуров', 'telegram'], source: 'example.ru' })
    expect(articles[1]?.body).toContain('Лавров встретился с Эрдоганом') // from `text`
    expect(articles[1]?.date).toBe('2025-04-01T10:00:00.000Z')
    expect(articles[2]?.body).toContain('14,5%') // from `content`
  })

  it('reports each malformed line with its number and reason, and reads the rest', async () => {
    const dir = await tempDir()
    const file = join(dir, 'bad.jsonl')
    const lines = [
      good('a'),
      '{"id": "b", "title": "незакрытая скобка"',
      JSON.stringify({ id: 'c', body: 'нет заголовка' }),
      JSON.stringify({ id: 'd', title: 42 }),
      JSON.stringify({ id: 'e', title: 'Теги', tags: 'ok', body: 7 }),
      JSON.stringify(['not', 'an', 'object']),
      '',
      JSON.stringify({ id: 'f', title: 'Дата', date: 'вчера' }),
      good('g')
    ]
    const invalidUtf8 = Buffer.concat([Buffer.from('{"id":"h","title":"'), Buffer.from([0xd0, 0x28]), Buffer.from('"}\n')])
    await writeFile(file, Buffer.concat([Buffer.from(lines.join('\n') + '\n'), invalidUtf8, Buffer.from(good('i'))]))
    const events = await collect(readJsonLines(file))
    expect(articlesOf(events).map(article => article.id)).toEqual(['a', 'g', 'i'])
    expect(skipsOf(events)).toEqual([
      { file, line: 2, reason: 'invalid-json' },
      { file, line: 3, reason: 'missing-title' },
      { file, line: 4, reason: 'wrong-type' },
      { file, line: 5, reason: 'wrong-type' },
      { file, line: 6, reason: 'wrong-type' },
      { file, line: 8, reason: 'invalid-date' },
      { file, line: 10, reason: 'invalid-utf8' }
    ])
  })

  it('reads gzip files and derives ids from the url or the content', async () => {
    const dir = await tempDir()
    const file = join(dir, 'news.jsonl.gz')
    const records = [
      { title: 'С адресом', body: 'текст', url: 'https://lenta.ru/news/1' },
      { title: 'Без адреса', body: 'текст' }
    ]
    await writeFile(file, gzipSync(records.map(record => JSON.stringify(record)).join('\n')))
    const [withUrl, withoutUrl] = articlesOf(await collect(readJsonLines(file)))
    expect(withUrl?.id).toBe('https://lenta.ru/news/1')
    expect(withoutUrl?.id).toMatch(/^c-[0-9a-f]{16}$/)
    const again = articlesOf(await collect(readJsonLines(file)))
    expect(again[1]?.id).toBe(withoutUrl?.id) // stable across runs
  })

  it('strips HTML from text (RIA exports)', async () => {
    const dir = await tempDir()
    const file = join(dir, 'ria.json')
    await writeFile(file, JSON.stringify({ title: 'заголовок', text: '<p><strong>москва, 31 янв - риа новости.</strong> текст <a href="http://x">агентство</a> &amp; ещё</p>' }))
    const [article] = articlesOf(await collect(readJsonLines(file)))
    expect(article?.body).toBe('москва, 31 янв - риа новости. текст агентство & ещё')
  })
})
