/**
 * The checksums loading verifies. A build's files are checked with CRC-32 (zlib's, which
 * runs at memory speed: ~50 ms for the RT corpus's 98 MB document store, where SHA-256
 * took 100–400 ms and a worker thread, whose start alone cost more in a fresh process).
 * The threat is accidental damage — a torn write, a truncated copy, a flipped bit — which
 * CRC-32 detects (every burst of up to 32 bits, any other change but for 1 in 2^32); a
 * deliberate forgery could rewrite the manifest's SHA-256 as easily. SHA-256 stays in the
 * manifest and is checked for builds whose manifest has no CRC-32.
 */
import { open } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { crc32 } from 'node:zlib'
import { sha256File } from './manifest.js'

/** Smaller files are hashed on the calling thread: a worker costs tens of milliseconds to start. */
const WORKER_FROM_BYTES = 8 * 1024 * 1024
/** Read size for CRC-32: one buffer, reused, so a large file costs no fresh memory. */
const CRC_CHUNK_BYTES = 1024 * 1024

// Resolved from the package root, so it is the compiled worker both from dist/ and from src/ (tests).
const WORKER = fileURLToPath(new URL('../../dist/index/hash-worker.js', import.meta.url))

/**
 * CRC-32 of a whole file, read in chunks into one buffer. On the calling thread: each
 * chunk is ~1 ms of work between reads, so the event loop keeps turning.
 */
export async function fileCrc32 (path: string): Promise<number> {
  const handle = await open(path, 'r')
  try {
    const chunk = Buffer.allocUnsafe(CRC_CHUNK_BYTES)
    let crc = 0
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) return crc
      crc = crc32(chunk.subarray(0, bytesRead), crc)
    }
  } finally {
    await handle.close()
  }
}

/** SHA-256 (hex), in a worker thread when the file is large (builds from before CRC-32). */
export async function fileSha256 (path: string, bytes: number, workerFromBytes = WORKER_FROM_BYTES): Promise<string> {
  if (bytes < workerFromBytes) return await sha256File(path)
  const worker = new Worker(WORKER, { workerData: { path } })
  try {
    return await new Promise<string>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
      worker.once('exit', code => reject(new Error(`the hashing worker exited (code ${code}) before answering`)))
    })
  } finally {
    await worker.terminate()
  }
}
