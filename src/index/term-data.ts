/**
 * One term's postings (field → document → frequency) in compact binary form, and a
 * MiniSearch term entry that keeps them in that form until first used.
 *
 * A loaded index holds ~100k terms, and a query touches a handful: decoding every posting
 * list into Maps at load would take most of the load time and several times the memory.
 * `LazyTermData` is the Map MiniSearch expects (it overrides every Map method), decoded on
 * first access into ordinary Maps, after which it is one.
 *
 * Encoding of one term: fieldCount, then per field: fieldId, n·2 + gapKind, n document-id
 * gaps, n frequencies — all varints. gapKind 0: ids ascend and gaps are plain; 1: gaps are
 * zigzag-signed (never produced by a build, accepted for safety). Insertion order is kept:
 * MiniSearch breaks score ties in it.
 */
import { ByteReader, type ByteWriter } from './byte-codec.js'
import type { FieldPostings, TermData } from './minisearch-internals.js'

/** Postings of one field as parallel lists, in insertion order. */
export interface FieldPostingLists {
  fieldId: number
  documents: number[]
  frequencies: number[]
}

export function encodePostingLists (writer: ByteWriter, fields: readonly FieldPostingLists[]): void {
  writer.uint(fields.length)
  for (const { fieldId, documents, frequencies } of fields) {
    writer.uint(fieldId)
    const ascending = isAscending(documents)
    writer.uint(documents.length * 2 + (ascending ? 0 : 1))
    let previous = 0
    for (const document of documents) {
      const gap = document - previous
      writer.uint(ascending ? gap : zigzag(gap))
      previous = document
    }
    for (const frequency of frequencies) writer.uint(frequency)
  }
}

export function encodeTermData (writer: ByteWriter, data: TermData): void {
  if (data instanceof LazyTermData) {
    const encoded = data.encoded()
    if (encoded !== undefined) return writer.raw(encoded)
  }
  const fields: FieldPostingLists[] = []
  for (const [fieldId, postings] of data) fields.push({ fieldId, documents: [...postings.keys()], frequencies: [...postings.values()] })
  encodePostingLists(writer, fields)
}

export function decodeTermData (bytes: Buffer, start: number, end: number): Array<[number, FieldPostings]> {
  const reader = new ByteReader(bytes, start, end)
  const fields: Array<[number, FieldPostings]> = []
  const fieldCount = reader.uint()
  for (let f = 0; f < fieldCount; f += 1) {
    const fieldId = reader.uint()
    const header = reader.uint()
    const count = Math.floor(header / 2)
    const signed = header % 2 === 1
    const documents = new Array<number>(count)
    let previous = 0
    for (let i = 0; i < count; i += 1) {
      const gap = reader.uint()
      previous += signed ? unzigzag(gap) : gap
      documents[i] = previous
    }
    const postings: FieldPostings = new Map()
    for (let i = 0; i < count; i += 1) postings.set(documents[i] as number, reader.uint())
    fields.push([fieldId, postings])
  }
  if (!reader.done) throw new Error('term data longer than its postings')
  return fields
}

/** MiniSearch's per-term Map (field id → postings), decoded from bytes on first use. */
export class LazyTermData extends Map<number, FieldPostings> {
  private source: Buffer | undefined
  private start = 0
  private end = 0

  static fromBytes (bytes: Buffer, start: number, end: number): LazyTermData {
    const data = new LazyTermData()
    data.source = bytes
    data.start = start
    data.end = end
    return data
  }

  /** The encoded form while it is still exact (never decoded, so never changed). */
  encoded (): Buffer | undefined {
    return this.source?.subarray(this.start, this.end)
  }

  override get (fieldId: number): FieldPostings | undefined {
    this.decode()
    return super.get(fieldId)
  }

  override has (fieldId: number): boolean {
    this.decode()
    return super.has(fieldId)
  }

  override set (fieldId: number, postings: FieldPostings): this {
    this.decode()
    return super.set(fieldId, postings)
  }

  override delete (fieldId: number): boolean {
    this.decode()
    return super.delete(fieldId)
  }

  override clear (): void {
    this.source = undefined
    super.clear()
  }

  override forEach (callback: (value: FieldPostings, key: number, map: Map<number, FieldPostings>) => void, thisArg?: unknown): void {
    this.decode()
    super.forEach(callback, thisArg)
  }

  override keys (): MapIterator<number> {
    this.decode()
    return super.keys()
  }

  override values (): MapIterator<FieldPostings> {
    this.decode()
    return super.values()
  }

  override entries (): MapIterator<[number, FieldPostings]> {
    this.decode()
    return super.entries()
  }

  override [Symbol.iterator] (): MapIterator<[number, FieldPostings]> {
    return this.entries()
  }

  private decode (): void {
    const source = this.source
    if (source === undefined) return
    this.source = undefined
    for (const [fieldId, postings] of decodeTermData(source, this.start, this.end)) super.set(fieldId, postings)
  }
}

// `size` is a property of Map in TypeScript's types, so it cannot be overridden as an accessor in the class body.
const sizeOfMap = Object.getOwnPropertyDescriptor(Map.prototype, 'size')?.get as (this: Map<unknown, unknown>) => number
Object.defineProperty(LazyTermData.prototype, 'size', {
  get (this: LazyTermData) {
    this.keys() // decodes
    return sizeOfMap.call(this)
  }
})

function isAscending (values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i += 1) if ((values[i] as number) <= (values[i - 1] as number)) return false
  return true
}

function zigzag (value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1
}

function unzigzag (value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2
}
