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
import { MemoryBytes, type ByteSource } from './byte-source.js'
import { LazyMap } from './lazy-map.js'
import { ITEMS_BETWEEN_PAUSES, runAtOnce } from './time-slicer.js'
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
  return decodePostingArrays(bytes, start, end).map(({ fieldId, documents, frequencies }) => [fieldId, postingsMap(documents, frequencies)])
}

export function decodePostingArrays (bytes: Buffer, start: number, end: number): FieldPostingArrays[] {
  return runAtOnce(decodingPostingArrays(bytes, start, end))
}

/** decodePostingArrays, yielding after every ITEMS_BETWEEN_PAUSES postings (`bytes` must stay as they are meanwhile). */
function * decodingPostingArrays (bytes: Buffer, start: number, end: number): Generator<void, FieldPostingArrays[], undefined> {
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
    for (let from = 0; from < count; from += ITEMS_BETWEEN_PAUSES) {
      if (from > 0) yield
      const to = Math.min(count, from + ITEMS_BETWEEN_PAUSES)
      for (let i = from; i < to; i += 1) {
        const gap = reader.uint()
        previous += signed ? unzigzag(gap) : gap
        documents[i] = previous
      }
    }
    for (let from = 0; from < count; from += ITEMS_BETWEEN_PAUSES) {
      if (from > 0) yield
      const to = Math.min(count, from + ITEMS_BETWEEN_PAUSES)
      for (let i = from; i < to; i += 1) frequencies[i] = reader.uint()
    }
    fields.push({ fieldId, documents, frequencies, ascending: !signed || isAscending(documents) })
    if (count > 0) yield
  }
  if (!reader.done) throw new Error('term data longer than its postings')
  return fields
}

/** Each field's document count in encoded postings (see `encodePostingLists`), read from the field headers, the postings skipped. */
function fieldCountsEncoded (bytes: Buffer, start: number, end: number): Array<{ fieldId: number, count: number }> {
  const reader = new ByteReader(bytes, start, end)
  const fields: Array<{ fieldId: number, count: number }> = []
  const fieldCount = reader.uint()
  for (let f = 0; f < fieldCount; f += 1) {
    const fieldId = reader.uint()
    const count = Math.floor(reader.uint() / 2)
    fields.push({ fieldId, count })
    if (f < fieldCount - 1) reader.skipUints(count * 2)
  }
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
  /** Per field of `arrays`, once postings were appended: the buffers its arrays view, with room to grow. */
  private growable: Array<{ documents: Uint32Array, frequencies: Uint32Array } | undefined> | undefined
  /** Where the encoded postings are (`start`..`end`), until a Map is made of them. */
  private source: ByteSource | undefined
  /** mostFieldDocuments() of the encoded postings, once counted. */
  private encodedMost: number | undefined
  private start = 0
  private end = 0

  /** The postings encoded at `start`..`end` of `source` (the index file, or a build's buffer: share one `MemoryBytes` among its terms). */
  static fromSource (source: ByteSource, start: number, end: number): LazyTermData {
    const data = new LazyTermData()
    data.source = source
    data.start = start
    data.end = end
    return data
  }

  static fromBytes (bytes: Buffer, start: number, end: number): LazyTermData {
    return LazyTermData.fromSource(new MemoryBytes(bytes), start, end)
  }

  /** The encoded form while it is still exact (never decoded or appended to, so never changed). */
  encoded (): Buffer | undefined {
    return this.map === undefined && this.growable === undefined ? this.encodedBytes() : undefined
  }

  /** The encoded postings, read from their source (a copy from a file, a view of memory). */
  private encodedBytes (): Buffer | undefined {
    return this.source?.bytesAt(this.start, this.end - this.start)
  }

  /** `use` called with the encoded postings, which it must not keep (see `ByteSource.withBytes`). */
  private withEncoded<T> (source: ByteSource, use: (bytes: Buffer) => T): T {
    return source.withBytes(this.start, this.end - this.start, use)
  }

  /**
   * The postings as typed arrays while no Map was made of them (decoded on first call, then
   * kept); undefined once the Map side has been used, after which it may have changed.
   */
  postingArrays (): readonly FieldPostingArrays[] | undefined {
    if (this.map !== undefined) return undefined
    if (this.arrays === undefined) {
      const source = this.source
      this.arrays = source === undefined ? [] : this.withEncoded(source, bytes => decodePostingArrays(bytes, 0, bytes.length))
      if (this.growable === undefined) decodedArrays.add(this, byteLengthOf(this.arrays))
    } else if (this.growable === undefined) {
      decodedArrays.used(this)
    }
    return this.arrays
  }

  /**
   * postingArrays(), decoded in pieces when they are not yet and longer than `bytesAtOnce`
   * encoded: yields between pieces. A query
   * decodes its terms this way before it reads them (search.ts): decoded where first read, a
   * frequent term held the event loop for its whole list («который», 1.2 million postings
   * at 800,000 documents: 60–80 ms).
   */
  * decodingArrays (bytesAtOnce = BYTES_DECODED_AT_ONCE): Generator<void, readonly FieldPostingArrays[] | undefined, undefined> {
    if (this.map === undefined && this.arrays === undefined && this.source !== undefined && this.end - this.start > bytesAtOnce) {
      // A copy (a file's bytes are lent for one call), kept as they are while the decoding pauses.
      const bytes = this.encodedBytes() as Buffer
      const arrays = yield * decodingPostingArrays(bytes, 0, bytes.length)
      // Meanwhile a query may have decoded them, or a change made a Map of them: what is there stays.
      if (this.map === undefined && this.arrays === undefined) {
        this.arrays = arrays
        decodedArrays.add(this, byteLengthOf(arrays))
      }
    }
    return this.postingArrays()
  }

  /**
   * Documents in the field that has the most of them (the term's document count, as
   * search plans use it). A term as loaded is counted from its encoded field headers, the
   * postings skipped, not decoded: query plans count every spelling variant of every word,
   * and decoding them to count (2 MB of arrays for a term in 250,000 documents, dropped again
   * past the decoded-arrays budget) was 270 MB of typed arrays per 300 queries at 800,000
   * documents, and a full garbage collection every few seconds.
   */
  mostFieldDocuments (): number {
    if (this.map !== undefined) {
      let most = 0
      for (const postings of this.map.values()) most = Math.max(most, postings.size)
      return most
    }
    if (this.arrays !== undefined) return this.arrays.reduce((most, field) => Math.max(most, field.documents.length), 0)
    if (this.encodedMost !== undefined) return this.encodedMost
    // Only while nothing was decoded or changed: the encoded form is then the term's postings.
    const source = this.source
    if (source === undefined) return 0
    return this.encodedMost = this.withEncoded(source, bytes => fieldCountsEncoded(bytes, 0, bytes.length).reduce((most, { count }) => Math.max(most, count), 0))
  }

  /** Documents holding the term in field `fieldId`; as loaded, counted from the encoded field headers, not decoded. */
  fieldDocuments (fieldId: number): number {
    if (this.map !== undefined) return this.map.get(fieldId)?.size ?? 0
    if (this.arrays !== undefined) return this.arrays.find(field => field.fieldId === fieldId)?.documents.length ?? 0
    const source = this.source
    return source === undefined ? 0 : this.withEncoded(source, bytes => fieldCountsEncoded(bytes, 0, bytes.length).find(field => field.fieldId === fieldId)?.count ?? 0)
  }

  /**
   * Drops the decoded arrays of a term as loaded (decoded again on next use, from the bytes);
   * false when they cannot be dropped: postings appended to them, or a Map made of them.
   */
  dropArrays (): boolean {
    if (this.growable !== undefined || this.map !== undefined || this.source === undefined) return false
    this.arrays = undefined
    return true
  }

  /** Whether no field has postings left (only a Map a vacuum emptied; the loaded form always has some). */
  isEmpty (): boolean {
    return this.map !== undefined && this.map.size === 0
  }

  /**
   * Adds the posting of a document added after every other (its short id above all), as
   * `add` would, without making the Map: the typed arrays grow instead (doubling their
   * room), so a live change to a term with a million postings costs one decode of them into
   * arrays — which search makes and keeps anyway — not a Map of a million entries. Arrays
   * handed out before stay as they were.
   */
  append (fieldId: number, shortId: number, frequency: number): void {
    const arrays = this.postingArrays()
    if (arrays === undefined) {
      let postings = this.get(fieldId)
      if (postings === undefined) this.set(fieldId, postings = new Map())
      postings.set(shortId, frequency)
      return
    }
    // A new list each time: a list handed out before (to a query) stays as it was.
    const fields = [...arrays]
    if (this.growable === undefined) decodedArrays.forget(this)
    const growable = this.growable ??= []
    let at = fields.findIndex(field => field.fieldId === fieldId)
    if (at === -1) {
      fields.push({ fieldId, documents: new Uint32Array(0), frequencies: new Uint32Array(0), ascending: true })
      at = fields.length - 1
    }
    const field = fields[at] as FieldPostingArrays
    const count = field.documents.length
    let buffers = growable[at]
    if (buffers === undefined || buffers.documents.length === count) {
      const room = Math.max(4, count * 2)
      buffers = { documents: new Uint32Array(room), frequencies: new Uint32Array(room) }
      buffers.documents.set(field.documents)
      buffers.frequencies.set(field.frequencies)
      growable[at] = buffers
    }
    buffers.documents[count] = shortId
    buffers.frequencies[count] = frequency
    fields[at] = {
      fieldId,
      documents: buffers.documents.subarray(0, count + 1),
      frequencies: buffers.frequencies.subarray(0, count + 1),
      ascending: field.ascending && (count === 0 || shortId > (field.documents[count - 1] as number))
    }
    this.arrays = fields
  }

  protected decoded (): TermData {
    if (this.map !== undefined) return this.map
    const { arrays, source } = this
    decodedArrays.forget(this)
    this.source = undefined
    this.arrays = undefined
    this.growable = undefined
    if (arrays !== undefined) {
      this.map = new Map(arrays.map(({ fieldId, documents, frequencies }) => [fieldId, postingsMap(documents, frequencies)]))
    } else {
      this.map = new Map(source === undefined ? [] : this.withEncoded(source, bytes => decodeTermData(bytes, 0, bytes.length)))
    }
    return this.map
  }
}

function byteLengthOf (fields: readonly FieldPostingArrays[]): number {
  let bytes = 0
  for (const { documents, frequencies } of fields) bytes += documents.byteLength + frequencies.byteLength
  return bytes
}

/**
 * The loaded terms whose posting arrays are decoded, least recently used first, and their
 * bytes: past `DECODED_ARRAYS_BUDGET` the least recently used are dropped (decoded again
 * when next needed). Every term a query touched kept its arrays before; on a large archive a
 * frequent term's take megabytes, and a server grew with every new query word.
 */
class DecodedArrays {
  private readonly entries = new Map<LazyTermData, number>()
  private bytes = 0

  constructor (private readonly budget: number) {}

  add (data: LazyTermData, bytes: number): void {
    this.entries.set(data, bytes)
    this.bytes += bytes
    if (this.bytes > this.budget) this.evict()
  }

  /** Marks `data` as the most recently used (a Map keeps insertion order). */
  used (data: LazyTermData): void {
    const bytes = this.entries.get(data)
    if (bytes === undefined) return
    this.entries.delete(data)
    this.entries.set(data, bytes)
  }

  forget (data: LazyTermData): void {
    const bytes = this.entries.get(data)
    if (bytes === undefined) return
    this.entries.delete(data)
    this.bytes -= bytes
  }

  private evict (): void {
    for (const [data, bytes] of this.entries) {
      if (this.bytes <= this.budget * EVICT_TO) break
      this.entries.delete(data)
      this.bytes -= bytes
      data.dropArrays()
    }
  }
}

/** Encoded postings decoded in one piece by `decodingArrays`: about ITEMS_BETWEEN_PAUSES postings (a posting is 2–3 bytes). */
const BYTES_DECODED_AT_ONCE = ITEMS_BETWEEN_PAUSES * 2

/** Bytes of decoded posting arrays kept in all (per process), and the share kept after an eviction. */
const DECODED_ARRAYS_BUDGET = 192 * 1024 * 1024
const EVICT_TO = 0.75
const decodedArrays = new DecodedArrays(DECODED_ARRAYS_BUDGET)

function postingsMap (documents: Uint32Array, frequencies: Uint32Array): FieldPostings {
  const postings: FieldPostings = new Map()
  for (let i = 0; i < documents.length; i += 1) postings.set(documents[i] as number, frequencies[i] as number)
  return postings
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
