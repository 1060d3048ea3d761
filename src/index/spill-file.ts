/**
 * A build's scratch file: written in order, then read back by position (`FileBytes`), then
 * removed. A large build keeps what it can only use at its end out of its memory this way:
 * its packed posting runs and its encoded postings (at 800,000 Lenta-shaped documents about
 * 1.5 and 2 GB, held at once while the runs were merged), and the suggestion table's word
 * pairs (suggest-table.ts). What is read back soon after it
 * is written comes from the page cache, which the operating system gives back under
 * pressure and does not count in the build's resident memory.
 *
 * Writes are synchronous: a build runs in a process (or a child of the server) of its own,
 * its main thread waits for nothing else, and the callers append from synchronous loops.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { FileBytes } from './byte-source.js'

export class SpillFile {
  private fd: number | undefined
  private reader: FileBytes | undefined
  private written = 0

  private constructor (readonly path: string, fd: number) {
    this.fd = fd
  }

  /** Creates (or empties) the file at `path`. */
  static create (path: string): SpillFile {
    return new SpillFile(path, openSync(path, 'w'))
  }

  /** Bytes written so far: the offset the next append lands at. */
  get length (): number {
    return this.written
  }

  /** Appends `bytes`; returns the offset they start at. */
  append (bytes: Uint8Array): number {
    const fd = this.fd
    if (fd === undefined) throw new Error(`${this.path} is no longer written`)
    const start = this.written
    for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, start + done)
    this.written += bytes.length
    return start
  }

  /** Ends the writing; what was written is then read by position. */
  read (): FileBytes {
    if (this.reader !== undefined) return this.reader
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
    this.reader = FileBytes.openSync(this.path)
    return this.reader
  }

  /** Ends the writing and returns all that was written, deleting the file: for a scratch file read once, whole. */
  drain (): Buffer {
    if (this.reader !== undefined) throw new Error(`${this.path} is being read by position`)
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
    const bytes = readFileSync(this.path)
    rmSync(this.path, { force: true })
    return bytes
  }

  /** Closes and deletes the file; harmless twice. */
  async remove (): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
    await this.reader?.close()
    rmSync(this.path, { force: true })
  }
}
