import { describe, expect, it, vi } from 'vitest'
import { ByteReader, ByteWriter } from '../../src/index/byte-codec.js'
import { MemoryBytes, type ByteSource } from '../../src/index/byte-source.js'
import { LoadedStoredFields, StoredFieldsDecoder, StoredFieldsEncoder } from '../../src/index/stored-fields-codec.js'
import { someStoredHave, storedHotFields, storedValue, StoredFieldsTable } from '../../src/index/stored-fields-table.js'

type Fields = Record<string, unknown>

/** Writes `documents` as an index file does, then loads them into a table, short id = place. */
function loadedTable (documents: Array<Fields | undefined>, hotKeys: readonly string[] = ['date', 'tags', 'source'], sourceOf: (bytes: Buffer) => ByteSource = bytes => new MemoryBytes(bytes)): StoredFieldsTable<Fields> {
  const encoder = new StoredFieldsEncoder(documents)
  const writer = new ByteWriter(8)
  encoder.writeTables(writer)
  for (const fields of documents) encoder.write(writer, fields)
  const reader = new ByteReader(Buffer.from(writer.view()))
  const loaded = StoredFieldsDecoder.readTables(reader, sourceOf(reader.bytes)).loadedFields(documents.length, hotKeys)
  documents.forEach((_, shortId) => loaded.read(reader, shortId))
  loaded.loaded()
  expect(reader.done).toBe(true)
  return new StoredFieldsTable<Fields>(loaded)
}

/** Bytes in memory that note the ranges warmed and the ranges read. */
class NotingBytes extends MemoryBytes {
  readonly warmed: string[] = []
  readonly read: string[] = []

  override withBytes<T> (offset: number, length: number, use: (bytes: Buffer) => T): T {
    this.read.push(`${offset}+${length}`)
    return super.withBytes(offset, length, use)
  }

  override async warm (offset: number, length: number): Promise<void> {
    this.warmed.push(`${offset}+${length}`)
  }
}

const asJson = (fields: Fields | undefined): unknown => fields === undefined ? undefined : JSON.parse(JSON.stringify(fields))

const documents: Array<Fields | undefined> = [
  { title: 'Дуров во Франции', kind: 'article', url: 'https://example.org/1', tags: ['мир', 'telegram'], source: 'rt', offset: 0, length: 120 },
  undefined,
  { kind: 'article', title: 'Санкции 🦔', tags: [], date: '2024-08-25', offset: 2 ** 40, length: 0, source: 'rt' },
  { title: 'Прочее', score: -1.5, flag: true, nothing: null, nested: { a: [1, 'б'] }, mixed: ['мир', 3, 'один раз'], when: new Date(0) },
  { tags: ['мир', 'мир', 'экономика'], date: '2024-08-26T10:00:00+03:00' },
  { title: 'broken \ud800 surrogate', url: 'https://example.org/🦔', source: { name: 'json' } }
]

describe('a loaded build\'s stored fields table', () => {
  it('gives each document\'s fields as the file\'s decoder does, key order included, and each field alone', () => {
    const table = loadedTable(documents)
    documents.forEach((fields, shortId) => {
      expect(table.get(shortId)).toEqual(asJson(fields))
      if (fields === undefined) return
      expect(Object.keys(table.get(shortId) as Fields)).toEqual(Object.keys(asJson(fields) as Fields))
      for (const [key, value] of Object.entries(asJson(fields) as Fields)) expect(table.fieldOf(shortId, key)).toEqual(value)
      expect(table.fieldOf(shortId, 'absent')).toBeUndefined()
    })
    expect(table.fieldOf(1, 'title')).toBeUndefined()
  })

  it('reads texts across the column\'s pieces: long, empty, ASCII and not, hot or not', () => {
    const many = Array.from({ length: 3000 }, (_, at) => ({
      title: at === 1500 ? 'длинный '.repeat(5000) : at % 7 === 0 ? '' : `Заголовок номер ${at} 🦔`,
      url: `https://example.org/news/${at}`,
      date: `2024-01-${String(at % 28 + 1).padStart(2, '0')}T${at}`
    }))
    const table = loadedTable(many)
    for (const at of [0, 1, 1499, 1500, 1501, 2999]) {
      expect(table.get(at)).toEqual(many[at])
      expect(table.fieldOf(at, 'title')).toBe(many[at]?.title)
    }
    expect([...table.values()]).toEqual(many)
  })

  it('warms the very bytes of the texts it then reads, and only those documents\' texts', async () => {
    const many = Array.from({ length: 300 }, (_, at) => ({ title: `Заголовок ${at}`, url: `https://example.org/${at}`, date: '2024-01-01', kind: 'article' }))
    let source: NotingBytes | undefined
    const table = loadedTable(many, ['date', 'tags', 'source'], bytes => (source = new NotingBytes(bytes)))
    const noted = source as NotingBytes
    await table.warmTexts([3, 150, 299])
    expect(noted.warmed).toHaveLength(6)
    expect(noted.read).toEqual([])
    for (const shortId of [3, 150, 299]) expect(table.get(shortId)).toEqual(many[shortId])
    expect(noted.read.sort()).toEqual(noted.warmed.sort())
  })

  it('builds a new object each time: a reader changing it changes nothing', () => {
    const table = loadedTable(documents)
    const first = table.get(0) as Fields
    expect(table.get(0)).not.toBe(first)
    first.title = 'changed'
    expect(Object.isFrozen(first.tags)).toBe(true)
    expect(Object.isFrozen((table.get(5) as Fields).source)).toBe(true)
    const mixed = (table.get(3) as Fields).mixed as unknown[]
    mixed.push('more')
    expect((table.get(3) as Fields).mixed).toEqual(['мир', 3, 'один раз'])
    expect(table.get(0)).toEqual(asJson(documents[0]))
  })

  it('is a Map to MiniSearch: loaded documents and those set since, deleted, counted and listed in short id order', () => {
    const table = loadedTable(documents)
    expect(table.size).toBe(5)
    expect(table.has(1)).toBe(false)
    expect(table.has(2)).toBe(true)
    expect(table.delete(2)).toBe(true)
    expect(table.delete(2)).toBe(false)
    expect(table.has(2)).toBe(false)
    expect(table.get(2)).toBeUndefined()
    expect(table.fieldOf(2, 'date')).toBeUndefined()
    table.set(4, { title: 'Заменён' })
    expect(table.get(4)).toEqual({ title: 'Заменён' })
    expect(table.fieldOf(4, 'tags')).toBeUndefined()
    expect(table.fieldOf(4, 'title')).toBe('Заменён')
    table.set(9, { title: 'Новый', date: '2025-01-01' })
    expect(table.size).toBe(5)
    expect([...table.keys()]).toEqual([0, 3, 5, 4, 9])
    expect([...table.entries()].map(([shortId]) => shortId)).toEqual([0, 3, 5, 4, 9])
    expect(Object.fromEntries(table)).toEqual(Object.fromEntries([0, 3, 5, 4, 9].map(shortId => [shortId, table.get(shortId)])))
    const visited: number[] = []
    table.forEach((fields, shortId, map) => { visited.push(shortId); expect(map.get(shortId)).toEqual(fields) })
    expect(visited).toEqual([0, 3, 5, 4, 9])
    table.clear()
    expect(table.size).toBe(0)
    expect([...table]).toEqual([])
    expect(table.get(0)).toBeUndefined()
  })

  it('reads one field through `storedValue` from a table or a plain Map alike', () => {
    const table = loadedTable(documents)
    const plain = new Map(documents.flatMap((fields, shortId) => fields === undefined ? [] : [[shortId, asJson(fields) as Fields]]))
    for (const key of ['title', 'date', 'tags', 'source', 'offset']) {
      for (let shortId = 0; shortId < documents.length; shortId += 1) expect(storedValue(table, shortId, key)).toEqual(storedValue(plain, shortId, key))
    }
  })

  it('reads a document\'s hot fields alone through `storedHotFields`, and all of a plain Map\'s or an added document\'s', () => {
    const table = loadedTable(documents)
    const plain = new Map(documents.flatMap((fields, shortId) => fields === undefined ? [] : [[shortId, asJson(fields) as Fields]]))
    const hotOf = (fields: Fields | undefined): Fields => Object.fromEntries(['date', 'tags', 'source'].flatMap(key => fields?.[key] === undefined ? [] : [[key, fields[key]]]))
    for (let shortId = 0; shortId < documents.length; shortId += 1) {
      if (documents[shortId] === undefined) {
        expect(storedHotFields(table, shortId)).toBeUndefined()
        continue
      }
      expect(storedHotFields(table, shortId)).toEqual(hotOf(plain.get(shortId)))
      expect(storedHotFields(plain, shortId)).toBe(plain.get(shortId))
    }
    table.set(9, { title: 'Новый', date: '2025-01-01' })
    expect(storedHotFields(table, 9)).toEqual({ title: 'Новый', date: '2025-01-01' })
    table.delete(0)
    expect(storedHotFields(table, 0)).toBeUndefined()
  })

  it('tells whether some document has a field, counting hot ones as it loads rather than reading every document', () => {
    const table = loadedTable(documents)
    const read = vi.spyOn(LoadedStoredFields.prototype, 'fieldOf')
    try {
      expect(someStoredHave(table, 'date')).toBe(true)
      expect(someStoredHave(table, 'source')).toBe(true)
      expect(read).not.toHaveBeenCalled()
      table.delete(2)
      table.delete(4)
      expect(someStoredHave(table, 'date')).toBe(false)
      table.set(7, { date: '2025-01-01' })
      expect(someStoredHave(table, 'date')).toBe(true)
      expect(read).not.toHaveBeenCalled()
      expect(someStoredHave(table, 'absent')).toBe(false)
      const undated = loadedTable([{ title: 'Без даты', tags: ['мир'] }, { title: 'Тоже' }])
      expect(someStoredHave(undated, 'date')).toBe(false)
      expect(undated.fieldOf(0, 'date')).toBeUndefined()
      expect(read.mock.calls.filter(([, key]) => key === 'date').length).toBe(1) // the fieldOf just above
      expect(someStoredHave(new Map([[0, { date: 'x' }]]), 'date')).toBe(true)
      expect(someStoredHave(new Map<number, Record<string, unknown>>([[0, { title: 'x' }]]), 'date')).toBe(false)
    } finally {
      read.mockRestore()
    }
    expect(someStoredHave(table, 'url')).toBe(true)
  })
})
