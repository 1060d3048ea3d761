/**
 * A bulk import's request body, read as a stream of records without holding the body: the
 * lines of NDJSON, or the elements of a JSON array. Each record is bounded (`maxRecordBytes`),
 * so memory does not grow with the request, and each is cut out as text before it is parsed,
 * so one malformed record fails alone — where a streaming JSON parser would stop at the first
 * syntax error and keep no bound on one value's size. Splitting works on bytes: UTF-8 never
 * puts a byte below 0x80 inside a multi-byte character, so the structural bytes (`\n`, `"`,
 * `\\`, brackets, commas) are found without decoding; each record is decoded as strict UTF-8.
 */
import { TextDecoder } from 'node:util'

/** One record's text, or why it could not be read; `position` is its line (NDJSON) or element (array), from 1. */
export type BodyRecord =
  | { position: number, text: string }
  | { position: number, error: RecordError }

export interface RecordError {
  code: 'POISK_BULK_RECORD_TOO_LARGE' | 'POISK_BULK_INVALID_UTF8' | 'POISK_BULK_SYNTAX'
  message: string
}

const NEWLINE = 0x0a
const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

/** The bytes of the record being read, up to the bound; past it only counted. */
class RecordBuffer {
  private parts: Buffer[] = []
  private bytes = 0
  private readonly decoder = new TextDecoder('utf-8', { fatal: true })

  constructor (private readonly maxBytes: number) {}

  add (part: Buffer): void {
    this.bytes += part.length
    if (this.bytes <= this.maxBytes) this.parts.push(part)
    else this.parts = []
  }

  get size (): number {
    return this.bytes
  }

  /** The record read (blank ones as empty text), and a fresh buffer for the next. */
  take (position: number): BodyRecord {
    const { parts, bytes } = this
    this.parts = []
    this.bytes = 0
    if (bytes > this.maxBytes) {
      return { position, error: { code: 'POISK_BULK_RECORD_TOO_LARGE', message: `the record is ${bytes} bytes; at most ${this.maxBytes} are accepted (BODY_LIMIT)` } }
    }
    try {
      return { position, text: this.decoder.decode(Buffer.concat(parts)) }
    } catch {
      return { position, error: { code: 'POISK_BULK_INVALID_UTF8', message: 'the record is not valid UTF-8' } }
    }
  }
}

/** The lines of an NDJSON body; blank lines are skipped (their numbers still count). */
export async function * ndjsonRecords (body: AsyncIterable<Buffer>, maxRecordBytes: number): AsyncGenerator<BodyRecord> {
  const record = new RecordBuffer(maxRecordBytes)
  let line = 0
  for await (const chunk of body) {
    let start = 0
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      record.add(chunk.subarray(start, newline))
      start = newline + 1
      line += 1
      const read = record.take(line)
      if (!isBlank(read)) yield read
    }
    if (start < chunk.length) record.add(chunk.subarray(start))
  }
  if (record.size > 0) {
    const read = record.take(line + 1)
    if (!isBlank(read)) yield read
  }
}

/**
 * The elements of a body holding one JSON array, each cut out at the commas between them
 * (found by tracking strings and nesting). A body that is not an array, or ends before its
 * `]`, ends with a POISK_BULK_SYNTAX record; the elements before it stand.
 */
export async function * jsonArrayRecords (body: AsyncIterable<Buffer>, maxRecordBytes: number): AsyncGenerator<BodyRecord> {
  const record = new RecordBuffer(maxRecordBytes)
  let state: 'before' | 'inside' | 'after' = 'before'
  let depth = 0
  let inString = false
  let escaped = false
  let position = 0
  const syntaxError = (message: string): BodyRecord => ({ position: position + 1, error: { code: 'POISK_BULK_SYNTAX', message } })
  for await (const chunk of body) {
    let start = 0
    for (let at = 0; at < chunk.length; at += 1) {
      const byte = chunk[at] as number
      if (state !== 'inside') {
        if (isSpace(byte)) continue
        if (state === 'before' && byte === OPEN_BRACKET) {
          state = 'inside'
          start = at + 1
          continue
        }
        yield syntaxError(state === 'before' ? 'a JSON bulk body is an array of documents: it must start with [' : 'the body goes on after the array\'s closing ]')
        return
      }
      if (inString) {
        if (escaped) escaped = false
        else if (byte === BACKSLASH) escaped = true
        else if (byte === QUOTE) inString = false
        continue
      }
      if (byte === QUOTE) inString = true
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1
      else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && depth > 0) depth -= 1
      else if (depth === 0 && (byte === COMMA || byte === CLOSE_BRACKET)) {
        record.add(chunk.subarray(start, at))
        start = at + 1
        const read = record.take(position + 1)
        // `[]` holds no element (`[a,]` does: an empty one, reported as such).
        if (!(byte === CLOSE_BRACKET && position === 0 && isBlank(read))) {
          position += 1
          yield read
        }
        if (byte === CLOSE_BRACKET) state = 'after'
      }
    }
    if (state === 'inside' && start < chunk.length) record.add(chunk.subarray(start))
  }
  if (state === 'before') yield syntaxError('the body is empty: send a JSON array of documents')
  else if (state === 'inside') yield syntaxError('the body ends before the array\'s closing ]')
}

function isBlank (record: BodyRecord): boolean {
  return 'text' in record && record.text.trim() === ''
}

function isSpace (byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d
}
