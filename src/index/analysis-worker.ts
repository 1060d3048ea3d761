/**
 * A worker thread of the analysis pool (analysis-pool.ts): analyses the raw tokens a build
 * meets for the first time into their index terms; the main thread counts them. Each worker
 * has its own analyzer (and loads the dictionaries once).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { analyzerForVersion } from '../analysis/analyzer-registry.js'
import type { AnalysisRequest, AnalysisResponse, AnalysisWorkerData } from './analysis-pool.js'

const { analyzerVersion } = workerData as AnalysisWorkerData
const analyzer = analyzerForVersion(analyzerVersion)
if (analyzer === undefined) throw new Error(`no analyzer with version ${analyzerVersion}`)
const port = parentPort
if (port === null) throw new Error('analysis-worker.js runs only as a worker thread')

port.on('message', (request: AnalysisRequest) => {
  let response: AnalysisResponse
  try {
    const terms: string[] = []
    const counts = new Uint32Array(request.tokens.length)
    request.tokens.forEach((token, at) => {
      const found = analyzer.analyzeToken(token)
      counts[at] = found.length
      for (const term of found) terms.push(term)
    })
    response = { id: request.id, terms, counts }
  } catch (error) {
    response = { id: request.id, error: (error as Error).stack ?? String(error) }
  }
  // The counts move to the main thread instead of being copied.
  port.postMessage(response, 'counts' in response ? [response.counts.buffer as ArrayBuffer] : [])
})
