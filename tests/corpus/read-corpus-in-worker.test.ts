import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { listCorpusFiles } from '../../src/corpus/corpus-files.js'
import { readCorpus } from '../../src/corpus/read-corpus.js'
import { readCorpusInWorker } from '../../src/corpus/read-corpus-in-worker.js'
import { collect } from '../helpers/collect.js'
import { tempDir } from '../helpers/temp-dir.js'

/** A folder of every format, each with good and malformed records, an unsupported file and a broken gzip file. */
async function mixedCorpus (): Promise<string> {
  const dir = await tempDir()
  const record = (id: string): string => JSON.stringify({ id, title: `Новость ${id}`, body: `Текст  новости ${id}.\n\n<b>жирный</b>` })
  await writeFile(join(dir, 'a.jsonl'), Buffer.concat([
    Buffer.from([record('1'), '{"id": "2", "title": ', JSON.stringify({ id: '3' }), record('4')].join('\n') + '\n'),
    Buffer.from([0x7b, 0xd0, 0x28, 0x7d, 0x0a]),
    Buffer.from(record('5'))
  ]))
  await writeFile(join(dir, 'b.jsonl.gz'), gzipSync(Array.from({ length: 40 }, (_, at) => record(`g${at}`)).join('\n')))
  await writeFile(join(dir, 'c.jsonl.gz'), Buffer.concat([gzipSync(record('x')).subarray(0, 12), Buffer.from('not gzip')]))
  await writeFile(join(dir, 'd.csv'), 'url,title,text\nhttps://x.ru/1,Первая,текст\nhttps://x.ru/2,Лишняя,текст,колонка\nhttps://x.ru/3,,без заголовка\n')
  await writeFile(join(dir, 'e.txt'), 'Заголовок страницы\nТекст статьи.\nЧитайте также:\n- Другая новость\n')
  await writeFile(join(dir, 'f.pdf'), 'not a corpus file')
  return dir
}

describe('readCorpusInWorker', () => {
  it('yields exactly the events readCorpus yields, skips and all, and the same byte counts', async () => {
    const files = await listCorpusFiles([await mixedCorpus()])
    let bytesHere = 0
    const here = await collect(readCorpus(files, bytes => { bytesHere += bytes }))
    let bytesThere = 0
    // Small chunks and one chunk ahead, so the worker waits for the reader again and again.
    const there = await collect(readCorpusInWorker(files, bytes => { bytesThere += bytes }, { chunkEvents: 2, chunksAhead: 1 }))
    expect(there).toEqual(here)
    expect(bytesThere).toBe(bytesHere)
    expect(here.filter(event => event.type === 'skip').map(event => event.type === 'skip' && event.reason).sort())
      .toEqual(['csv-syntax', 'invalid-json', 'invalid-utf8', 'missing-title', 'missing-title', 'unreadable-file', 'unsupported-format'])
    expect(here.filter(event => event.type === 'article')).toHaveLength(3 + 40 + 1 + 1 + 1)
  })

  it('stops reading when the consumer stops early', async () => {
    const files = await listCorpusFiles([await mixedCorpus()])
    const taken: string[] = []
    for await (const event of readCorpusInWorker(files, undefined, { chunkEvents: 1, chunksAhead: 1 })) {
      taken.push(event.type)
      if (taken.length === 3) break
    }
    expect(taken).toHaveLength(3)
  })

  it('reads dates in the TIME_ZONE it is given, and passes warnings on', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'news.csv'), 'date,url,title,text\n2019-08-10 17:12:51,https://tass.ru/1,Новость,текст\n2019-08-10 17:12:51,https://tass.ruhttps://tass.ru/2,Другая,текст\n')
    const files = await listCorpusFiles([dir])
    const inWorker = await collect(readCorpusInWorker(files, undefined, { timeZone: 'Asia/Vladivostok' }))
    expect(inWorker).toEqual(await collect(readCorpus(files, undefined, { timeZone: 'Asia/Vladivostok' })))
    expect(inWorker.map(event => event.type === 'article' ? event.article.date : undefined)).toEqual(['2019-08-10T07:12:51.000Z', '2019-08-10T07:12:51.000Z'])
    expect(inWorker[1]).toMatchObject({ warnings: [{ reason: 'invalid-url' }] })
    const moscow = await collect(readCorpusInWorker(files))
    expect(moscow[0]).toMatchObject({ article: { date: '2019-08-10T14:12:51.000Z' } })
  })
})
