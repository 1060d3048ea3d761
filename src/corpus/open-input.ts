/**
 * Opens a corpus file as a stream of bytes, gunzipping it when it is gzip (recognised by
 * its magic bytes, not its name), and reports raw bytes read so progress can be shown for
 * inputs whose record count is unknown until the end.
 */
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { Transform, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'

export type BytesListener = (bytes: number) => void

export async function isGzip (path: string): Promise<boolean> {
  const handle = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0)
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await handle.close()
  }
}

export async function openInput (path: string, onBytes: BytesListener = () => {}): Promise<Readable> {
  const gzip = await isGzip(path)
  const raw = createReadStream(path, { highWaterMark: 1 << 20 })
  const counted = raw.pipe(new Transform({
    transform (chunk: Buffer, _encoding, done) {
      onBytes(chunk.length)
      done(null, chunk)
    }
  }))
  raw.on('error', error => counted.destroy(error))
  if (!gzip) return counted
  const gunzip = createGunzip()
  counted.on('error', error => gunzip.destroy(error))
  return counted.pipe(gunzip)
}

/** The logical name of a file, without a trailing `.gz`: `news.jsonl.gz` → `news.jsonl`. */
export function logicalName (path: string): string {
  return path.replace(/\.gz$/i, '')
}
