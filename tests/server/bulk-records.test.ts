/** The bulk body reader: records cut out of a stream whatever its chunks, each bounded, a bad one alone. */
import { describe, expect, it } from 'vitest'
import { jsonArrayRecords, ndjsonRecords, type BodyRecord } from '../../src/server/bulk-records.js'

async function * chunksOf (body: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size)
}

async function read (records: AsyncGenerator<BodyRecord>): Promise<BodyRecord[]> {
  const all: BodyRecord[] = []
  for await (const record of records) all.push(record)
  return all
}

describe('the bulk body reader', () => {
  it('reads the same NDJSON records at every chunk boundary, multi-byte characters split or not', async () => {
    const body = Buffer.from('{"id":"а","title":"Ёж"}\r\n\n  \n{"id":"б","title":"x\\ny"}\n{"id":"в"}')
    const expected = [
      { position: 1, text: '{"id":"а","title":"Ёж"}\r' },
      { position: 4, text: '{"id":"б","title":"x\\ny"}' },
      { position: 5, text: '{"id":"в"}' }
    ]
    for (const size of [1, 2, 3, 7, body.length]) expect(await read(ndjsonRecords(chunksOf(body, size), 100)), `chunks of ${size}`).toEqual(expected)
  })

  it('cuts JSON array elements at the top-level commas only, whatever strings, nesting and chunks hold', async () => {
    const elements = ['{"id":"a","title":"запятая, и ] скобка","tags":["x","y"]}', '{"id":"b","title":"кавычка \\" и \\\\"}', '{"id":"c","nested":{"a":[1,{"b":"}"}]}}']
    const body = Buffer.from(` \n[ ${elements.join(' ,\n')} ]\n`)
    for (const size of [1, 2, 5, body.length]) {
      const records = await read(jsonArrayRecords(chunksOf(body, size), 1000))
      expect(records.map(record => 'text' in record ? JSON.parse(record.text) : record), `chunks of ${size}`).toEqual(elements.map(element => JSON.parse(element)))
      expect(records.map(record => record.position)).toEqual([1, 2, 3])
    }
  })

  it('bounds each record, reports it, and goes on with the next', async () => {
    const long = `{"id":"long","title":"${'д'.repeat(100)}"}`
    const ndjson = await read(ndjsonRecords(chunksOf(Buffer.from(`${long}\n{"id":"ok"}\n`), 16), 64))
    expect(ndjson).toEqual([
      { position: 1, error: { code: 'POISK_BULK_RECORD_TOO_LARGE', message: expect.stringContaining('at most 64') } },
      { position: 2, text: '{"id":"ok"}' }
    ])
    const array = await read(jsonArrayRecords(chunksOf(Buffer.from(`[${long},{"id":"ok"}]`), 16), 64))
    expect(array).toEqual([
      { position: 1, error: expect.objectContaining({ code: 'POISK_BULK_RECORD_TOO_LARGE' }) },
      { position: 2, text: '{"id":"ok"}' }
    ])
  })

  it('ends a body that is not one JSON array with a syntax record, keeping the elements before', async () => {
    const syntax = (position: number, message: string) => ({ position, error: { code: 'POISK_BULK_SYNTAX', message: expect.stringContaining(message) } })
    expect(await read(jsonArrayRecords(chunksOf(Buffer.from('{"id":"a"}'), 4), 100))).toEqual([syntax(1, 'must start with [')])
    expect(await read(jsonArrayRecords(chunksOf(Buffer.from(''), 4), 100))).toEqual([syntax(1, 'empty')])
    expect(await read(jsonArrayRecords(chunksOf(Buffer.from('[{"id":"a"},{"id":'), 4), 100))).toEqual([{ position: 1, text: '{"id":"a"}' }, syntax(2, 'ends before')])
    expect(await read(jsonArrayRecords(chunksOf(Buffer.from('[{"id":"a"}] [1]'), 4), 100))).toEqual([{ position: 1, text: '{"id":"a"}' }, syntax(2, 'goes on after')])
  })
})
