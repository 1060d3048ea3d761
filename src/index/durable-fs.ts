/**
 * File writes that survive a crash: data is fsynced before it is renamed into place, and
 * the folder is fsynced after the rename, since a rename is durable only once its folder
 * is (write-file-atomic skips that last step, and needs Node 22).
 */
import { createHash, type Hash } from 'node:crypto'
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { crc32 } from 'node:zlib'

export async function fsyncPath (path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Writes `data` to `path` via a temporary sibling, fsync and rename. */
export async function writeFileDurably (path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`
  const handle = await open(temporary, 'w')
  try {
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    // A failed write (disk full) must not leave a half-written temporary beside the file.
    await rm(temporary, { force: true })
    throw error
  }
  await fsyncPath(dirname(path))
}

/** Renames a file or folder and fsyncs the folder it now lives in. */
export async function renameDurably (from: string, to: string): Promise<void> {
  await rename(from, to)
  await fsyncPath(dirname(to))
}

/** A written file's size and checksums, as the manifest lists them. */
export interface FileDigest {
  bytes: number
  sha256: string
  /** CRC-32 (zlib's), the check done at every load: see open-index.ts. */
  crc32: number
}

/**
 * An append-only writer that tracks its own byte offset (for the document store) and
 * buffers small writes, since thousands of tiny `write` calls cost more than the data.
 */
export class AppendWriter {
  private offset = 0
  private buffered: Buffer[] = []
  private bufferedBytes = 0
  private readonly hash: Hash = createHash('sha256')
  private crc = 0

  private constructor (private readonly handle: FileHandle, private readonly flushAt: number) {}

  static async create (path: string, flushAt = 1 << 20): Promise<AppendWriter> {
    return new AppendWriter(await open(path, 'wx'), flushAt)
  }

  /** Appends a copy of `data` (the caller may reuse its buffer); returns the offset it starts at. */
  async appendBytes (data: Uint8Array): Promise<{ offset: number, length: number }> {
    return await this.push(Buffer.from(data))
  }

  /**
   * Appends `data` itself, not a copy: the caller hands it over and must not change it (a
   * freshly encoded document record). A build appends every document, and copying each one
   * again was a measurable part of the build's main thread.
   */
  async appendOwned (data: Buffer): Promise<{ offset: number, length: number }> {
    return await this.push(data)
  }

  private async push (bytes: Buffer): Promise<{ offset: number, length: number }> {
    const at = { offset: this.offset, length: bytes.length }
    this.offset += bytes.length
    this.buffered.push(bytes)
    this.bufferedBytes += bytes.length
    if (this.bufferedBytes >= this.flushAt) await this.flush()
    return at
  }

  async flush (): Promise<void> {
    if (this.bufferedBytes === 0) return
    const parts = this.buffered
    this.buffered = []
    this.bufferedBytes = 0
    for (const part of parts) {
      this.hash.update(part)
      this.crc = crc32(part, this.crc)
    }
    // Gathered by the system call rather than concatenated into one more copy first.
    let pending = parts
    while (pending.length > 0) {
      const { bytesWritten } = await this.handle.writev(pending)
      pending = partsAfter(pending, bytesWritten)
    }
  }

  /** Flushes, fsyncs and closes; returns the file's size, SHA-256 and CRC-32. */
  async close (): Promise<FileDigest> {
    try {
      await this.flush()
      await this.handle.sync()
    } finally {
      await this.handle.close()
    }
    return { bytes: this.offset, sha256: this.hash.digest('hex'), crc32: this.crc }
  }

  /** Closes without syncing, after a failure. */
  async abandon (): Promise<void> {
    await this.handle.close()
  }
}

/** Writes `bytes` as a new file, fsynced; returns its size, SHA-256 and CRC-32 (for the manifest). */
export async function writeDigestedFile (path: string, bytes: Buffer): Promise<FileDigest> {
  const writer = await AppendWriter.create(path)
  try {
    await writer.appendOwned(bytes)
  } catch (error) {
    await writer.abandon()
    throw error
  }
  return await writer.close()
}

/** What is left of `parts` once their first `written` bytes are written. */
function partsAfter (parts: Buffer[], written: number): Buffer[] {
  let at = 0
  let left = written
  while (at < parts.length && left >= (parts[at] as Buffer).length) {
    left -= (parts[at] as Buffer).length
    at += 1
  }
  if (at === parts.length) return []
  return [(parts[at] as Buffer).subarray(left), ...parts.slice(at + 1)]
}
