/**
 * The worker thread of `readCorpusInWorker` (read-corpus-in-worker.ts): runs `readCorpus`
 * — reading, gunzipping, decoding, parsing and validating — and posts its events in
 * chunks, never more than a few ahead of what the main thread has taken.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { CorpusEvent } from './corpus-event.js'
import { readCorpus } from './read-corpus.js'
import type { ReaderMessage, ReaderWorkerData } from './read-corpus-in-worker.js'

const port = parentPort
if (port === null) throw new Error('corpus-reader-worker.js runs only as a worker thread')
const { files, chunkEvents, chunksAhead, article } = workerData as ReaderWorkerData

let unanswered = 0
let wake: (() => void) | undefined
port.on('message', () => {
  unanswered -= 1
  wake?.()
  wake = undefined
})

function post (message: ReaderMessage): void {
  ;(port as NonNullable<typeof port>).postMessage(message)
}

async function send (events: CorpusEvent[], bytes: number): Promise<void> {
  post({ type: 'events', events, bytes })
  unanswered += 1
  while (unanswered >= chunksAhead) await new Promise<void>(resolve => { wake = resolve })
}

async function run (): Promise<void> {
  let events: CorpusEvent[] = []
  let bytes = 0
  for await (const event of readCorpus(files, read => { bytes += read }, article)) {
    events.push(event)
    if (events.length >= chunkEvents) {
      const full = events
      const read = bytes
      events = []
      bytes = 0
      await send(full, read)
    }
  }
  post({ type: 'events', events, bytes })
  post({ type: 'done' })
}

run().catch((error: unknown) => {
  post({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
})
