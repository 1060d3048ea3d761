/**
 * Bytes of an index file read by position: from a buffer in memory (`MemoryBytes`: a build
 * being made, a test) or from the file itself (`FileBytes`: a loaded build's term tree).
 *
 * A loaded build reads its term tree and postings from the file, not from a copy in memory:
 * at 800,000 documents index.bin is 930 MB, and a server held all of it for the few terms a
 * query touches. What a query reads is decoded once and kept (tree nodes as Maps, postings as
 * typed arrays under a budget: term-data.ts), so the file is read when a term is first met,
 * from the page cache the operating system keeps and shares, not counted in the server's RSS.
 *
 * Reads are synchronous: MiniSearch walks its tree synchronously, and a read of a term from
 * the page cache is a few microseconds to a millisecond, against a round trip through
 * libuv's thread pool per term. A page out of the cache (dropped for memory, or by the
 * kernel's reclaim of pages not used lately) is a wait on the disk with the event loop held:
 * what a search knows it will read in bulk, it has read ahead in the thread pool (`warm`).
 */
import { close, closeSync, fstat, fstatSync, open, openSync, read, readSync } from 'node:fs'
import { promisify } from 'node:util'

export interface ByteSource {
  /** The source's size in bytes. */
  readonly length: number
  /** The `length` bytes at `offset` (a view of memory, or a copy read from the file); throws when they run past the end. */
  bytesAt: (offset: number, length: number) => Buffer
  /**
   * `use` called with the `length` bytes at `offset`, which it must not keep: from a file they
   * are read into a buffer the source lends again to the next read.
   */
  withBytes: <T>(offset: number, length: number, use: (bytes: Buffer) => T) => T
  /**
   * Reads the `length` bytes at `offset` off the calling thread, so that a read of them soon
   * after finds them in memory (the page cache) instead of waiting on the disk with the event
   * loop held. Never fails: a read that would is left to the read that follows.
   */
  warm: (offset: number, length: number) => Promise<void>
}

export class MemoryBytes implements ByteSource {
  constructor (private readonly bytes: Buffer) {}

  get length (): number {
    return this.bytes.length
  }

  bytesAt (offset: number, length: number): Buffer {
    checkRange(this, offset, length)
    return this.bytes.subarray(offset, offset + length)
  }

  withBytes<T> (offset: number, length: number, use: (bytes: Buffer) => T): T {
    return use(this.bytesAt(offset, length))
  }

  /** In memory already. */
  async warm (_offset: number, _length: number): Promise<void> {}
}

/**
 * The buffer a file source reads into for `withBytes`, kept up to this size. Postings read
 * into new buffers each time (megabytes for a frequent term) were external memory that made
 * V8 start full collections of an 800k server's heap, 20–30 ms longer p99 and stalls.
 */
const MAX_LENT_BYTES = 16 * 1024 * 1024

const openFile = promisify(open)
const closeFile = promisify(close)
const statFile = promisify(fstat)

/** A file left open by a source that was never closed is closed once the source is collected. */
const unclosed = new FinalizationRegistry<number>(fd => close(fd, () => {}))

export class FileBytes implements ByteSource {
  private fd: number | undefined
  /** Lent to `withBytes`'s callers, one at a time (`lent`); grown to the largest read up to MAX_LENT_BYTES. */
  private scratch = Buffer.alloc(0)
  private lent = false

  private constructor (readonly path: string, fd: number, readonly length: number) {
    this.fd = fd
    unclosed.register(this, fd, this)
  }

  static async open (path: string): Promise<FileBytes> {
    const fd = await openFile(path, 'r')
    try {
      return new FileBytes(path, fd, (await statFile(fd)).size)
    } catch (error) {
      await closeFile(fd)
      throw error
    }
  }

  /** As `open`, blocking: for a build's own scratch files (spill-file.ts). */
  static openSync (path: string): FileBytes {
    const fd = openSync(path, 'r')
    try {
      return new FileBytes(path, fd, fstatSync(fd).size)
    } catch (error) {
      closeSync(fd)
      throw error
    }
  }

  bytesAt (offset: number, length: number): Buffer {
    return this.readInto(Buffer.allocUnsafe(length), offset)
  }

  withBytes<T> (offset: number, length: number, use: (bytes: Buffer) => T): T {
    // A read made while the buffer is lent (a `use` that reads again) gets its own.
    if (this.lent || length > MAX_LENT_BYTES) return use(this.bytesAt(offset, length))
    if (this.scratch.length < length) this.scratch = Buffer.allocUnsafe(Math.min(MAX_LENT_BYTES, Math.max(length, this.scratch.length * 2, 4096)))
    const bytes = this.readInto(this.scratch.subarray(0, length), offset)
    this.lent = true
    try {
      return use(bytes)
    } finally {
      this.lent = false
    }
  }

  async warm (offset: number, length: number): Promise<void> {
    const fd = this.fd
    if (fd === undefined || length <= 0) return
    // Into a buffer of its own (`scratch` may be lent meanwhile), thrown away: the page cache keeps what counts.
    // A descriptor closed meanwhile, or reused, costs a wasted read.
    const bytes = Math.min(length, MAX_LENT_BYTES)
    await new Promise<void>(resolve => { read(fd, Buffer.allocUnsafe(bytes), 0, bytes, offset, () => resolve()) })
  }

  /** Fills `bytes` from `offset`. */
  private readInto (bytes: Buffer, offset: number): Buffer {
    // Checked on every read: after `close` the descriptor's number may belong to another file.
    const fd = this.fd
    if (fd === undefined) throw new Error(`${this.path} was closed (a build replaced more than its grace period ago)`)
    const length = bytes.length
    checkRange(this, offset, length)
    for (let filled = 0; filled < length;) {
      const got = readSync(fd, bytes, filled, length - filled, offset + filled)
      if (got === 0) throw new Error(`${this.path} ended at ${offset + filled} bytes, before the ${length} bytes at ${offset}`)
      filled += got
    }
    return bytes
  }

  get closed (): boolean {
    return this.fd === undefined
  }

  async close (): Promise<void> {
    const fd = this.fd
    if (fd === undefined) return
    this.fd = undefined
    this.scratch = Buffer.alloc(0)
    unclosed.unregister(this)
    await closeFile(fd)
  }
}

function checkRange (source: ByteSource, offset: number, length: number): void {
  if (offset < 0 || length < 0 || offset + length > source.length) {
    throw new Error(`unexpected end of data: ${length} bytes at ${offset} of ${source.length}`)
  }
}
