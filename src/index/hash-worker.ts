/**
 * A worker thread that computes one file's SHA-256 (see file-checksum.ts): hashing the
 * document store (~100 MB for the RT corpus) is CPU work that can run on the second core
 * while the main thread reads the index.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { sha256File } from './manifest.js'

const { path } = workerData as { path: string }
parentPort?.postMessage(await sha256File(path))
