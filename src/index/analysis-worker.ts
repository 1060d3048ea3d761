/**
 * A worker thread of the analysis pool (analysis-pool.ts): turns batches of documents'
 * field texts into counted terms, so the main thread of a build only merges them into the
 * index. Each worker has its own analyzer, term counter and caches (and loads the dictionaries once).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { analyzerForVersion } from '../analysis/analyzer-registry.js'
import { TermCounter } from './document-terms.js'
import type { AnalysedBatch } from './document-terms.js'
import type { AnalysisRequest, AnalysisResponse, AnalysisWorkerData } from './analysis-pool.js'

const { analyzerVersion, termSpace } = workerData as AnalysisWorkerData
const analyzer = analyzerForVersion(analyzerVersion)
if (analyzer === undefined) throw new Error(`no analyzer with version ${analyzerVersion}`)
// One counter for the whole build: its batches are merged in the order it counts them.
const counter = new TermCounter(analyzer, termSpace)
const port = parentPort
if (port === null) throw new Error('analysis-worker.js runs only as a worker thread')

port.on('message', (request: AnalysisRequest) => {
  let response: AnalysisResponse
  try {
    response = { id: request.id, batch: counter.analyse(request.documents, request.fieldCount) }
  } catch (error) {
    response = { id: request.id, error: (error as Error).stack ?? String(error) }
  }
  // The typed arrays move to the main thread instead of being copied.
  port.postMessage(response, 'batch' in response ? transferable(response.batch) : [])
})

function transferable ({ fieldLengths, postings, ends }: AnalysedBatch): ArrayBuffer[] {
  return [fieldLengths.buffer, postings.buffer, ends.buffer] as ArrayBuffer[]
}
