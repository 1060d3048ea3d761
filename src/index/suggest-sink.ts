/**
 * Where a build sends each document's headline and text for the suggestion table
 * (suggest-table.ts): counted on the main thread for a small corpus, or in a worker thread of
 * its own (suggest-worker.ts) for a large one, since counting every token of every body again
 * costs seconds the main thread (which scans and counts the index's terms) cannot spare.
 * Documents go to the worker in batches, a bounded number unacknowledged, so a slow worker
 * slows the build rather than holding the corpus in memory.
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { SuggestCollector } from './suggest-table.js'

export interface SuggestSink {
  add: (title: string, body: string) => Promise<void>
  /** The table's bytes, once every document is added. */
  finish: () => Promise<Buffer>
  abandon: () => Promise<void>
}

export function inlineSuggestSink (): SuggestSink {
  const collector = new SuggestCollector()
  return {
    add: async (title, body) => collector.addDocument(title, body),
    finish: async () => collector.encode(),
    abandon: async () => {}
  }
}

/** `scratchDir`: where the worker may write its pair counts out (suggest-table.ts's `PairScratch`). */
export interface SuggestWorkerData {
  scratchDir?: string
}
export type SuggestWorkerRequest = { type: 'batch', titles: string[], bodies: string[] } | { type: 'finish' }
export type SuggestWorkerResponse = { type: 'counted' } | { type: 'table', bytes: Uint8Array } | { type: 'error', error: string }

// Resolved from the package root, so it is the compiled worker both from dist/ and from src/ (tests).
const WORKER = fileURLToPath(new URL('../../dist/index/suggest-worker.js', import.meta.url))
const BATCH_DOCUMENTS = 64
/** Batches posted and not yet counted, at most: 8 × 64 rt articles are ≈8 MB of text. */
const MAX_UNCOUNTED = 8

/** `scratchDir`: the build's temporary folder, where the worker may write its pair counts out. */
export function workerSuggestSink (scratchDir?: string): SuggestSink {
  const worker = new Worker(WORKER, { workerData: { scratchDir } satisfies SuggestWorkerData })
  let titles: string[] = []
  let bodies: string[] = []
  let uncounted = 0
  let failure: Error | undefined
  let wakeCounted: (() => void) | undefined
  let table: { resolve: (bytes: Buffer) => void, reject: (error: Error) => void } | undefined
  let finished = false
  const fail = (error: Error): void => {
    failure ??= error
    wakeCounted?.()
    table?.reject(failure)
  }
  worker.on('message', (response: SuggestWorkerResponse) => {
    if (response.type === 'counted') {
      uncounted -= 1
      wakeCounted?.()
    } else if (response.type === 'table') {
      table?.resolve(Buffer.from(response.bytes.buffer, response.bytes.byteOffset, response.bytes.byteLength))
    } else {
      fail(new Error(`the suggestion table failed in its worker: ${response.error}`))
    }
  })
  worker.on('error', error => fail(error))
  worker.on('exit', code => { if (!finished) fail(new Error(`the suggestion worker exited (code ${code})`)) })
  const post = (): void => {
    if (titles.length === 0) return
    const request: SuggestWorkerRequest = { type: 'batch', titles, bodies }
    worker.postMessage(request)
    uncounted += 1
    titles = []
    bodies = []
  }
  return {
    add: async (title, body) => {
      if (failure !== undefined) throw failure
      titles.push(title)
      bodies.push(body)
      if (titles.length < BATCH_DOCUMENTS) return
      post()
      while (uncounted >= MAX_UNCOUNTED && failure === undefined) await new Promise<void>(resolve => { wakeCounted = resolve })
      if (failure !== undefined) throw failure
    },
    finish: async () => {
      if (failure !== undefined) throw failure
      post()
      const bytes = await new Promise<Buffer>((resolve, reject) => {
        table = { resolve, reject }
        worker.postMessage({ type: 'finish' } satisfies SuggestWorkerRequest)
      })
      finished = true
      await worker.terminate()
      return bytes
    },
    abandon: async () => {
      finished = true
      await worker.terminate()
    }
  }
}
