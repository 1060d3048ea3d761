/**
 * MiniSearch's stored fields (per document: title, url, tags, …) in the index file, in a
 * form that loads without a JSON parse per document. Most of their bytes are values that
 * repeat across documents — tags above all, but also kinds and sources — so each string
 * seen more than once is written once in a table and referred to by number: loading
 * decodes it once and every document shares the one string. Other strings are UTF-8,
 * non-negative integers varints, lists of those lists; anything else (other numbers,
 * nested objects, null, booleans) is JSON. Decoding gives exactly what `JSON.parse` of
 * `JSON.stringify(fields)` gave, key order included.
 */
import type { ByteReader, ByteWriter } from './byte-codec.js'

type Fields = Record<string, unknown>

const SHARED = 0
const TEXT = 1
const UINT = 2
const LIST = 3
const JSON_VALUE = 4

/** Plans the tables from every document's stored fields, then writes them and each document's record. */
export class StoredFieldsEncoder {
  private readonly keys = new Map<string, number>()
  private readonly shared = new Map<string, number>()

  constructor (all: Iterable<object | undefined>) {
    const seen = new Map<string, boolean>()
    const count = (text: string): void => {
      const repeated = seen.get(text)
      if (repeated === undefined) seen.set(text, false)
      else if (!repeated) {
        seen.set(text, true)
        this.shared.set(text, this.shared.size)
      }
    }
    for (const fields of all) {
      if (fields === undefined) continue
      for (const [key, value] of Object.entries(fields)) {
        if (!this.keys.has(key)) this.keys.set(key, this.keys.size)
        if (typeof value === 'string') count(value)
        else if (isSimpleList(value)) for (const item of value) if (typeof item === 'string') count(item)
      }
    }
  }

  writeTables (writer: ByteWriter): void {
    writer.uint(this.keys.size)
    for (const key of this.keys.keys()) writer.string(key)
    writer.uint(this.shared.size)
    for (const text of this.shared.keys()) writer.string(text)
  }

  /** One document's record: 0 for none, else the number of fields + 1 and per field its key and value. */
  write (writer: ByteWriter, fields: object | undefined): void {
    if (fields === undefined) return writer.uint(0)
    const entries: Array<[number, unknown, string | undefined]> = []
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
    writer.uint(entries.length + 1)
    for (const [keyId, value, json] of entries) {
      writer.uint(keyId)
      if (json !== undefined) {
        writer.uint(JSON_VALUE)
        writer.string(json)
      } else if (isSimpleList(value)) {
        writer.uint(LIST)
        writer.uint(value.length)
        for (const item of value) this.writeSimple(writer, item)
      } else {
        this.writeSimple(writer, value as string | number)
      }
    }
  }

  private writeSimple (writer: ByteWriter, value: string | number): void {
    if (typeof value === 'number') {
      writer.uint(UINT)
      writer.uint(value)
      return
    }
    const sharedId = this.shared.get(value)
    if (sharedId === undefined) {
      writer.uint(TEXT)
      writer.string(value)
    } else {
      writer.uint(SHARED)
      writer.uint(sharedId)
    }
  }
}

/** Reads the tables once, then each document's record. */
export class StoredFieldsDecoder {
  private constructor (private readonly keys: string[], private readonly shared: string[]) {}

  static readTables (reader: ByteReader): StoredFieldsDecoder {
    const keys = readStrings(reader)
    return new StoredFieldsDecoder(keys, readStrings(reader))
  }

  read (reader: ByteReader): Fields | undefined {
    const size = reader.uint()
    if (size === 0) return undefined
    const fields: Fields = {}
    for (let i = 1; i < size; i += 1) {
      const key = this.keys[reader.uint()]
      if (key === undefined) throw new Error('stored field with an unknown key')
      const kind = reader.uint()
      if (kind === LIST) {
        const list = new Array<unknown>(reader.uint())
        for (let item = 0; item < list.length; item += 1) list[item] = this.readSimple(reader, reader.uint())
        fields[key] = list
      } else if (kind === JSON_VALUE) {
        fields[key] = JSON.parse(reader.string())
      } else {
        fields[key] = this.readSimple(reader, kind)
      }
    }
    return fields
  }

  private readSimple (reader: ByteReader, kind: number): string | number {
    if (kind === SHARED) {
      const text = this.shared[reader.uint()]
      if (text === undefined) throw new Error('stored field with an unknown shared string')
      return text
    }
    if (kind === TEXT) return reader.string()
    if (kind === UINT) return reader.uint()
    throw new Error(`stored field of unknown kind ${kind}`)
  }
}

function readStrings (reader: ByteReader): string[] {
  const strings = new Array<string>(reader.uint())
  for (let i = 0; i < strings.length; i += 1) strings[i] = reader.string()
  return strings
}

function isSimple (value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
}

function isSimpleList (value: unknown): value is Array<string | number> {
  return Array.isArray(value) && value.every(isSimple)
}
