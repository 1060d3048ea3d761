import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Article } from '../../src/corpus/article.js'
import { decodeDocument, encodeDocument, encodeDocumentUtf16, type RecordEncoding } from '../../src/index/document-record.js'
import { DocumentStore } from '../../src/index/document-store.js'

/** A preset dictionary of the words the fixtures use (a build learns its own: document-dictionary.ts). */
const DICTIONARY = Buffer.from('Президент России заявил журналистам, что переговоры продолжатся. Заголовок «ёлка» текст первый второй {"id":"a1","kind":"article","title":"', 'utf8')

interface RecordFormat {
  encode: (article: Article) => Buffer
  /** What a store of such records is opened with. */
  store: { encoding: RecordEncoding, dictionary?: Uint8Array }
}

const FORMATS: Record<string, RecordFormat> = {
  deflate: { encode: article => encodeDocument(article), store: { encoding: 'deflate' } },
  'deflate against a dictionary': { encode: article => encodeDocument(article, DICTIONARY), store: { encoding: 'deflate', dictionary: DICTIONARY } },
  utf16le: { encode: encodeDocumentUtf16, store: { encoding: 'utf16le' } }
}
const FORMAT_NAMES = Object.keys(FORMATS)
const format = (name: string): RecordFormat => FORMATS[name] as RecordFormat

const article = (id: string, body: string): Article => ({
  id, kind: 'article', title: `Заголовок ${id}: «ёлка»`, body, url: `https://example.ru/${id}`, date: '2020-05-01', tags: ['тег'], source: 'rt'
})

describe('document records', () => {
  it.each([
    ['Cyrillic with ё', 'Дуров заявил, что «ёлка» — это ёж.\nВторой абзац.'],
    ['an empty body', ''],
    ['characters outside the BMP and a lone surrogate', 'эмодзи 🎉 и \uD83D одиночка'],
    ['Latin and digits', 'Telegram 2.0, 100% ASCII']
  ])('round-trips %s, in every encoding', (_name, body) => {
    const original = article('a1', body)
    // UTF-8 has no lone surrogate: it is stored as U+FFFD, as any UTF-8 file would hold it.
    const asUtf8 = { ...original, body: body.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD') }
    expect(decodeDocument(encodeDocument(original))).toEqual(asUtf8)
    expect(decodeDocument(encodeDocument(original, DICTIONARY), 'deflate', DICTIONARY)).toEqual(asUtf8)
    expect(decodeDocument(encodeDocumentUtf16(original), 'utf16le')).toEqual(original)
  })

  it('deflates a record shorter against a dictionary of its words, and reads records of both kinds with the dictionary given', () => {
    const news = article('a1', 'Президент России заявил журналистам, что переговоры продолжатся. Второй абзац: текст.')
    const plain = encodeDocument(news)
    const againstDictionary = encodeDocument(news, DICTIONARY)
    expect(againstDictionary.length).toBeLessThan(plain.length * 0.8)
    // A build's first records are deflated before its dictionary is learnt: read with it given all the same.
    expect(decodeDocument(plain, 'deflate', DICTIONARY)).toEqual(news)
    expect(decodeDocument(againstDictionary, 'deflate', DICTIONARY)).toEqual(news)
    expect(decodeDocument(encodeDocument(news, Buffer.alloc(0)))).toEqual(news) // an empty dictionary is none
  })

  it('refuses a record deflated against a dictionary when none or another is given: an error, never garbled text', () => {
    const record = encodeDocument(article('a1', 'Президент России заявил журналистам. '.repeat(20)), DICTIONARY)
    expect(() => decodeDocument(record)).toThrow(/against a dictionary/)
    const other = Buffer.from('совсем другие слова '.repeat(50), 'utf8')
    expect(() => decodeDocument(record, 'deflate', other)).toThrow(/does not inflate|header length|JSON/)
  })

  it('round-trips a record against a dictionary longer than the inflate buffer (over 1 MiB)', () => {
    const long = article('a1', `${'Президент России заявил журналистам, что переговоры продолжатся. '.repeat(20_000)}конец`)
    expect(decodeDocument(encodeDocument(long, DICTIONARY), 'deflate', DICTIONARY)).toEqual(long)
  })

  it('stores Russian text deflated: under half its format 7 size', () => {
    const long = article('a1', 'Президент России заявил журналистам, что переговоры о поставках газа продолжатся на следующей неделе. '.repeat(30))
    expect(encodeDocument(long).length).toBeLessThan(encodeDocumentUtf16(long).length / 2)
  })

  it('round-trips an article longer than the buffer records are inflated into (over 1 MiB)', () => {
    const long = article('a1', `${'Президент России заявил журналистам, что переговоры продолжатся. '.repeat(20_000)}конец`)
    expect(decodeDocument(encodeDocument(long))).toEqual(long)
  })

  it('decodes records one after another from the reused buffer without mixing them', () => {
    const first = article('a1', 'первый '.repeat(500))
    const second = article('a2', 'второй')
    const records = [encodeDocument(first), encodeDocument(second)]
    expect(records.map(record => decodeDocument(record))).toEqual([first, second])
    expect(decodeDocument(records[0] as Buffer)).toEqual(first)
  })

  it('rejects a deflated record whose stream is cut short: an error, never a shorter body', () => {
    const record = encodeDocument(article('a1', 'Президент России заявил журналистам. '.repeat(200)))
    expect(() => decodeDocument(record.subarray(0, record.length >> 1))).toThrow(/does not inflate/)
  })

  it.each(FORMAT_NAMES)('rejects a %s record cut short, with a wrong header length, or not deflated', (name) => {
    const { encode, store: { encoding, dictionary } } = format(name)
    const record = encode(article('a1', 'текст'))
    expect(() => decodeDocument(record.subarray(0, 3), encoding, dictionary)).toThrow(/too short/)
    const lying = Buffer.from(record)
    lying.writeUInt32LE(10_000 + (record.readUInt32LE(0) >= 0x80000000 ? 0x80000000 : 0), 0) // the dictionary flag kept
    expect(() => decodeDocument(lying, encoding, dictionary)).toThrow(/header length/)
    if (encoding === 'deflate') expect(() => decodeDocument(encodeDocumentUtf16(article('a1', 'текст')), 'deflate', dictionary)).toThrow(/does not inflate/)
  })
})

/** Writes the documents' records one after another; their locations, in order. */
async function writeRecords (path: string, articles: Article[], formatName = 'deflate'): Promise<Array<{ offset: number, length: number }>> {
  const records = articles.map(article => format(formatName).encode(article))
  const locations: Array<{ offset: number, length: number }> = []
  let offset = 0
  for (const record of records) {
    locations.push({ offset, length: record.length })
    offset += record.length
  }
  await writeFile(path, Buffer.concat(records))
  return locations
}

// Every store test runs against both modes (read from the file per call, and held in memory) and both record encodings.
const STORAGE = [
  ['read from the file', { maxInMemoryBytes: 0 }],
  ['held in memory', { maxInMemoryBytes: 1 << 30 }],
  // Chunks smaller than a record: every read crosses chunks.
  ['held in memory in 100-byte chunks', { maxInMemoryBytes: 1 << 30, chunkBytes: 100 }]
] as const
const MODES = STORAGE.flatMap(([mode, options]) => FORMAT_NAMES.map(name => [`${mode}, ${name}`, { ...options, ...format(name).store, formatName: name }] as const))

describe.each(MODES)('DocumentStore, %s', (_mode, options) => {
  let dir: string | undefined
  afterEach(async () => { if (dir !== undefined) await rm(dir, { recursive: true, force: true }) })

  it('reads each record back by its location, and overlay documents from memory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'poisk-docs-'))
    const articles = [article('a1', 'первый'), article('a2', 'второй '.repeat(1000)), article('a3', '')]
    const locations = await writeRecords(join(dir, 'docs.bin'), articles, options.formatName)
    const store = await DocumentStore.open(join(dir, 'docs.bin'), options)
    try {
      expect(await store.inMemoryReady).toBe(options.maxInMemoryBytes > 0)
      expect(store.inMemory).toBe(options.maxInMemoryBytes > 0)
      expect(await Promise.all(locations.map(async location => await store.read(location)))).toEqual(articles)
      const changed = article('a2', 'изменён')
      const slot = store.addOverlay(changed)
      expect(await store.read(slot)).toEqual(changed)
      expect(store.addOverlay(article('a2', 'ещё раз'))).toEqual(slot)
      await expect(store.read({ offset: (locations[2]?.offset ?? 0) + 1, length: 10_000 })).rejects.toThrow(/ends inside/)
    } finally {
      await store.close()
    }
  })
})

describe.each(MODES)('DocumentStore#readBodyOpening and #readBody, %s', (_mode, options) => {
  let dir: string | undefined
  afterEach(async () => { if (dir !== undefined) await rm(dir, { recursive: true, force: true }) })

  it('gives the body\'s opening cut at a word boundary, with the whole body\'s length; a short body whole', async () => {
    dir = await mkdtemp(join(tmpdir(), 'poisk-docs-'))
    const long = article('long', 'Слово 🎉эмодзи '.repeat(500))
    const short = article('short', 'Короткий текст.')
    // A header longer than a few KB (a long summary) must not change what is read.
    const longHeader = { ...article('header', 'Тело статьи. '.repeat(300)), summary: 'Длинное резюме. '.repeat(400) }
    const locations = await writeRecords(join(dir, 'docs.bin'), [long, short, longHeader], options.formatName)
    const store = await DocumentStore.open(join(dir, 'docs.bin'), options)
    await store.inMemoryReady
    try {
      const [longAt, shortAt, headerAt] = locations as [typeof locations[0], typeof locations[0], typeof locations[0]]
      const opening = await store.readBodyOpening(longAt, 101)
      expect(opening.bodyLength).toBe(long.body.length)
      expect(opening.body.length).toBeGreaterThan(50)
      expect(opening.body.length).toBeLessThanOrEqual(101)
      expect(long.body.startsWith(opening.body)).toBe(true)
      expect(long.body.charAt(opening.body.length)).toBe(' ') // cut before a space, never inside a word or surrogate pair
      expect(await store.readBodyOpening(shortAt, 101)).toEqual({ body: short.body, bodyLength: short.body.length })
      const headed = await store.readBodyOpening(headerAt, 101)
      expect(longHeader.body.startsWith(headed.body) && headed.bodyLength === longHeader.body.length).toBe(true)
      for (const [at, expected] of [[longAt, long], [shortAt, short], [headerAt, longHeader]] as const) expect(await store.readBody(at)).toBe(expected.body)
      await expect(store.readBody({ offset: headerAt.offset, length: headerAt.length + 2 })).rejects.toThrow(/ends inside/)
      await expect(store.readBody({ offset: shortAt.offset, length: 3 })).rejects.toThrow(/ends inside|header length/)
    } finally {
      await store.close()
    }
  })
})

describe('DocumentStore memory budget', () => {
  let dir: string | undefined
  afterEach(async () => { if (dir !== undefined) await rm(dir, { recursive: true, force: true }) })

  it('holds a file in memory only up to the budget, and serves the same documents either way', async () => {
    dir = await mkdtemp(join(tmpdir(), 'poisk-docs-'))
    const record = encodeDocument(article('a1', 'текст '.repeat(100)))
    await writeFile(join(dir, 'docs.bin'), record)
    const fits = await DocumentStore.open(join(dir, 'docs.bin'), { maxInMemoryBytes: record.length })
    const tooBig = await DocumentStore.open(join(dir, 'docs.bin'), { maxInMemoryBytes: record.length - 1 })
    try {
      expect([await fits.inMemoryReady, await tooBig.inMemoryReady]).toEqual([true, false])
      expect([fits.inMemory, tooBig.inMemory]).toEqual([true, false])
      const location = { offset: 0, length: record.length }
      expect(await fits.read(location)).toEqual(await tooBig.read(location))
    } finally {
      await fits.close()
      await tooBig.close()
    }
  })

  it('reads from the file until the whole file is in memory, and closes while still reading it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'poisk-docs-'))
    const record = encodeDocument(article('a1', 'текст '.repeat(100)))
    await writeFile(join(dir, 'docs.bin'), record)
    const reading = await DocumentStore.open(join(dir, 'docs.bin'), { maxInMemoryBytes: record.length })
    expect(reading.inMemory).toBe(false) // not yet: the read has only been started
    expect(await reading.read({ offset: 0, length: record.length })).toEqual(article('a1', 'текст '.repeat(100)))
    await reading.close()
    const closedEarly = await DocumentStore.open(join(dir, 'docs.bin'), { maxInMemoryBytes: record.length })
    await closedEarly.close()
    expect(closedEarly.inMemory).toBe(false)
  })

  it('drops its copy in memory when released (a retired snapshot), reading from the file after, even mid-read', async () => {
    dir = await mkdtemp(join(tmpdir(), 'poisk-docs-'))
    const record = encodeDocument(article('a1', 'текст '.repeat(100)))
    await writeFile(join(dir, 'docs.bin'), record)
    const location = { offset: 0, length: record.length }
    const loaded = await DocumentStore.open(join(dir, 'docs.bin'), { maxInMemoryBytes: record.length })
    const midRead = await DocumentStore.open(join(dir, 'docs.bin'), { maxInMemoryBytes: record.length })
    midRead.releaseMemory() // its read has only been started
    try {
      expect(await loaded.inMemoryReady).toBe(true)
      loaded.releaseMemory()
      expect(loaded.inMemory).toBe(false)
      expect(await loaded.read(location)).toEqual(article('a1', 'текст '.repeat(100)))
      expect(await midRead.inMemoryReady).toBe(false)
      expect(midRead.inMemory).toBe(false)
    } finally {
      await loaded.close()
      await midRead.close()
    }
  })
})
