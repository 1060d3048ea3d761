/**
 * One document's record in `docs.bin` (document-store.ts reads them by offset). Since index
 * format 8 a record is compressed:
 *
 *     u32 LE     header bytes H; its top bit set when the record is deflated against the build's
 *                dictionary (format 9: document-dictionary.ts)
 *     deflate    raw DEFLATE of: the Article without `body` as JSON (UTF-8, H bytes), then the body (UTF-8)
 *
 * Format 7 stored the header as is and the body as UTF-16LE (decoding was a copy, the
 * reason then), which made docs.bin 4.4 GB of a 5.7 GB build at 800,000 Lenta-sized
 * articles. Russian news text deflates to about a third of its UTF-16 size; inflating an
 * article costs ~70 µs, ten per page. Records of both formats are read (`RecordEncoding`),
 * so an older build still serves until it is rebuilt.
 *
 * Records are inflated by fflate into one reused buffer, not by node:zlib: each zlib call
 * allocates a native stream (its 32 KB window, a 16 KB chunk), which V8 counts as external
 * memory. At 800,000 documents and 16 clients searching, those ~50 KB per snippet made V8
 * start a full collection for external memory pressure every 3–4 s, each marking the
 * 1.1 GB heap for ~630 ms of the main thread.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { inflateSync } from 'fflate'
import type { Article } from '../corpus/article.js'

/** How a build's records are stored: 'deflate' from format 8, 'utf16le' before. */
export type RecordEncoding = 'deflate' | 'utf16le'

const LENGTH_BYTES = 4
/** Set in the header length of a record deflated against the build's dictionary (headers are far shorter than 2 GB). */
const DICTIONARY_FLAG = 0x80000000
/**
 * Without a dictionary, zlib's default level. On 50,000 Lenta-shaped articles, against format
 * 7's 20.0 s build and 259 MB docs.bin: level 6 on the build's main thread 24.9 s and 91 MB,
 * level 1 23.1 s and 98 MB; compressing in libuv's threads instead was slower (26.9 s at
 * level 1: a stream object per call, and the corpus reader's file reads queued behind the
 * deflates).
 */
const DEFLATE_LEVEL = 6
/**
 * With a dictionary: zlib loads the 32 KB dictionary into its hash chains for every record,
 * which level 6 pays for with twice level 4's time; level 4 with the dictionary compresses
 * better than level 6 without it, in the same time (document-dictionary.ts).
 */
const DICTIONARY_DEFLATE_LEVEL = 4

/** The record of `article` (deflate encoding), against `dictionary` when one is given. */
export function encodeDocument (article: Article, dictionary?: Uint8Array): Buffer {
  const { header, payload } = uncompressed(article)
  if (dictionary === undefined || dictionary.length === 0) return withLength(header, deflateRawSync(payload, { level: DEFLATE_LEVEL }))
  return withLength(header + DICTIONARY_FLAG, deflateRawSync(payload, { level: DICTIONARY_DEFLATE_LEVEL, dictionary }))
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

/** The document in `record` (the bytes of one record, whole); `dictionary` is the build's (format 9). */
export function decodeDocument (record: Buffer, encoding: RecordEncoding = 'deflate', dictionary?: Uint8Array): Article {
  const { bytes, headerStart, headerEnd, bodyEncoding } = opened(record, encoding, dictionary)
  const rest = JSON.parse(bytes.toString('utf8', headerStart, headerEnd)) as Omit<Article, 'body'>
  return { ...rest, body: bytes.toString(bodyEncoding, headerEnd) }
}

/** The body in `record`. */
export function decodeBody (record: Buffer, encoding: RecordEncoding = 'deflate', dictionary?: Uint8Array): string {
  const { bytes, headerEnd, bodyEncoding } = opened(record, encoding, dictionary)
  return bytes.toString(bodyEncoding, headerEnd)
}

/**
 * The header and body bytes of a record and where the body starts; a record whose lengths
 * do not add up (a truncated or foreign file) is an error, never a garbled document.
 */
function opened (record: Buffer, encoding: RecordEncoding, dictionary: Uint8Array | undefined): { bytes: Buffer, headerStart: number, headerEnd: number, bodyEncoding: BufferEncoding } {
  if (record.length < LENGTH_BYTES) throw new Error(`a document record of ${record.length} bytes is too short to hold its header length`)
  const headerBytes = record.readUInt32LE(0)
  if (encoding === 'utf16le') {
    const headerEnd = LENGTH_BYTES + headerBytes
    if (headerEnd > record.length || (record.length - headerEnd) % 2 !== 0) throw new Error('a document record does not match its header length')
    return { bytes: record, headerStart: LENGTH_BYTES, headerEnd, bodyEncoding: 'utf16le' }
  }
  const againstDictionary = headerBytes >= DICTIONARY_FLAG
  if (againstDictionary && (dictionary === undefined || dictionary.length === 0)) {
    throw new Error('a document record was deflated against a dictionary, and its build has none')
  }
  let bytes: Buffer
  try {
    bytes = inflated(record.subarray(LENGTH_BYTES), againstDictionary ? dictionary : undefined)
  } catch (error) {
    throw new Error(`a document record does not inflate: ${(error as Error).message}`, { cause: error })
  }
  const headerEnd = againstDictionary ? headerBytes - DICTIONARY_FLAG : headerBytes
  if (headerEnd > bytes.length) throw new Error('a document record does not match its header length')
  return { bytes, headerStart: 0, headerEnd, bodyEncoding: 'utf8' }
}

/**
 * Where records are inflated: decoded to strings before the next record is (decoding is
 * synchronous). Larger than articles are (rt's longest is 70 KB); a record that fills it
 * may have been cut, and is inflated again on its own.
 */
const scratch = new Uint8Array(1 << 20)

/** The inflated bytes of a record's deflated part: a view of `scratch`, valid until the next call. */
function inflated (deflated: Buffer, dictionary: Uint8Array | undefined): Buffer {
  const out = inflateSync(deflated, dictionary === undefined ? { out: scratch } : { out: scratch, dictionary })
  if (out.length < scratch.length) return Buffer.from(out.buffer, out.byteOffset, out.length)
  return inflateRawSync(deflated, dictionary === undefined ? {} : { dictionary })
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
