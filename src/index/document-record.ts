/**
 * One document's record in `docs.bin` (document-store.ts reads them by offset). Since index
 * format 8 a record is compressed:
 *
 *     u32 LE     header bytes H
 *     deflate    raw DEFLATE of: the Article without `body` as JSON (UTF-8, H bytes), then the body (UTF-8)
 *
 * Format 7 stored the header as is and the body as UTF-16LE (decoding was a copy, the
 * reason then), which made docs.bin 4.4 GB of a 5.7 GB build at 800,000 Lenta-sized
 * articles. Russian news text deflates to about a third of its UTF-16 size; inflating an
 * article costs ~40 µs, ten per page. Records of both formats are read (`RecordEncoding`),
 * so an older build still serves until it is rebuilt.
 */
import { promisify } from 'node:util'
import { deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib'
import type { Article } from '../corpus/article.js'

/** How a build's records are stored: 'deflate' from format 8, 'utf16le' before. */
export type RecordEncoding = 'deflate' | 'utf16le'

const LENGTH_BYTES = 4
/** zlib's default: a third smaller than level 1 on rt, at half its speed (the build compresses in libuv's threads). */
const DEFLATE_LEVEL = 6
const deflateRawAsync = promisify(deflateRaw)

/** The record of `article` (deflate encoding). */
export function encodeDocument (article: Article): Buffer {
  const { header, payload } = uncompressed(article)
  return withLength(header, deflateRawSync(payload, { level: DEFLATE_LEVEL }))
}

/** `encodeDocument`, compressed in libuv's thread pool: a build's main thread only joins the text. */
export async function encodeDocumentAsync (article: Article): Promise<Buffer> {
  const { header, payload } = uncompressed(article)
  return withLength(header, await deflateRawAsync(payload, { level: DEFLATE_LEVEL }))
}

/** A record as format 7 wrote it (header as is, body UTF-16LE): for reading older builds, and their tests. */
export function encodeDocumentUtf16 (article: Article): Buffer {
  const { body, ...rest } = article
  const header = Buffer.from(JSON.stringify(rest), 'utf8')
  const record = Buffer.allocUnsafe(LENGTH_BYTES + header.length + body.length * 2)
  record.writeUInt32LE(header.length, 0)
  header.copy(record, LENGTH_BYTES)
  record.write(body, LENGTH_BYTES + header.length, 'utf16le')
  return record
}

/** The document in `record` (the bytes of one record, whole). */
export function decodeDocument (record: Buffer, encoding: RecordEncoding = 'deflate'): Article {
  const { bytes, headerStart, headerEnd, bodyEncoding } = opened(record, encoding)
  const rest = JSON.parse(bytes.toString('utf8', headerStart, headerEnd)) as Omit<Article, 'body'>
  return { ...rest, body: bytes.toString(bodyEncoding, headerEnd) }
}

/** The body in `record`. */
export function decodeBody (record: Buffer, encoding: RecordEncoding = 'deflate'): string {
  const { bytes, headerEnd, bodyEncoding } = opened(record, encoding)
  return bytes.toString(bodyEncoding, headerEnd)
}

/**
 * The header and body bytes of a record and where the body starts; a record whose lengths
 * do not add up (a truncated or foreign file) is an error, never a garbled document.
 */
function opened (record: Buffer, encoding: RecordEncoding): { bytes: Buffer, headerStart: number, headerEnd: number, bodyEncoding: BufferEncoding } {
  if (record.length < LENGTH_BYTES) throw new Error(`a document record of ${record.length} bytes is too short to hold its header length`)
  const headerBytes = record.readUInt32LE(0)
  if (encoding === 'utf16le') {
    const headerEnd = LENGTH_BYTES + headerBytes
    if (headerEnd > record.length || (record.length - headerEnd) % 2 !== 0) throw new Error('a document record does not match its header length')
    return { bytes: record, headerStart: LENGTH_BYTES, headerEnd, bodyEncoding: 'utf16le' }
  }
  let bytes: Buffer
  try {
    bytes = inflateRawSync(record.subarray(LENGTH_BYTES))
  } catch (error) {
    throw new Error(`a document record does not inflate: ${(error as Error).message}`, { cause: error })
  }
  if (headerBytes > bytes.length) throw new Error('a document record does not match its header length')
  return { bytes, headerStart: 0, headerEnd: headerBytes, bodyEncoding: 'utf8' }
}

function uncompressed (article: Article): { header: number, payload: Buffer } {
  const { body, ...rest } = article
  const header = JSON.stringify(rest)
  const headerBytes = Buffer.byteLength(header, 'utf8')
  const payload = Buffer.allocUnsafe(headerBytes + Buffer.byteLength(body, 'utf8'))
  payload.write(header, 0, 'utf8')
  payload.write(body, headerBytes, 'utf8')
  return { header: headerBytes, payload }
}

function withLength (headerBytes: number, compressed: Buffer): Buffer {
  const record = Buffer.allocUnsafe(LENGTH_BYTES + compressed.length)
  record.writeUInt32LE(headerBytes, 0)
  compressed.copy(record, LENGTH_BYTES)
  return record
}

/**
 * Appends records in the order documents arrive while their compression runs in libuv's
 * threads: each `append` starts compressing at once and writes after the records before it,
 * so a build's main thread never waits on a deflate. A failed write fails every later one.
 */
export class OrderedRecordWriter {
  private tail: Promise<unknown> = Promise.resolve()

  constructor (private readonly write: (record: Buffer) => Promise<{ offset: number, length: number }>) {}

  append (article: Article): Promise<{ offset: number, length: number }> {
    const record = encodeDocumentAsync(article)
    const written = Promise.all([record, this.tail]).then(async ([bytes]) => await this.write(bytes))
    this.tail = written
    written.catch(() => {}) // the caller awaits it; a failure must not count as unhandled meanwhile
    return written
  }

  /** Settles when every record appended so far is written (rejects if one failed). */
  async flushed (): Promise<void> {
    await this.tail
  }
}
