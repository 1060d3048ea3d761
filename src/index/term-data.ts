/**
 * One term's postings (field → document → frequency) in compact binary form, and a
 * MiniSearch term entry that keeps them in that form until first used.
 *
 * A loaded index holds ~100k terms, and a query touches a handful: decoding every posting
 * list into Maps at load would take most of the load time and several times the memory.
 * `LazyTermData` is the Map MiniSearch expects (it overrides every Map method), decoded on
 * first access into ordinary Maps, after which it is one. Search reads a loaded term's
 * postings as typed arrays instead (`postingArrays`), which leaves it encoded.
 *
 * Encoding of one term: fieldCount, then per field: fieldId, n·2 + gapKind, n document-id
 * gaps, n frequencies — all varints. gapKind 0: ids ascend and gaps are plain; 1: gaps are
 * zigzag-signed (never produced by a build, accepted for safety). Insertion order is kept:
 * MiniSearch breaks score ties in it.
 */
import { ByteReader, type ByteWriter } from './byte-codec.js'
import { LazyMap } from './lazy-map.js'
import type { FieldPostings, TermData } from './minisearch-internals.js'

/** Postings of one field as parallel lists, in insertion order. */
export interface FieldPostingLists {
  fieldId: number
  documents: number[]
  frequencies: number[]
}

/** Postings of one field as typed arrays, in insertion order (`ascending`: by document id too). */
export interface FieldPostingArrays {
  fieldId: number
  documents: Uint32Array
  frequencies: Uint32Array
  ascending: boolean
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
  return decodePostingArrays(bytes, start, end).map(({ fieldId, documents, frequencies }) => {
    const postings: FieldPostings = new Map()
    for (let i = 0; i < documents.length; i += 1) postings.set(documents[i] as number, frequencies[i] as number)
    return [fieldId, postings]
  })
}

export function decodePostingArrays (bytes: Buffer, start: number, end: number): FieldPostingArrays[] {
  const reader = new ByteReader(bytes, start, end)
  const fields: FieldPostingArrays[] = []
  const fieldCount = reader.uint()
  for (let f = 0; f < fieldCount; f += 1) {
    const fieldId = reader.uint()
    const header = reader.uint()
    const count = Math.floor(header / 2)
    const signed = header % 2 === 1
    const documents = new Uint32Array(count)
    const frequencies = new Uint32Array(count)
    let previous = 0
    for (let i = 0; i < count; i += 1) {
      const gap = reader.uint()
      previous += signed ? unzigzag(gap) : gap
      documents[i] = previous
    }
    for (let i = 0; i < count; i += 1) frequencies[i] = reader.uint()
    fields.push({ fieldId, documents, frequencies, ascending: !signed || isAscending(documents) })
  }
  if (!reader.done) throw new Error('term data longer than its postings')
  return fields
}

/** A document's frequency in one field's posting arrays; 0 when absent. */
export function frequencyOf ({ documents, frequencies, ascending }: FieldPostingArrays, shortId: number): number {
  if (!ascending) {
    const at = documents.indexOf(shortId)
    return at === -1 ? 0 : frequencies[at] as number
  }
  let low = 0
  let high = documents.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const document = documents[middle] as number
    if (document === shortId) return frequencies[middle] as number
    if (document < shortId) low = middle + 1
    else high = middle - 1
  }
  return 0
}

/**
 * MiniSearch's per-term Map (field id → postings), a `LazyMap`: it holds the bytes until
 * first used, then a real Map it delegates to. Search reads the bytes as typed arrays
 * (`postingArrays`) without making the Map.
 */
export class LazyTermData extends LazyMap<number, FieldPostings> {
  private map: TermData | undefined
  private arrays: FieldPostingArrays[] | undefined
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
    return this.map === undefined ? this.source?.subarray(this.start, this.end) : undefined
  }

  /**
   * The postings as typed arrays while the term is as loaded (decoded on first call, then
   * kept); undefined once the Map side has been used, after which it may have changed.
   */
  postingArrays (): readonly FieldPostingArrays[] | undefined {
    if (this.map !== undefined) return undefined
    this.arrays ??= this.source === undefined ? [] : decodePostingArrays(this.source, this.start, this.end)
    return this.arrays
  }

  protected decoded (): TermData {
    if (this.map !== undefined) return this.map
    const source = this.source
    this.source = undefined
    this.arrays = undefined
    this.map = new Map(source === undefined ? [] : decodeTermData(source, this.start, this.end))
    return this.map
  }
}

function isAscending (values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i += 1) if ((values[i] as number) <= (values[i - 1] as number)) return false
  return true
}

function zigzag (value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1
}

function unzigzag (value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2
}
