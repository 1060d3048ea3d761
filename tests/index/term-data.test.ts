import { describe, expect, it } from 'vitest'
import { ByteWriter } from '../../src/index/byte-codec.js'
import { decodePostingArrays, encodePostingLists, LazyTermData } from '../../src/index/term-data.js'
import { ITEMS_BETWEEN_PAUSES } from '../../src/index/time-slicer.js'

function loaded (): LazyTermData {
  const writer = new ByteWriter()
  encodePostingLists(writer, [{ fieldId: 2, documents: [1, 5, 9], frequencies: [3, 1, 2] }])
  const bytes = Buffer.from(writer.view())
  return LazyTermData.fromBytes(bytes, 0, bytes.length)
}

const plain = (data: LazyTermData): Array<[number, Array<[number, number]>]> => [...data].map(([fieldId, postings]) => [fieldId, [...postings]])

describe('a loaded term\'s postings', () => {
  it('decode in pieces when long, yielding between them, to the arrays postingArrays then gives', () => {
    // Two fields, the body's longer than a piece: its ids and frequencies are each decoded in several.
    const body = Array.from({ length: ITEMS_BETWEEN_PAUSES * 2 + 100 }, (_, at) => at * 3 + (at % 2))
    const writer = new ByteWriter()
    encodePostingLists(writer, [{ fieldId: 0, documents: [4, 70], frequencies: [1, 2] }, { fieldId: 1, documents: body, frequencies: body.map(id => 1 + (id % 7)) }])
    const bytes = Buffer.from(writer.view())
    const data = LazyTermData.fromBytes(bytes, 0, bytes.length)
    const decoding = data.decodingArrays()
    let pieces = 1
    let step = decoding.next()
    for (; step.done !== true; step = decoding.next()) pieces += 1
    expect(pieces).toBeGreaterThanOrEqual(6)
    expect(step.value).toEqual(decodePostingArrays(bytes, 0, bytes.length))
    expect(data.postingArrays()).toBe(step.value)
    // Decoded already: given at once.
    expect(data.decodingArrays().next()).toEqual({ done: true, value: step.value })
  })

  it('keep what a change made while their decoding paused: the appended posting is not lost', () => {
    const documents = Array.from({ length: ITEMS_BETWEEN_PAUSES * 2 }, (_, at) => at)
    const writer = new ByteWriter()
    encodePostingLists(writer, [{ fieldId: 1, documents, frequencies: documents.map(() => 1) }])
    const bytes = Buffer.from(writer.view())
    const data = LazyTermData.fromBytes(bytes, 0, bytes.length)
    const decoding = data.decodingArrays()
    decoding.next()
    data.append(1, documents.length, 5)
    let step = decoding.next()
    while (step.done !== true) step = decoding.next()
    expect(step.value?.[0]?.documents.length).toBe(documents.length + 1)
    expect(data.postingArrays()?.[0]?.frequencies.at(-1)).toBe(5)
  })

  it('take appended postings as arrays, without making a Map, in the order add would give', () => {
    const data = loaded()
    const before = data.postingArrays()
    data.append(2, 12, 4)
    data.append(0, 12, 1)
    for (let shortId = 13; shortId < 40; shortId += 1) data.append(2, shortId, 1)
    const arrays = data.postingArrays()
    expect(arrays?.map(field => [field.fieldId, [...field.documents].slice(0, 5), field.ascending])).toEqual([[2, [1, 5, 9, 12, 13], true], [0, [12], true]])
    expect(arrays?.[0]?.documents.length).toBe(31)
    // Arrays handed out before the appends stay as they were.
    expect(before?.map(field => [...field.documents])).toEqual([[1, 5, 9]])
    // The bytes no longer describe the term.
    expect(data.encoded()).toBeUndefined()
    // Read as a Map (MiniSearch's own search, a vacuum), it holds every posting.
    expect(plain(data)[0]?.[1].slice(0, 4)).toEqual([[1, 3], [5, 1], [9, 2], [12, 4]])
    expect(plain(data)[1]).toEqual([0, [[12, 1]]])
    expect(data.postingArrays()).toBeUndefined()
  })

  it('count the documents of their largest field from the encoded headers, without decoding, and stay right after changes', () => {
    const writer = new ByteWriter()
    // Three fields, the largest last, one unsorted (zigzag gaps), frequencies of several bytes: every header must be reached.
    encodePostingLists(writer, [
      { fieldId: 0, documents: [4, 2], frequencies: [200, 3000] },
      { fieldId: 1, documents: [7, 8, 9], frequencies: [2, 2, 2] },
      { fieldId: 2, documents: [1, 300, 70_000, 70_001, 900_000], frequencies: [1, 200, 3, 1, 1] }
    ])
    const bytes = Buffer.from(writer.view())
    const data = LazyTermData.fromBytes(bytes, 0, bytes.length)
    expect(data.mostFieldDocuments()).toBe(5)
    // Counted, not decoded: the term is still exactly its bytes, and no arrays were made.
    expect(data.encoded()).toBeDefined()
    expect((data as unknown as { arrays: unknown }).arrays).toBeUndefined()
    expect(data.postingArrays()?.map(field => field.documents.length)).toEqual([2, 3, 5])
    data.append(2, 900_001, 1)
    expect(data.mostFieldDocuments()).toBe(6)
    data.get(0)?.set(5, 1)
    data.delete(2)
    expect(data.mostFieldDocuments()).toBe(3)
  })

  it('count the documents of one field from the encoded headers, then from the arrays or the Map', () => {
    const writer = new ByteWriter()
    encodePostingLists(writer, [{ fieldId: 0, documents: [1, 5], frequencies: [1, 1] }, { fieldId: 2, documents: [1, 5, 9], frequencies: [3, 1, 2] }])
    const bytes = Buffer.from(writer.view())
    const data = LazyTermData.fromBytes(bytes, 0, bytes.length)
    expect([0, 1, 2].map(fieldId => data.fieldDocuments(fieldId))).toEqual([2, 0, 3])
    data.append(2, 12, 1)
    expect(data.fieldDocuments(2)).toBe(4)
    data.set(1, new Map([[3, 1]]))
    expect([0, 1, 2].map(fieldId => data.fieldDocuments(fieldId))).toEqual([2, 1, 4])
  })

  it('go on as a Map once one was made', () => {
    const data = loaded()
    data.get(2)
    data.append(2, 20, 7)
    expect(plain(data)).toEqual([[2, [[1, 3], [5, 1], [9, 2], [20, 7]]]])
    expect(data.isEmpty()).toBe(false)
    data.delete(2)
    expect(data.isEmpty()).toBe(true)
  })
})
