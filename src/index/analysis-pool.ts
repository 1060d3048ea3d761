/**
 * Analyses documents with worker threads (node:worker_threads), so a build uses every core.
 * The dictionary analysis of a token never seen before is most of a build's CPU time; the
 * rest (finding tokens, counting terms) is quick once a token is known. So the main thread
 * keeps the one term counter (document-terms.ts): it scans each batch, sends only the batch's
 * new tokens to a worker, and counts the batch when their terms are back. Every distinct
 * token is analysed once, by one worker, however many workers there are.
 *
 * `analyse` resolves batches in the order they were given (the counter numbers tokens and
 * terms in that order); the caller bounds how many are in flight (build-index.ts).
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { TermCounter, type AnalysedBatch, type DocumentFields, type ScannedBatch } from './document-terms.js'

export interface AnalysisWorkerData {
  analyzerVersion: string
}

export interface AnalysisRequest {
  id: number
  /** Raw tokens to analyse. */
  tokens: string[]
}

/** The terms of every token, flat: token i has the next `counts[i]` of `terms`. */
export type AnalysisResponse = { id: number, terms: string[], counts: Uint32Array } | { id: number, error: string }

// Resolved from the package root, so it is the compiled worker both from dist/ and from src/ (tests).
const WORKER = fileURLToPath(new URL('../../dist/index/analysis-worker.js', import.meta.url))

/** The term space of the pool's counter (index-builder.ts tells counters apart by it). */
const POOL_TERM_SPACE = 1

interface Pending {
  scanned: ScannedBatch
  /** The new tokens' terms once a worker has sent them (or at once when there are none). */
  analysed: { terms: string[], counts: Uint32Array } | undefined
  resolve: (batch: AnalysedBatch) => void
  reject: (error: Error) => void
}

export class AnalysisPool {
  private readonly workers: Worker[]
  /** Dropped at `close`: its token table and Map of terms, hundreds of MB at 800,000 documents, are not needed for the rest of a build. */
  private counter: TermCounter | undefined
  /** Batches not counted yet, in the order given. */
  private readonly queue: Pending[] = []
  private readonly waiting = new Map<number, Pending>()
  private nextId = 0
  private failure: Error | undefined
  private closed = false

  /** `signatureField`: the field each batch's near-duplicate signatures are computed of (document-terms.ts). */
  constructor (size: number, analyzerVersion: string, signatureField?: number) {
    this.counter = new TermCounter(undefined, POOL_TERM_SPACE, signatureField)
    const workerData: AnalysisWorkerData = { analyzerVersion }
    this.workers = Array.from({ length: size }, () => {
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

  /**
   * The counted terms of a batch of documents (field texts, `fieldCount` fields each). The
   * texts are scanned before this returns, and neither they nor the new tokens cut from
   * them (slices that would keep them alive) are held while the batch waits: article
   * bodies die young, which keeps the main thread's garbage collection cheap.
   */
  analyse (documents: DocumentFields[], fieldCount: number): Promise<AnalysedBatch> {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    if (this.closed || this.counter === undefined) return Promise.reject(new Error('the analysis pool is closed'))
    const scanned = this.counter.scan(documents, fieldCount)
    return new Promise<AnalysedBatch>((resolve, reject) => {
      const pending: Pending = { scanned, analysed: undefined, resolve, reject }
      this.queue.push(pending)
      if (scanned.newTokens.length === 0) {
        pending.analysed = { terms: [], counts: new Uint32Array(0) }
        this.countReady()
        return
      }
      const id = this.nextId++
      this.waiting.set(id, pending)
      const request: AnalysisRequest = { id, tokens: scanned.newTokens }
      ;(this.workers[id % this.workers.length] as Worker).postMessage(request)
      // Posted (copied): the batch is counted without them.
      pending.scanned = { ...scanned, newTokens: [] }
    })
  }

  /** Stops the workers; batches still in flight are rejected. */
  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.rejectAll(new Error('the analysis pool was closed'))
    this.counter = undefined
    await Promise.all(this.workers.map(async worker => await worker.terminate()))
  }

  private settle (response: AnalysisResponse): void {
    const pending = this.waiting.get(response.id)
    if (pending === undefined) return
    this.waiting.delete(response.id)
    if ('error' in response) return this.fail(new Error(`analysis failed in a worker: ${response.error}`))
    pending.analysed = { terms: response.terms, counts: response.counts }
    this.countReady()
  }

  /** Counts the oldest batches whose new tokens have their terms, in order. */
  private countReady (): void {
    const counter = this.counter
    if (counter === undefined) return
    while (this.queue.length > 0 && (this.queue[0] as Pending).analysed !== undefined) {
      const { scanned, analysed, resolve, reject } = this.queue.shift() as Pending
      const { terms, counts } = analysed as { terms: string[], counts: Uint32Array }
      try {
        let at = 0
        for (const count of counts) {
          counter.setTerms(terms, at, at + count)
          at += count
        }
        resolve(counter.count(scanned))
      } catch (error) {
        reject(error as Error)
        this.fail(error as Error)
      }
    }
  }

  private fail (error: Error): void {
    this.failure ??= error
    this.rejectAll(this.failure)
  }

  private rejectAll (error: Error): void {
    for (const pending of this.queue) pending.reject(error)
    this.queue.length = 0
    this.waiting.clear()
  }
}
