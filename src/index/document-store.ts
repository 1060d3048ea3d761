/**
 * The documents file of a build (`docs.bin`): every full document as one record, read by
 * byte offset. Bodies stay on disk (and in the page cache) instead of in the MiniSearch
 * index: only the top hits of a query need them, for snippets, and `/documents/:id` one.
 *
 * A record's layout is document-record.ts's: since format 8 the header and body deflated
 * together (since format 9 most records against the build's dictionary), before it the
 * header as is and the body as UTF-16LE. A store reads the encoding its build was written in.
 *
 * A file no larger than `maxInMemoryBytes` is read into memory after the store opens (off
 * the V8 heap, like a memory map): a read from the file costs a system call and a round trip
 * through libuv's thread pool, ~100 µs of a page's ten under load on rt, against a copy from
 * memory. It is held in 8 MB chunks allocated as they are read: one allocation of the whole
 * file (350 MB at 200,000 Lenta-sized articles) made V8 collect its whole heap at once, a
 * 220 ms stall of a loading server. Larger archives are read from the file per hit.
 */
import { open, type FileHandle } from 'node:fs/promises'
import type { Article } from '../corpus/article.js'
import { decodeBody, decodeDocument, type RecordEncoding } from './document-record.js'

export const DOCUMENTS_FILE = 'docs.bin'

export interface DocumentLocation {
  offset: number
  length: number
}

const LENGTH_BYTES = 4
/** Header bytes read together with a body's opening (format 7 records); rt's headers (with their summary) are about 2 KB. */
const USUAL_HEADER_BYTES = 4096
/** A file held in memory is read and held in chunks this large (by default): each read holds a thread-pool thread only briefly. */
const CHUNK_BYTES = 8 * 1024 * 1024

export interface DocumentStoreOptions {
  /** A documents file up to this size is held in memory; 0 always reads from the file. */
  maxInMemoryBytes: number
  /** How the build wrote its records (its format's; 'deflate' by default). */
  encoding?: RecordEncoding
  /** The build's preset dictionary (`docs.dict`, format 9), which its later records are deflated against. */
  dictionary?: Uint8Array
  /** The size of the chunks a file in memory is held in (8 MB; tests make records straddle them). */
  chunkBytes?: number
}

export const defaultDocumentStoreOptions: DocumentStoreOptions = { maxInMemoryBytes: 512 * 1024 * 1024 }

export class DocumentStore {
  /** Documents changed since the build (PUT /documents/:id), held in memory until the next build folds them in. */
  private readonly overlay = new Map<number, Article>()
  /** The whole file, once read (see `DocumentStoreOptions`). */
  private chunks: Buffer[] | undefined
  private closing = false
  /** Set for a retired snapshot's store: its copy in memory is dropped, and a read still under way is not kept. */
  private memoryReleased = false
  /**
   * Settles when the file is held in memory (true) or will not be (false: over the budget, or
   * the store closed first); rejects when reading it failed, the store then reading per hit.
   */
  readonly inMemoryReady: Promise<boolean>
  private readonly encoding: RecordEncoding
  private readonly dictionary: Uint8Array | undefined
  private readonly chunkBytes: number

  private constructor (private readonly handle: FileHandle, size: number, options: DocumentStoreOptions) {
    this.encoding = options.encoding ?? 'deflate'
    this.dictionary = options.dictionary
    this.chunkBytes = options.chunkBytes ?? CHUNK_BYTES
    this.inMemoryReady = size > 0 && size <= options.maxInMemoryBytes ? this.readWhole(size) : Promise.resolve(false)
    // A failed read leaves the store reading per hit; the failure is the caller's to report.
    this.inMemoryReady.catch(() => {})
  }

  /**
   * Opens the file; one within the memory budget is then read into memory in the background,
   * so that opening (a server's load, a swap) does not wait for it: reads go to the file meanwhile.
   */
  static async open (path: string, options: DocumentStoreOptions = defaultDocumentStoreOptions): Promise<DocumentStore> {
    const handle = await open(path, 'r')
    try {
      const { size } = await handle.stat()
      return new DocumentStore(handle, size, options)
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  /** Whether the documents are served from memory now. */
  get inMemory (): boolean {
    return this.chunks !== undefined
  }

  private async readWhole (size: number): Promise<boolean> {
    const chunks: Buffer[] = []
    for (let at = 0; at < size; at += this.chunkBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(this.chunkBytes, size - at))
      for (let filled = 0; filled < chunk.length;) {
        if (this.closing || this.memoryReleased) return false
        const { bytesRead } = await this.handle.read(chunk, filled, chunk.length - filled, at + filled)
        if (bytesRead === 0) throw new Error(`the documents file ended at ${at + filled} of ${size} bytes`)
        filled += bytesRead
      }
      chunks.push(chunk)
    }
    if (this.memoryReleased) return false
    this.chunks = chunks
    return true
  }

  /**
   * Drops the documents held in memory: a replaced snapshot's, so that a rebuild does not hold
   * two copies while requests that started on the old build finish (they read from the file).
   */
  releaseMemory (): void {
    this.memoryReleased = true
    this.chunks = undefined
  }

  private readonly overlaySlots = new Map<string, number>()

  /**
   * Keeps a changed document in memory; its location is a negative offset, never a file
   * position. One slot per document id, so repeated changes to a document do not pile up.
   */
  addOverlay (article: Article): DocumentLocation {
    const offset = this.overlaySlots.get(article.id) ?? -(this.overlaySlots.size + 1)
    this.overlaySlots.set(article.id, offset)
    this.overlay.set(offset, article)
    return { offset, length: 0 }
  }

  async read ({ offset, length }: DocumentLocation): Promise<Article> {
    if (offset < 0) {
      const article = this.overlay.get(offset)
      if (article === undefined) throw new Error(`no overlay document at ${offset}`)
      return article
    }
    const record = await this.bytesAt(offset, length)
    if (record.length !== length) throw new Error(`the documents file ends inside the record at ${offset}`)
    return decodeDocument(record, this.encoding, this.dictionary)
  }

  /**
   * The body cut after about `chars` characters, at a word boundary, and the whole body's
   * length. A snippet is usually settled by a body's opening: a few KB read and decoded
   * instead of the whole record, and the header (stored fields, a summary) not decoded at all.
   */
  async readBodyOpening (location: DocumentLocation, chars: number): Promise<{ body: string, bodyLength: number }> {
    if (location.offset < 0) {
      const { body } = await this.read(location)
      return { body, bodyLength: body.length }
    }
    if (this.encoding === 'deflate') {
      // A compressed record is inflated whole (a few KB): the opening saves the snippet's scan, not the read.
      const body = await this.readBody(location)
      return { body: body.length <= chars ? body : cutAtWordBoundary(body.slice(0, chars)), bodyLength: body.length }
    }
    // Header and opening in one read when the header is of a usual size (from memory: always).
    const head = await this.bytesAt(location.offset, Math.min(location.length, USUAL_HEADER_BYTES + chars * 2))
    if (head.length < LENGTH_BYTES) throw new Error(`the documents file ends inside the record at ${location.offset}`)
    const bodyStart = utf16BodyStart(head, location.length)
    const bodyLength = (location.length - bodyStart) / 2
    const wanted = Math.min(bodyLength, chars)
    const end = bodyStart + wanted * 2
    const text = end <= head.length ? head.toString('utf16le', bodyStart, end) : await this.bodyAt(location.offset + bodyStart, wanted)
    return { body: wanted === bodyLength ? text : cutAtWordBoundary(text), bodyLength }
  }

  /** The whole body of a document. */
  async readBody (location: DocumentLocation): Promise<string> {
    return (await this.bodyReader(location))()
  }

  /**
   * Reads a document's record and returns what decodes its body: reads run together, and the
   * decoding (inflating) is done when the caller's turn comes (a phrase check reads dozens of
   * bodies at once; inflated as each read ended, they held the event loop for 100 ms and more).
   */
  async bodyReader (location: DocumentLocation): Promise<() => string> {
    if (location.offset < 0) {
      const { body } = await this.read(location)
      return () => body
    }
    const record = await this.bytesAt(location.offset, location.length)
    if (record.length !== location.length) throw new Error(`the documents file ends inside the record at ${location.offset}`)
    return () => decodeBody(record, this.encoding, this.dictionary)
  }

  private async bodyAt (offset: number, chars: number): Promise<string> {
    const bytes = await this.bytesAt(offset, chars * 2)
    if (bytes.length !== chars * 2) throw new Error(`the documents file ends inside the body at ${offset}`)
    return bytes.toString('utf16le')
  }

  /** `length` bytes from `offset`, fewer at the end of the file. */
  private async bytesAt (offset: number, length: number): Promise<Buffer> {
    if (this.chunks !== undefined) return fromChunks(this.chunks, this.chunkBytes, offset, length)
    const buffer = Buffer.allocUnsafe(length)
    const { bytesRead } = await this.handle.read(buffer, 0, length, offset)
    return bytesRead === length ? buffer : buffer.subarray(0, bytesRead)
  }

  async close (): Promise<void> {
    this.closing = true
    await this.inMemoryReady.catch(() => {}) // its failure was the caller's to report; the handle must outlive its reads
    this.chunks = undefined
    await this.handle.close()
  }
}

/** `length` bytes from `offset` of the chunked file, fewer at its end: a view within one chunk, a copy across two. */
function fromChunks (chunks: readonly Buffer[], chunkBytes: number, offset: number, length: number): Buffer {
  const first = Math.floor(offset / chunkBytes)
  const start = offset - first * chunkBytes
  const chunk = chunks[first]
  if (chunk === undefined) return Buffer.alloc(0)
  if (start + length <= chunk.length) return chunk.subarray(start, start + length)
  const parts = [chunk.subarray(start)]
  let gathered = chunk.length - start
  for (let next = first + 1; gathered < length && next < chunks.length; next += 1) {
    const part = (chunks[next] as Buffer).subarray(0, length - gathered)
    parts.push(part)
    gathered += part.length
  }
  return Buffer.concat(parts)
}

/** Where the body starts in a format 7 record of `recordLength` bytes whose first bytes are `bytes`, checked against the record's bounds. */
function utf16BodyStart (bytes: Buffer, recordLength: number): number {
  const headerEnd = LENGTH_BYTES + bytes.readUInt32LE(0)
  if (headerEnd > recordLength || (recordLength - headerEnd) % 2 !== 0) throw new Error('a document record does not match its header length')
  return headerEnd
}

/** Drops a last word that may have been cut (and a lone surrogate with it). */
function cutAtWordBoundary (text: string): string {
  const lastSpace = Math.max(text.lastIndexOf(' '), text.lastIndexOf('\n'))
  return lastSpace === -1 ? '' : text.slice(0, lastSpace)
}
