/**
 * Runs `buildIndex` in a child process (see build-worker.ts) and reports it as a promise:
 * progress as it goes, the published build id at the end, a BuildFailedError when the
 * build fails or the process dies (out of memory, SIGKILL). Aborting sends SIGTERM. While a
 * build is served, the child runs below the server's priority, so that serving goes first
 * (process-priority.ts).
 */
import { fork } from 'node:child_process'
import { getPriority } from 'node:os'
import { fileURLToPath } from 'node:url'
import { BuildFailedError } from '../errors.js'
import type { BuildProgress, BuildStage } from './build-index.js'
import { rebuildPriority } from './process-priority.js'

export interface BuildWorkerRequest {
  corpusPaths: string[]
  indexDir: string
  buildId: string
  /** TIME_ZONE, the zone of corpus dates written without one (Europe/Moscow when absent). */
  timeZone?: string
}

/** What the parent adds to a job for its child: the nice value it runs at (process-priority.ts). */
export interface BuildWorkerStart extends BuildWorkerRequest {
  priority: number
}

export type BuildWorkerMessage =
  | { type: 'progress', progress: BuildProgress }
  | { type: 'stage', stage: BuildStage }
  | { type: 'done', buildId: string, documents: number }
  | { type: 'failed', message: string, code?: string }

export interface BuildJob extends BuildWorkerRequest {
  /** Whether a build is live meanwhile: the build then runs below the server's priority, so searches go first. */
  serving?: boolean
  signal: AbortSignal
  onProgress: (progress: BuildProgress) => void
}

/** Runs one build to completion; resolves with the published build id. */
export type BuildRunner = (job: BuildJob) => Promise<{ buildId: string }>

// Resolved from the package root, so it is the compiled worker both from dist/ and from src/ (tests).
const WORKER = fileURLToPath(new URL('../../dist/index/build-worker.js', import.meta.url))

export const forkBuild: BuildRunner = async (job) => {
  const child = fork(WORKER, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' })
  const onAbort = (): void => { child.kill('SIGTERM') }
  job.signal.addEventListener('abort', onAbort, { once: true })
  let outcome: BuildWorkerMessage | undefined
  child.on('message', (message: BuildWorkerMessage) => {
    if (message.type === 'progress') job.onProgress(message.progress)
    else if (message.type === 'done' || message.type === 'failed') outcome = message
  })
  // With nothing served yet, the build is the server's most urgent work: it keeps the server's priority.
  const request: BuildWorkerStart = { priority: job.serving === true ? rebuildPriority() : getPriority(), corpusPaths: job.corpusPaths, indexDir: job.indexDir, buildId: job.buildId, ...(job.timeZone === undefined ? {} : { timeZone: job.timeZone }) }
  child.send(request)
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
    })
    if (outcome?.type === 'done') return { buildId: outcome.buildId }
    if (outcome?.type === 'failed') throw new BuildFailedError(outcome.message, outcome.code)
    throw new BuildFailedError(`the indexer process died (${signal === null ? `exit code ${String(code)}` : signal}) before publishing`)
  } finally {
    job.signal.removeEventListener('abort', onAbort)
  }
}
