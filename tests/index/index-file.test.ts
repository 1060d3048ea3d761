import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import MiniSearch from 'minisearch'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import type { Article } from '../../src/corpus/article.js'
import { toIndexedDocument } from '../../src/index/build-index.js'
import { ByteReader, ByteWriter } from '../../src/index/byte-codec.js'
import { fileCrc32, fileSha256 } from '../../src/index/file-checksum.js'
import { sha256File } from '../../src/index/manifest.js'
import { FormCollector } from '../../src/index/form-table.js'
import { readIndexFile, writeIndexFile } from '../../src/index/index-file.js'
import { expectInternals } from '../../src/index/minisearch-internals.js'
import { miniSearchOptions, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { decodeTermData, encodeTermData, LazyTermData } from '../../src/index/term-data.js'
import { FieldLengthsTable } from '../../src/index/field-lengths-table.js'
import { tempDir } from '../helpers/temp-dir.js'

const analyzer = createDefaultAnalyzer()
const options = miniSearchOptions(analyzer)

const article = (id: string, title: string, body: string): Article => ({ id, kind: 'article', title, body, tags: ['мир'], url: `https://example.org/${id}` })

function sampleIndex (): MiniSearch<IndexedDocument> {
  const miniSearch = new MiniSearch<IndexedDocument>(options)
  const articles = [
    article('1', 'Дуров во Франции', 'Павел Дуров, основатель Telegram, задержан во Франции. Дурова отпустили под залог.'),
    article('2', 'Санкции ЕС', 'Евросоюз ввёл санкции; санкции коснулись банков.'),
    article('3', 'Эрдоган и Путин', 'Эрдоган встретился с Путиным в Сочи.')
  ]
  articles.forEach((item, at) => miniSearch.add(toIndexedDocument(item, { offset: at * 100, length: 100 })))
  return miniSearch
}

async function roundTrip (miniSearch: MiniSearch<IndexedDocument>): Promise<MiniSearch<IndexedDocument>> {
  const path = join(await tempDir(), 'index.bin')
  await writeIndexFile(path, miniSearch, new FormCollector())
  return (await readIndexFile(path, options)).miniSearch
}

describe('the index file', () => {
  it('leaves the term tree, postings, word forms and stored texts in the file, read as queries reach them, until the file is closed', async () => {
    const path = join(await tempDir(), 'index.bin')
    const miniSearch = sampleIndex()
    await writeIndexFile(path, miniSearch, new FormCollector())
    const loaded = await readIndexFile(path, options)
    expect(loaded.miniSearch.search('дуров')).toEqual(miniSearch.search('дуров'))
    expect(loaded.miniSearch.getStoredFields('2')).toEqual(miniSearch.getStoredFields('2'))
    await loaded.termFile.close()
    // A term first met now, or a stored title, would be read from the closed file.
    expect(() => loaded.miniSearch.search('санкции')).toThrow(/index\.bin was closed/)
    expect(() => loaded.miniSearch.getStoredFields('2')).toThrow(/index\.bin was closed/)
    expect(() => loaded.forms.keysOf('санкц')).toThrow(/index\.bin was closed/)
  })

  it('reads back the index it wrote, map for map and in order', async () => {
    const miniSearch = sampleIndex()
    const loaded = await roundTrip(miniSearch)
    expect(loaded.search('дуров санкции')).toEqual(miniSearch.search('дуров санкции'))
    expect(JSON.stringify(loaded.toJSON())).toBe(JSON.stringify(miniSearch.toJSON()))
  })

  it('keeps replaced and removed documents exact, and a loaded index can change and be saved again', async () => {
    const miniSearch = sampleIndex()
    miniSearch.replace(toIndexedDocument(article('2', 'Санкции США', 'Новые санкции против банков.'), { offset: 300, length: 50 }))
    miniSearch.discard('3')
    await miniSearch.vacuum()
    const loaded = await roundTrip(miniSearch)
    expect(JSON.stringify(loaded.toJSON())).toBe(JSON.stringify(miniSearch.toJSON()))
    loaded.add(toIndexedDocument(article('4', 'Путин о санкциях', 'Путин прокомментировал санкции.'), { offset: 400, length: 50 }))
    miniSearch.add(toIndexedDocument(article('4', 'Путин о санкциях', 'Путин прокомментировал санкции.'), { offset: 400, length: 50 }))
    expect(JSON.stringify((await roundTrip(loaded)).toJSON())).toBe(JSON.stringify(miniSearch.toJSON()))
  })

  it('gives documents with the same field lengths, or the same tags, one frozen array, which a loaded index still changes around', async () => {
    const miniSearch = sampleIndex()
    miniSearch.add(toIndexedDocument(article('1b', 'Дуров во Франции', 'Павел Дуров, основатель Telegram, задержан во Франции. Дурова отпустили под залог.'), { offset: 300, length: 100 }))
    const loaded = await roundTrip(miniSearch)
    const internals = expectInternals(loaded)
    const lengthsOf = (id: string): number[] | undefined => internals.fieldLength.get(internals.idToShortId.get(id) as number)
    // Held in an array by short id, not a Map filled per document (field-lengths-table.ts).
    expect(internals.fieldLength).toBeInstanceOf(FieldLengthsTable)
    expect(lengthsOf('1b')).toBe(lengthsOf('1'))
    expect(lengthsOf('2')).not.toBe(lengthsOf('1'))
    expect(Object.isFrozen(lengthsOf('1'))).toBe(true)
    const tagsOf = (id: string): unknown => (loaded.getStoredFields(id) as { tags?: string[] }).tags
    expect(tagsOf('3')).toEqual(['мир'])
    expect(tagsOf('3')).toBe(tagsOf('2'))
    expect(Object.isFrozen(tagsOf('2'))).toBe(true)
    // Discarding and adding documents leaves the shared arrays (and so the other documents) as they were.
    for (const index of [loaded, miniSearch]) {
      index.discard('1')
      index.add(toIndexedDocument(article('5', 'Дуров в Дубае', 'Павел Дуров прилетел в Дубай.'), { offset: 500, length: 50 }))
    }
    expect(JSON.stringify(loaded.toJSON())).toBe(JSON.stringify(miniSearch.toJSON()))
    expect(lengthsOf('1b')).toEqual(expectInternals(miniSearch).fieldLength.get(expectInternals(miniSearch).idToShortId.get('1b') as number))
  })

  it.each([
    ['a foreign file', async (path: string) => { await writeFile(path, 'PK\u0003\u0004 not an index at all') }, /not a poisk index/],
    ['a truncated file', async (path: string) => { const data = await readFile(path); await writeFile(path, data.subarray(0, data.length - 7)) }, /end of data|terms/]
  ])('refuses %s', async (_name, damage, message) => {
    const path = join(await tempDir(), 'index.bin')
    await writeIndexFile(path, sampleIndex(), new FormCollector())
    await damage(path)
    await expect(readIndexFile(path, options)).rejects.toThrow(message)
  })
})

describe('encoded term data', () => {
  it('round-trips postings in insertion order, ascending or not', () => {
    const data = new Map([[1, new Map([[5, 2], [3, 1], [200, 7]])], [0, new Map([[0, 1], [1, 1], [70000, 3]])]])
    const writer = new ByteWriter(4)
    encodeTermData(writer, data)
    const decoded = decodeTermData(writer.view(), 0, writer.length)
    expect(decoded.map(([field, postings]) => [field, [...postings]])).toEqual([...data].map(([field, postings]) => [field, [...postings]]))
  })

  it('is a Map to MiniSearch: decoded on first use, then changeable', () => {
    const writer = new ByteWriter()
    encodeTermData(writer, new Map([[0, new Map([[1, 2]])]]))
    const lazy = LazyTermData.fromBytes(Buffer.from(writer.view()), 0, writer.length)
    expect(lazy.encoded()?.length).toBe(writer.length)
    expect(lazy.size).toBe(1)
    expect(lazy.encoded()).toBeUndefined()
    lazy.get(0)?.set(9, 1)
    lazy.set(1, new Map([[3, 4]]))
    expect([...lazy].map(([field, postings]) => [field, [...postings]])).toEqual([[0, [[1, 2], [9, 1]]], [1, [[3, 4]]]])
    expect(Object.prototype.toString.call(lazy)).toBe('[object Map]')
  })

  it('reads varints back, and refuses to read past the end', () => {
    const writer = new ByteWriter(1)
    for (const value of [0, 127, 128, 16383, 16384, 2 ** 32 + 5]) writer.uint(value)
    writer.string('ёжик-🦔')
    const reader = new ByteReader(writer.view())
    expect([0, 0, 0, 0, 0, 0].map(() => reader.uint())).toEqual([0, 127, 128, 16383, 16384, 2 ** 32 + 5])
    expect(reader.string()).toBe('ёжик-🦔')
    expect(() => reader.uint()).toThrow(/end of data/)
  })
})

describe('file checksums', () => {
  it('are the same computed in a worker thread as on the calling thread', async () => {
    const path = join(await tempDir(), 'data.bin')
    await writeFile(path, Buffer.alloc(3 << 20, 'поиск'))
    const inline = await sha256File(path)
    expect(await fileSha256(path, 3 << 20, 0)).toBe(inline)
    await expect(fileSha256(join(path, 'missing'), 1, 0)).rejects.toThrow()
  })

  it('give the CRC-32 of the whole file when read in chunks', async () => {
    const path = join(await tempDir(), 'data.bin')
    await writeFile(path, Buffer.alloc((3 << 20) + 5, 'поиск'))
    expect(await fileCrc32(path)).toBe(crc32(await readFile(path)))
    await expect(fileCrc32(join(path, 'missing'))).rejects.toThrow()
  })
})
