/**
 * SHA-256 of a build's file, in a worker thread when the file is large: loading verifies
 * every file before serving it, and hashing a large document store on the main thread
 * would add its whole time to the load (it overlaps with reading the index this way).
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { sha256File } from './manifest.js'

/** Smaller files are hashed on the calling thread: a worker costs tens of milliseconds to start. */
const WORKER_FROM_BYTES = 8 * 1024 * 1024

// Resolved from the package root, so it is the compiled worker both from dist/ and from src/ (tests).
const WORKER = fileURLToPath(new URL('../../dist/index/hash-worker.js', import.meta.url))

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
