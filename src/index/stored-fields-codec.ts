/**
 * MiniSearch's stored fields (per document: title, url, tags, …) in the index file, in a
 * form that loads with few allocations and no JSON parse per document.
 *
 * - Strings seen more than once (tags above all, kinds, sources) are written once, in a
 *   column like the one below, and referred to by number: loading reads each once and
 *   documents share it.
 * - Every other string of a field (titles, urls) is part of that field's column of text,
 *   in pieces of up to 32k characters (Latin-1 when ASCII, else UTF-16: both decode at
 *   memory speed, where UTF-8 of a megabyte of Cyrillic took 30 ms). A record holds its
 *   text's location, counted from the pieces' sizes, and a text is decoded when asked for,
 *   from the file: loading decodes no text, and a loaded build of 800,000 documents does not
 *   keep 250 MB of titles and urls on the heap (as decoded pieces, it did).
 * - Non-negative integers are varints, lists of those values lists; anything else (other
 *   numbers, nested objects, null, booleans, strings with lone surrogates) is JSON.
 *
 * Decoding gives exactly what `JSON.parse(JSON.stringify(fields))` gave, key order included,
 * except that equal lists of shared strings (tags) are one frozen array: stored fields are
 * read, never changed. A loading build reads the records into LoadedStoredFields (compact,
 * no object per document) rather than decoding them to objects.
 */
import { ByteReader, ByteWriter } from './byte-codec.js'
import { MemoryBytes, type ByteSource } from './byte-source.js'
import { mixHash, SharedArrays } from './shared-arrays.js'

type Fields = Record<string, unknown>
type Simple = string | number
/** A field as written: its key's number and value, or the value's JSON when it is not simple. */
type Entry = [keyId: number, value: unknown, json: string | undefined]

const SHARED = 0
const TEXT = 1
const UINT = 2
const LIST = 3
const JSON_VALUE = 4
/** In a loaded record only (LoadedStoredFields): the value is in its key's hot column. */
const HOT = 5
/** A column piece's size in UTF-16 code units: decoding one is well under a millisecond. */
const PIECE_CHARS = 32 * 1024
/** A text's location in its column is its piece's number × this + where in the piece it starts. */
const PIECE_SPAN = 2 * PIECE_CHARS

/**
 * Plans the tables and columns from every document's stored fields, in the order the
 * records will be written, then writes them and each document's record.
 */
export class StoredFieldsEncoder {
  private readonly keys = new Map<string, number>()
  private readonly shared = new Map<string, number>()
  private readonly columns: string[][] = []
  private readonly written: number[] = []

  constructor (inWriteOrder: ReadonlyArray<object | undefined>) {
    const seen = new Set<string>()
    const count = (text: string): void => {
      if (!seen.has(text)) seen.add(text)
      else if (!this.shared.has(text)) this.shared.set(text, this.shared.size)
    }
    for (const fields of inWriteOrder) {
      if (fields === undefined) continue
      for (const key of Object.keys(fields)) {
        if (!this.keys.has(key)) {
          this.keys.set(key, this.keys.size)
          this.columns.push([])
          this.written.push(0)
        }
      }
      for (const [, value, json] of this.entries(fields)) if (json === undefined) forEachText(value, count)
    }
    for (const fields of inWriteOrder) {
      if (fields === undefined) continue
      for (const [keyId, value, json] of this.entries(fields)) {
        if (json === undefined) forEachText(value, text => { if (!this.shared.has(text)) this.columns[keyId]?.push(text) })
      }
    }
  }

  writeTables (writer: ByteWriter): void {
    writer.uint(this.keys.size)
    for (const key of this.keys.keys()) writer.string(key)
    writer.uint(this.shared.size)
    for (const text of this.shared.keys()) writer.uint(text.length)
    writeColumn(writer, [...this.shared.keys()])
    for (const column of this.columns) writeColumn(writer, column)
  }

  /** One document's record: 0 for none, else the number of fields + 1 and per field its key and value. */
  write (writer: ByteWriter, fields: object | undefined): void {
    if (fields === undefined) return writer.uint(0)
    const entries = this.entries(fields)
    writer.uint(entries.length + 1)
    for (const [keyId, value, json] of entries) {
      writer.uint(keyId)
      if (json !== undefined) {
        writer.uint(JSON_VALUE)
        writer.string(json)
      } else if (Array.isArray(value)) {
        writer.uint(LIST)
        writer.uint(value.length)
        for (const item of value as Simple[]) this.writeSimple(writer, keyId, item)
      } else {
        this.writeSimple(writer, keyId, value as Simple)
      }
    }
  }

  private entries (fields: object): Entry[] {
    const entries: Entry[] = []
    for (const [key, value] of Object.entries(fields)) {
      const keyId = this.keys.get(key)
      if (keyId === undefined) throw new Error(`stored field ${key} was not planned`)
      if (isSimple(value) || isSimpleList(value)) {
        entries.push([keyId, value, undefined])
        continue
      }
      const json = JSON.stringify(value) as string | undefined
      if (json !== undefined) entries.push([keyId, value, json]) // JSON drops what it cannot write (undefined, functions)
    }
    return entries
  }

  private writeSimple (writer: ByteWriter, keyId: number, value: Simple): void {
    if (typeof value === 'number') {
      writer.uint(UINT)
      writer.uint(value)
      return
    }
    const sharedId = this.shared.get(value)
    if (sharedId !== undefined) {
      writer.uint(SHARED)
      writer.uint(sharedId)
      return
    }
    const at = this.written[keyId] as number
    if (this.columns[keyId]?.[at] !== value) throw new Error('stored fields written in another order than planned')
    this.written[keyId] = at + 1
    writer.uint(TEXT)
    writer.uint(value.length)
  }
}

/** Reads the tables once, then each document's record. */
export class StoredFieldsDecoder {
  private readonly sharedLists = new SharedArrays<unknown>()

  private readonly keyIds: Map<string, number>

  private constructor (readonly keys: readonly string[], private readonly shared: string[], private readonly columns: ColumnReader[]) {
    this.keyIds = new Map(keys.map((key, keyId) => [key, keyId]))
  }

  /**
   * The tables at the reader's position. The fields' texts are read when asked for, from
   * `source` (the file the reader's bytes came from: a loaded build keeps its 800,000 titles
   * and urls in the file, not as 250 MB of strings on the heap), by default from the reader's bytes.
   */
  static readTables (reader: ByteReader, source: ByteSource = new MemoryBytes(reader.bytes)): StoredFieldsDecoder {
    const keys = readStrings(reader, reader.uint())
    const lengths = new Array<number>(reader.uint())
    for (let i = 0; i < lengths.length; i += 1) lengths[i] = reader.uint()
    // Shared strings are all decoded now, from the bytes at hand.
    const sharedColumn = ColumnReader.read(reader, new MemoryBytes(reader.bytes))
    const shared = lengths.map(length => sharedColumn.next(length))
    return new StoredFieldsDecoder(keys, shared, keys.map(() => ColumnReader.read(reader, source)))
  }

  read (reader: ByteReader): Fields | undefined {
    const size = reader.uint()
    if (size === 0) return undefined
    const fields: Fields = {}
    for (let i = 1; i < size; i += 1) {
      const keyId = reader.uint()
      fields[this.keyOf(keyId)] = this.readValue(reader, keyId, reader.uint())
    }
    return fields
  }

  /** A table for a loaded build's records, read into it with `LoadedStoredFields#read`. */
  loadedFields (capacity: number, hotKeys: readonly string[]): LoadedStoredFields {
    return new LoadedStoredFields(this, capacity, hotKeys)
  }

  keyOf (keyId: number): string {
    const key = this.keys[keyId]
    if (key === undefined) throw new Error('stored field with an unknown key')
    return key
  }

  /** The key's number, -1 when no document of the file has it. */
  keyIdOf (key: string): number {
    return this.keyIds.get(key) ?? -1
  }

  /** A field's value of `kind`, as written by the encoder. */
  readValue (reader: ByteReader, keyId: number, kind: number): unknown {
    if (kind === LIST) return this.readList(reader, keyId)
    if (kind === JSON_VALUE) return JSON.parse(reader.string())
    return this.readSimple(reader, keyId, kind)
  }

  sharedString (sharedId: number): string {
    const text = this.shared[sharedId]
    if (text === undefined) throw new Error('stored field with an unknown shared string')
    return text
  }

  column (keyId: number): ColumnReader {
    return this.columns[keyId] as ColumnReader
  }

  /** A list; one of shared strings only (a document's tags) is shared with every document of the same list (shared-arrays.ts). */
  private readList (reader: ByteReader, keyId: number): unknown[] {
    const list = new Array<unknown>(reader.uint())
    let onlyShared = true
    let hash = list.length
    for (let item = 0; item < list.length; item += 1) {
      const kind = reader.uint()
      if (kind === SHARED) {
        const sharedId = reader.uint()
        hash = mixHash(hash, sharedId)
        list[item] = this.sharedString(sharedId)
      } else {
        onlyShared = false
        list[item] = this.readSimple(reader, keyId, kind)
      }
    }
    return onlyShared ? this.sharedLists.shared(list, hash) : list
  }

  private readSimple (reader: ByteReader, keyId: number, kind: number): Simple {
    if (kind === SHARED) return this.sharedString(reader.uint())
    if (kind === TEXT) return this.column(keyId).next(reader.uint())
    if (kind === UINT) return reader.uint()
    throw new Error(`stored field of unknown kind ${kind}`)
  }
}

/**
 * A loaded build's stored fields without an object per document. At 800,000 documents the
 * objects (and a title and url slice each) were two thirds of what every full collection
 * marked. Here a document is a compact record in one byte buffer: its fields in the file's
 * order, texts by their location in their column, shared strings by number. `hotKeys`
 * (what filters, facets and date order read for every match) are kept besides as values in
 * arrays by short id, so that reading one costs no decoding. `fields` builds a document's
 * object when asked, exactly as `StoredFieldsDecoder#read` would.
 */
export class LoadedStoredFields {
  /** The records while loading; then `bytes`, trimmed. */
  private records: ByteWriter | undefined
  private bytes: Buffer | undefined
  /** By short id: where its record starts in `records`, + 1 (0: none). */
  private readonly recordAt: Uint32Array
  /** By key id, for keys that have text: by short id, where the document's text lies in the column. */
  private readonly textAt: Array<Uint32Array | undefined>
  /** By key id, for hot keys: values by short id. */
  private readonly hotValues: Array<unknown[] | undefined>
  /** By key id, for hot keys: how many documents have a value. */
  private readonly hotCounts: number[]
  /** Lists of keys that are not hot (rare: tags are hot), by number. */
  private readonly lists: unknown[] = []
  private count = 0

  constructor (private readonly decoder: StoredFieldsDecoder, capacity: number, hotKeys: readonly string[]) {
    this.records = new ByteWriter(Math.max(1 << 16, capacity * 32))
    this.recordAt = new Uint32Array(capacity)
    this.textAt = decoder.keys.map(() => undefined)
    this.hotValues = decoder.keys.map(key => hotKeys.includes(key) ? [] : undefined)
    this.hotCounts = decoder.keys.map(() => 0)
  }

  get size (): number {
    return this.count
  }

  /** Reads the next record of the file into the table, for `shortId`. */
  read (reader: ByteReader, shortId: number): void {
    const size = reader.uint()
    if (size === 0) return
    if (shortId >= this.recordAt.length) throw new Error(`stored fields of short id ${shortId}, past the table's ${this.recordAt.length}`)
    if (this.recordAt[shortId] !== 0) this.remove(shortId)
    const records = this.writer()
    this.recordAt[shortId] = records.length + 1
    records.uint(size)
    for (let i = 1; i < size; i += 1) {
      const keyId = reader.uint()
      this.decoder.keyOf(keyId)
      records.uint(keyId)
      this.readValue(reader, keyId, reader.uint(), shortId, records)
    }
    this.count += 1
  }

  /** Ends the load: the records are trimmed to their size. */
  loaded (): void {
    this.bytes = Buffer.from(this.writer().view())
    this.records = undefined
  }

  has (shortId: number): boolean {
    return (this.recordAt[shortId] ?? 0) !== 0
  }

  /** Forgets a document's fields; whether it had any. */
  remove (shortId: number): boolean {
    if (!this.has(shortId)) return false
    this.recordAt[shortId] = 0
    this.hotValues.forEach((values, keyId) => {
      if (values === undefined || values[shortId] === undefined) return
      values[shortId] = undefined
      this.hotCounts[keyId] = (this.hotCounts[keyId] as number) - 1
    })
    this.count -= 1
    return true
  }

  clear (): void {
    for (let shortId = 0; shortId < this.recordAt.length; shortId += 1) this.remove(shortId)
  }

  /** The short ids that have fields, ascending. */
  * shortIds (): Generator<number> {
    for (let shortId = 0; shortId < this.recordAt.length; shortId += 1) if (this.recordAt[shortId] !== 0) yield shortId
  }

  /** A new object of the document's fields, or undefined. */
  fields (shortId: number): Fields | undefined {
    const reader = this.recordOf(shortId)
    if (reader === undefined) return undefined
    const fields: Fields = {}
    for (let size = reader.uint(); size > 1; size -= 1) {
      const keyId = reader.uint()
      fields[this.decoder.keyOf(keyId)] = this.valueAt(reader, keyId, shortId)
    }
    return fields
  }

  /** Whether some document has a value for hot key `key`; undefined when `key` is not hot. */
  someHot (key: string): boolean | undefined {
    const keyId = this.decoder.keyIdOf(key)
    if (keyId < 0) return false // no document of the file has it
    return this.hotValues[keyId] === undefined ? undefined : (this.hotCounts[keyId] as number) > 0
  }

  /** The document's hot fields (those it has), as an object of their own: what filters and facets read of every match. */
  hotFields (shortId: number): Fields {
    const fields: Fields = {}
    this.hotValues.forEach((values, keyId) => {
      const value = values?.[shortId]
      if (value !== undefined) fields[this.decoder.keyOf(keyId)] = value
    })
    return fields
  }

  /** One field's value (undefined when the document has none), without building the document's object. */
  fieldOf (shortId: number, key: string): unknown {
    const wanted = this.decoder.keyIdOf(key)
    if (wanted < 0) return undefined // no document of the file has it
    const hot = this.hotValues[wanted]
    if (hot !== undefined) return hot[shortId]
    const reader = this.recordOf(shortId)
    if (reader === undefined) return undefined
    for (let size = reader.uint(); size > 1; size -= 1) {
      const keyId = reader.uint()
      if (keyId === wanted) return this.valueAt(reader, keyId, shortId)
      this.skipValue(reader)
    }
    return undefined
  }

  /**
   * Has the source read the texts of these documents' fields (titles, urls) ahead of their
   * reads, off the event loop: a search that is about to read many of them (a phrase check)
   * then does not hold the loop while each waits on the disk.
   */
  async warmTexts (shortIds: Iterable<number>): Promise<void> {
    const reads: Array<Promise<void>> = []
    for (const shortId of shortIds) {
      const reader = this.recordOf(shortId)
      if (reader === undefined) continue
      for (let size = reader.uint(); size > 1; size -= 1) {
        const keyId = reader.uint()
        const kind = reader.uint()
        if (kind === TEXT) reads.push(this.decoder.column(keyId).warm((this.textAt[keyId] as Uint32Array)[shortId] as number, reader.uint()))
        else skipValueOfKind(reader, kind)
      }
    }
    await Promise.all(reads)
  }

  private recordOf (shortId: number): ByteReader | undefined {
    const at = this.recordAt[shortId] ?? 0
    return at === 0 ? undefined : new ByteReader(this.bytes ?? this.writer().view(), at - 1)
  }

  private writer (): ByteWriter {
    if (this.records === undefined) throw new Error('stored fields read into a table after its load ended')
    return this.records
  }

  /** Reads a value from the file and writes what the record keeps of it. */
  private readValue (reader: ByteReader, keyId: number, kind: number, shortId: number, records: ByteWriter): void {
    const hot = this.hotValues[keyId]
    if (hot !== undefined) {
      while (hot.length < shortId) hot.push(undefined)
      // Frozen: every read of the document gets this same value.
      hot[shortId] = deepFreeze(this.decoder.readValue(reader, keyId, kind))
      if (hot[shortId] !== undefined) this.hotCounts[keyId] = (this.hotCounts[keyId] as number) + 1
      records.uint(HOT)
    } else if (kind === TEXT) {
      const length = reader.uint()
      const locations = (this.textAt[keyId] ??= new Uint32Array(this.recordAt.length))
      locations[shortId] = this.decoder.column(keyId).locate(length)
      records.uint(TEXT)
      records.uint(length)
    } else if (kind === LIST) {
      this.lists.push(this.decoder.readValue(reader, keyId, kind))
      records.uint(LIST)
      records.uint(this.lists.length - 1)
    } else if (kind === JSON_VALUE) {
      records.uint(JSON_VALUE)
      records.string(reader.string())
    } else if (kind === SHARED || kind === UINT) {
      records.uint(kind)
      records.uint(reader.uint())
    } else {
      throw new Error(`stored field of unknown kind ${kind}`)
    }
  }

  /** A value as the record keeps it (see `readValue`). */
  private valueAt (reader: ByteReader, keyId: number, shortId: number): unknown {
    const kind = reader.uint()
    if (kind === HOT) return (this.hotValues[keyId] as unknown[])[shortId]
    if (kind === TEXT) return this.decoder.column(keyId).textAt((this.textAt[keyId] as Uint32Array)[shortId] as number, reader.uint())
    if (kind === LIST) {
      const list = this.lists[reader.uint()] as unknown[]
      return Object.isFrozen(list) ? list : [...list]
    }
    if (kind === JSON_VALUE) return JSON.parse(reader.string())
    if (kind === SHARED) return this.decoder.sharedString(reader.uint())
    return reader.uint()
  }

  private skipValue (reader: ByteReader): void {
    skipValueOfKind(reader, reader.uint())
  }
}

/** Passes a record's value whose kind was just read. */
function skipValueOfKind (reader: ByteReader, kind: number): void {
  if (kind === HOT) return
  if (kind === JSON_VALUE) reader.skip(reader.uint())
  else reader.skipUints(1)
}

/**
 * One field's column: where its pieces lie. Locations are counted from the pieces' sizes as
 * records reach them; a text is decoded from its source when asked for (`textAt`).
 */
class ColumnReader {
  /** The piece being passed, its length in characters, and how far into it. */
  private piece = -1
  private pieceChars = 0
  private at = 0

  private constructor (private readonly source: ByteSource, private readonly pieces: number[]) {}

  /** Notes where the column's pieces lie (start, end, ascii) and skips them. */
  static read (reader: ByteReader, source: ByteSource): ColumnReader {
    const pieces: number[] = []
    for (let count = reader.uint(); count > 0; count -= 1) {
      const header = reader.uint()
      const start = reader.position
      reader.skip(Math.floor(header / 2))
      pieces.push(start, reader.position, header % 2)
    }
    return new ColumnReader(source, pieces)
  }

  /** The next `length` characters: from this piece, or the next one when this one is used up (the writer's rule). */
  next (length: number): string {
    return this.textAt(this.locate(length), length)
  }

  /** Where the next `length` characters lie (piece × PIECE_SPAN + start), passing them. */
  locate (length: number): number {
    if (this.at + length > this.pieceChars) {
      const next = (this.piece + 1) * 3
      const start = this.pieces[next]
      if (start === undefined) throw new Error('stored field past the end of its column')
      this.piece += 1
      this.pieceChars = ((this.pieces[next + 1] as number) - start) / (this.pieces[next + 2] === 1 ? 1 : 2)
      this.at = 0
      if (length > this.pieceChars) throw new Error('stored field longer than its piece')
    }
    // A text starts at most PIECE_CHARS into its piece (piecesOf), and no column has PIECE_SPAN pieces before 2^31 characters.
    if (this.piece >= PIECE_SPAN) throw new Error('stored field column of more than 65,536 pieces')
    const location = this.piece * PIECE_SPAN + this.at
    this.at += length
    return location
  }

  /** The `length` characters at `location` (from `locate`), decoded from the source. */
  textAt (location: number, length: number): string {
    if (length === 0) return ''
    const { start, bytes, ascii } = this.rangeOf(location, length)
    return this.source.withBytes(start, bytes, read => read.toString(ascii ? 'latin1' : 'utf16le'))
  }

  /** Has the source read the text at `location` ahead of `textAt` (ByteSource.warm). */
  async warm (location: number, length: number): Promise<void> {
    const { start, bytes } = this.rangeOf(location, length)
    await this.source.warm(start, bytes)
  }

  private rangeOf (location: number, length: number): { start: number, bytes: number, ascii: boolean } {
    const piece = Math.floor(location / PIECE_SPAN) * 3
    const ascii = this.pieces[piece + 2] === 1
    const width = ascii ? 1 : 2
    return { start: (this.pieces[piece] as number) + (location % PIECE_SPAN) * width, bytes: length * width, ascii }
  }
}

function deepFreeze (value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  for (const item of Object.values(value)) deepFreeze(item)
  return Object.freeze(value)
}

function readStrings (reader: ByteReader, count: number): string[] {
  const strings = new Array<string>(count)
  for (let i = 0; i < count; i += 1) strings[i] = reader.string()
  return strings
}

function forEachText (value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value)
  else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') visit(item)
}

/** Texts read back in order by `ColumnReader.next`: the pieces, each Latin-1 when ASCII, else UTF-16. */
function writeColumn (writer: ByteWriter, texts: readonly string[]): void {
  const pieces = piecesOf(texts)
  writer.uint(pieces.length)
  for (const piece of pieces) {
    const ascii = ASCII.test(piece)
    const bytes = Buffer.from(piece, ascii ? 'latin1' : 'utf16le')
    writer.uint(bytes.length * 2 + (ascii ? 1 : 0))
    writer.raw(bytes)
  }
}

/** A column's texts in pieces: a new piece when the next text would take this one past PIECE_CHARS. */
function piecesOf (texts: readonly string[]): string[] {
  const pieces: string[] = []
  let piece: string[] = []
  let chars = 0
  for (const text of texts) {
    if (chars > 0 && chars + text.length > PIECE_CHARS) {
      pieces.push(piece.join(''))
      piece = []
      chars = 0
    }
    piece.push(text)
    chars += text.length
  }
  if (chars > 0 || piece.length > 0) pieces.push(piece.join(''))
  return pieces
}

const ASCII = /^[\x00-\x7f]*$/

/** A lone surrogate would not survive UTF-8: such strings go as JSON, which escapes it. */
const LONE_SURROGATE = /\p{Cs}/u

function isSimple (value: unknown): value is Simple {
  if (typeof value === 'string') return !LONE_SURROGATE.test(value)
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function isSimpleList (value: unknown): value is Simple[] {
  return Array.isArray(value) && value.every(isSimple)
}
