/**
 * MiniSearch's stored fields (per document: title, url, tags, …) in the index file, in a
 * form that loads with few allocations and no JSON parse per document.
 *
 * - Strings seen more than once (tags above all, kinds, sources) are written once, in a
 *   column like the one below, and referred to by number: loading reads each once and
 *   documents share it.
 * - Every other string of a field (titles, urls) is part of that field's column of text,
 *   in pieces of up to 32k characters (Latin-1 when ASCII, else UTF-16: both decode at
 *   memory speed, where UTF-8 of a megabyte of Cyrillic took 30 ms); a document's value is
 *   a slice of its piece (V8 keeps a slice as a pointer into the piece, not a copy), so
 *   loading thousands of titles is a few decodes and no per-title copy for the garbage
 *   collector to move. Pieces are decoded as the records reach them, so no single step
 *   of the load decodes much.
 * - Non-negative integers are varints, lists of those values lists; anything else (other
 *   numbers, nested objects, null, booleans, strings with lone surrogates) is JSON.
 *
 * Decoding gives exactly what `JSON.parse(JSON.stringify(fields))` gave, key order included,
 * except that equal lists of shared strings (tags) are one frozen array: stored fields are
 * read, never changed.
 */
import type { ByteReader, ByteWriter } from './byte-codec.js'
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
/** A column piece's size in UTF-16 code units: decoding one is well under a millisecond. */
const PIECE_CHARS = 32 * 1024

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

  private constructor (private readonly keys: string[], private readonly shared: string[], private readonly columns: ColumnReader[]) {}

  static readTables (reader: ByteReader): StoredFieldsDecoder {
    const keys = readStrings(reader, reader.uint())
    const lengths = new Array<number>(reader.uint())
    for (let i = 0; i < lengths.length; i += 1) lengths[i] = reader.uint()
    const sharedColumn = ColumnReader.read(reader)
    const shared = lengths.map(length => sharedColumn.next(length))
    return new StoredFieldsDecoder(keys, shared, keys.map(() => ColumnReader.read(reader)))
  }

  read (reader: ByteReader): Fields | undefined {
    const size = reader.uint()
    if (size === 0) return undefined
    const fields: Fields = {}
    for (let i = 1; i < size; i += 1) {
      const keyId = reader.uint()
      const key = this.keys[keyId]
      if (key === undefined) throw new Error('stored field with an unknown key')
      const kind = reader.uint()
      if (kind === LIST) {
        fields[key] = this.readList(reader, keyId)
      } else if (kind === JSON_VALUE) {
        fields[key] = JSON.parse(reader.string())
      } else {
        fields[key] = this.readSimple(reader, keyId, kind)
      }
    }
    return fields
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

  private sharedString (sharedId: number): string {
    const text = this.shared[sharedId]
    if (text === undefined) throw new Error('stored field with an unknown shared string')
    return text
  }

  private readSimple (reader: ByteReader, keyId: number, kind: number): Simple {
    if (kind === SHARED) return this.sharedString(reader.uint())
    if (kind === TEXT) return (this.columns[keyId] as ColumnReader).next(reader.uint())
    if (kind === UINT) return reader.uint()
    throw new Error(`stored field of unknown kind ${kind}`)
  }
}

/** One field's column: where its pieces lie, and the piece being read. */
class ColumnReader {
  private piece = ''
  private at = 0
  private nextPiece = 0

  private constructor (private readonly bytes: Buffer, private readonly pieces: number[]) {}

  /** Notes where the column's pieces lie (start, end, ascii) and skips them. */
  static read (reader: ByteReader): ColumnReader {
    const pieces: number[] = []
    for (let count = reader.uint(); count > 0; count -= 1) {
      const header = reader.uint()
      const start = reader.position
      reader.skip(Math.floor(header / 2))
      pieces.push(start, reader.position, header % 2)
    }
    return new ColumnReader(reader.bytes, pieces)
  }

  /** The next `length` characters: from this piece, or the next one when this one is used up (the writer's rule). */
  next (length: number): string {
    if (this.at + length > this.piece.length) {
      const start = this.pieces[this.nextPiece]
      if (start === undefined) throw new Error('stored field past the end of its column')
      const end = this.pieces[this.nextPiece + 1] as number
      this.piece = this.bytes.toString(this.pieces[this.nextPiece + 2] === 1 ? 'latin1' : 'utf16le', start, end)
      this.nextPiece += 3
      this.at = 0
      if (length > this.piece.length) throw new Error('stored field longer than its piece')
    }
    const text = this.piece.substring(this.at, this.at + length)
    this.at += length
    return text
  }
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
