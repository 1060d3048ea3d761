import { describe, expect, it } from 'vitest'
import { ByteReader, ByteWriter } from '../../src/index/byte-codec.js'
import { StoredFieldsDecoder, StoredFieldsEncoder } from '../../src/index/stored-fields-codec.js'

function roundTrip (documents: Array<object | undefined>): unknown[] {
  const encoder = new StoredFieldsEncoder(documents)
  const writer = new ByteWriter(8)
  encoder.writeTables(writer)
  for (const fields of documents) encoder.write(writer, fields)
  const reader = new ByteReader(Buffer.from(writer.view()))
  const decoder = StoredFieldsDecoder.readTables(reader)
  const decoded = documents.map(() => decoder.read(reader))
  expect(reader.done).toBe(true)
  return decoded
}

describe('stored fields in the index file', () => {
  it('read back as JSON would give them, key order included', () => {
    const documents = [
      { title: 'Дуров во Франции', kind: 'article', url: 'https://example.org/1', tags: ['мир', 'telegram'], source: 'rt', offset: 0, length: 120 },
      undefined,
      { kind: 'article', title: 'Санкции 🦔', tags: [], date: '2024-08-25', offset: 2 ** 40, length: 0, source: 'rt' },
      { title: 'Прочее', score: -1.5, ratio: 0.25, flag: true, nothing: null, gone: undefined, nested: { a: [1, 'б'] }, mixed: ['мир', 3, null], when: new Date(0) },
      { tags: ['мир', 'мир', 'экономика'] },
      { title: 'broken \ud800 surrogate', url: 'https://example.org/🦔' }
    ]
    expect(roundTrip(documents)).toEqual(documents.map(fields => fields === undefined ? undefined : JSON.parse(JSON.stringify(fields))))
    for (const [at, fields] of roundTrip(documents).entries()) {
      if (fields !== undefined) expect(Object.keys(fields as object)).toEqual(Object.keys(JSON.parse(JSON.stringify(documents[at]))))
    }
  })

  it('write each repeated string once and share it among the documents read', () => {
    const documents = Array.from({ length: 50 }, (_, at) => ({ title: `Заголовок ${at}`, tags: ['внешняя политика', 'экономика'] }))
    const encoder = new StoredFieldsEncoder(documents)
    const writer = new ByteWriter()
    encoder.writeTables(writer)
    for (const fields of documents) encoder.write(writer, fields)
    const bytes = writer.view()
    const tag = Buffer.from('внешняя политика', 'utf16le')
    expect(bytes.indexOf(tag)).toBeGreaterThan(0)
    expect(bytes.lastIndexOf(tag)).toBe(bytes.indexOf(tag))
    const decoded = roundTrip(documents) as Array<{ tags: string[] }>
    expect(decoded[0]?.tags).toEqual(['внешняя политика', 'экономика'])
  })

  it('read columns of text across pieces: long and empty values, ASCII and not', () => {
    const documents = Array.from({ length: 3000 }, (_, at) => ({
      title: at === 1500 ? 'длинный '.repeat(5000) : at % 7 === 0 ? '' : `Заголовок номер ${at} 🦔`,
      url: `https://example.org/news/${at}`
    }))
    expect(roundTrip(documents)).toEqual(documents)
  })

  it('refuse to write records in another order than planned', () => {
    const documents = [{ title: 'первый' }, { title: 'второй' }]
    const encoder = new StoredFieldsEncoder(documents)
    const writer = new ByteWriter()
    encoder.writeTables(writer)
    expect(() => encoder.write(writer, documents[1])).toThrow(/order/)
  })

  it('refuse a record that names an unknown key or string', () => {
    const writer = new ByteWriter()
    new StoredFieldsEncoder([]).writeTables(writer)
    writer.uint(2) // one field
    writer.uint(7) // key 7 of none
    const reader = new ByteReader(Buffer.from(writer.view()))
    expect(() => StoredFieldsDecoder.readTables(reader).read(reader)).toThrow(/unknown key/)
  })
})
