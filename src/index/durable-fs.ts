/**
 * File writes that survive a crash: data is fsynced before it is renamed into place, and
 * the folder is fsynced after the rename, since a rename is durable only once its folder
 * is (write-file-atomic skips that last step, and needs Node 22).
 */
import { createHash, type Hash } from 'node:crypto'
import { open, rename, type FileHandle } from 'node:fs/promises'
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
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temporary, path)
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

  /** Appends and returns the offset the data starts at. */
  async append (data: string): Promise<{ offset: number, length: number }> {
    return await this.push(Buffer.from(data, 'utf8'))
  }

  /** Appends a copy of `data` (the caller may reuse its buffer); returns the offset it starts at. */
  async appendBytes (data: Uint8Array): Promise<{ offset: number, length: number }> {
    return await this.push(Buffer.from(data))
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
    const data = Buffer.concat(this.buffered)
    this.buffered = []
    this.bufferedBytes = 0
    this.hash.update(data)
    this.crc = crc32(data, this.crc)
    let written = 0
    while (written < data.length) {
      const { bytesWritten } = await this.handle.write(data, written, data.length - written)
      written += bytesWritten
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
