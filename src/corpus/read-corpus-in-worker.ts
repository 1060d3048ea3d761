/**
 * `readCorpus` in a worker thread: the same events in the same order, but reading,
 * gunzipping, UTF-8 decoding, JSON parsing and validating a large corpus — about half of
 * a build's main-thread time — run beside the main thread instead of on it. Malformed
 * records are reported exactly as `readCorpus` reports them (it is the same code).
 *
 * Events come in chunks, and the worker stays at most `chunksAhead` chunks ahead of the
 * consumer, so memory stays bounded however large the corpus.
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { BuildFailedError } from '../errors.js'
import type { ArticleOptions } from './article.js'
import type { CorpusEvent } from './corpus-event.js'
import type { CorpusFile } from './corpus-files.js'
import type { BytesListener } from './open-input.js'

export interface ReadInWorkerOptions extends ArticleOptions {
  /** Events per message. */
  chunkEvents?: number
  /** Messages the worker may post before the consumer has taken the first of them. */
  chunksAhead?: number
}

export interface ReaderWorkerData {
  files: readonly CorpusFile[]
  article: ArticleOptions
  chunkEvents: number
  chunksAhead: number
}

export type ReaderMessage =
  | { type: 'events', events: CorpusEvent[], bytes: number }
  | { type: 'done' }
  | { type: 'failed', message: string }

const DEFAULTS = { chunkEvents: 32, chunksAhead: 8 }

// Resolved from the package root, so it is the compiled worker both from dist/ and from src/ (tests).
const WORKER = fileURLToPath(new URL('../../dist/corpus/corpus-reader-worker.js', import.meta.url))

export async function * readCorpusInWorker (files: readonly CorpusFile[], onBytes?: BytesListener, options: ReadInWorkerOptions = {}): AsyncGenerator<CorpusEvent> {
  const { chunkEvents, chunksAhead, timeZone } = { ...DEFAULTS, ...options }
  const workerData: ReaderWorkerData = { files, chunkEvents, chunksAhead, article: timeZone === undefined ? {} : { timeZone } }
  const worker = new Worker(WORKER, { workerData })
  const inbox = new Inbox()
  worker.on('message', (message: ReaderMessage) => inbox.put(message))
  worker.on('error', error => inbox.fail(error))
  worker.on('exit', code => inbox.fail(new BuildFailedError(`the corpus reader thread exited (code ${code}) before the corpus was read`)))
  try {
    for (;;) {
      const message = await inbox.take()
      if (message.type === 'done') return
      // Unreadable files and malformed records are skip events; this is a fault of the reader itself.
      if (message.type === 'failed') throw new BuildFailedError(`reading the corpus failed: ${message.message}`)
      // Taken: the worker may read one more chunk ahead.
      worker.postMessage(null)
      if (message.bytes > 0) onBytes?.(message.bytes)
      yield * message.events
    }
  } finally {
    // Also when the consumer stops early (an aborted build): the reader must not run on.
    await worker.terminate()
  }
}

/** Messages in arrival order, taken one at a time; a failure is thrown to the taker once the messages before it are taken. */
class Inbox {
  private readonly messages: ReaderMessage[] = []
  private failure: Error | undefined
  private waiter: (() => void) | undefined

  put (message: ReaderMessage): void {
    this.messages.push(message)
    this.wake()
  }

  fail (error: Error): void {
    this.failure ??= error
    this.wake()
  }

  async take (): Promise<ReaderMessage> {
    for (;;) {
      const message = this.messages.shift()
      if (message !== undefined) return message
      if (this.failure !== undefined) throw this.failure
      await new Promise<void>(resolve => { this.waiter = resolve })
    }
  }

  private wake (): void {
    this.waiter?.()
    this.waiter = undefined
  }
}
