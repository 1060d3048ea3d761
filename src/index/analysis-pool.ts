/**
 * Analyses documents in worker threads (node:worker_threads), so a build uses every core:
 * analysis (tokenising, dictionary lemmatisation) is most of a build's CPU time, and the
 * main thread is left to read the corpus and merge counted terms into the index.
 *
 * Batches go to the workers in turn; each `analyse` call resolves with its batch's terms.
 * The caller keeps the order and bounds how many batches are in flight (build-index.ts).
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { AnalysedBatch, DocumentFields } from './document-terms.js'

export interface AnalysisWorkerData {
  analyzerVersion: string
  /** Numbers this worker's terms apart from other workers' (document-terms.ts). */
  termSpace: number
}

export interface AnalysisRequest {
  id: number
  documents: DocumentFields[]
  fieldCount: number
}

export type AnalysisResponse = { id: number, batch: AnalysedBatch } | { id: number, error: string }

// Resolved from the package root, so it is the compiled worker both from dist/ and from src/ (tests).
const WORKER = fileURLToPath(new URL('../../dist/index/analysis-worker.js', import.meta.url))

interface Waiting {
  resolve: (batch: AnalysedBatch) => void
  reject: (error: Error) => void
}

export class AnalysisPool {
  private readonly workers: Worker[]
  private readonly waiting = new Map<number, Waiting>()
  private nextId = 0
  private failure: Error | undefined
  private closed = false

  constructor (size: number, analyzerVersion: string) {
    this.workers = Array.from({ length: size }, (_, at) => {
      const workerData: AnalysisWorkerData = { analyzerVersion, termSpace: at + 1 }
      const worker = new Worker(WORKER, { workerData })
      worker.on('message', (response: AnalysisResponse) => this.settle(response))
      worker.on('error', error => this.fail(error))
      worker.on('exit', code => { if (!this.closed) this.fail(new Error(`an analysis worker exited (code ${code})`)) })
      return worker
    })
  }

  get size (): number {
    return this.workers.length
  }

  /** The counted terms of a batch of documents (field texts, `fieldCount` fields each). */
  async analyse (documents: DocumentFields[], fieldCount: number): Promise<AnalysedBatch> {
    if (this.failure !== undefined) throw this.failure
    if (this.closed) throw new Error('the analysis pool is closed')
    const id = this.nextId++
    const worker = this.workers[id % this.workers.length] as Worker
    return await new Promise<AnalysedBatch>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      const request: AnalysisRequest = { id, documents, fieldCount }
      worker.postMessage(request)
    })
  }

  /** Stops the workers; batches still in flight are rejected. */
  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.rejectAll(new Error('the analysis pool was closed'))
    await Promise.all(this.workers.map(async worker => await worker.terminate()))
  }

  private settle (response: AnalysisResponse): void {
    const waiting = this.waiting.get(response.id)
    if (waiting === undefined) return
    this.waiting.delete(response.id)
    if ('error' in response) waiting.reject(new Error(`analysis failed in a worker: ${response.error}`))
    else waiting.resolve(response.batch)
  }

  private fail (error: Error): void {
    this.failure ??= error
    this.rejectAll(this.failure)
  }

  private rejectAll (error: Error): void {
    for (const waiting of this.waiting.values()) waiting.reject(error)
    this.waiting.clear()
  }
}
