/**
 * The suggestion table's worker thread (suggest-sink.ts): counts the word forms and pairs of
 * the documents it is sent, and hands back the encoded table when told the build is done.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { SuggestWorkerData, SuggestWorkerRequest, SuggestWorkerResponse } from './suggest-sink.js'
import { defaultSuggestTableOptions, SuggestCollector } from './suggest-table.js'

const port = parentPort
if (port === null) throw new Error('suggest-worker.js runs only as a worker thread')
const { scratchDir } = workerData as SuggestWorkerData
const collector = new SuggestCollector(defaultSuggestTableOptions, scratchDir === undefined ? undefined : { dir: scratchDir })

port.on('message', (request: SuggestWorkerRequest) => {
  let response: SuggestWorkerResponse
  try {
    if (request.type === 'batch') {
      request.titles.forEach((title, at) => collector.addDocument(title, request.bodies[at] ?? ''))
      response = { type: 'counted' }
    } else {
      const bytes = collector.encode()
      // Handed over, not copied: the table's buffer is its own (a ByteWriter's, never Node's shared pool of small buffers).
      const owned = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      response = { type: 'table', bytes: owned }
      port.postMessage(response, [owned.buffer as ArrayBuffer])
      return
    }
  } catch (error) {
    response = { type: 'error', error: (error as Error).stack ?? String(error) }
  }
  port.postMessage(response)
})
