/**
 * `poisk serve --workers N`: N processes (node:cluster) accept on one port and serve the
 * same published index. The primary only supervises: it forks the workers and replaces one
 * that dies. Each worker is an ordinary `serve`, whose rebuild coordinator follows
 * `index/CURRENT` and swaps in a newly published build by itself (requests in flight finish
 * on the build they started with) — the same mechanism that lets replicas behind a load
 * balancer pick up a build published into a shared index folder.
 *
 * Document changes (PUT/DELETE /documents/:id) need one writer: the primary owns the change
 * log (ClusterChangeWriter) and sends every committed change to all workers. Builds need
 * one builder: only the worker started with POISK_CLUSTER_BUILDER=1 (and its replacement)
 * rebuilds, when it finds no usable index or when any worker takes POST /admin/reindex
 * (relayed to it); the others pick up the build it publishes.
 */
import cluster, { type Worker } from 'node:cluster'
import { mkdir } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { pino } from 'pino'
import type { LogLevel, WorkerGc } from '../../config.js'
import { ClusterChangeWriter } from './change-writer.js'
import { CLUSTER_BUILDER_ENV, isWorkerMessage } from './protocol.js'
import { relayRebuild } from './rebuild-relay.js'

export interface PrimaryOptions {
  workers: number
  workerGc: WorkerGc
  indexDir: string
  logLevel: LogLevel
  /** A worker that keeps dying is restarted no faster than this. */
  restartDelayMs: number
  /** Compact the change log once it holds this many entries. */
  compactChangeLogAt: number
}

export const defaultPrimaryOptions = { restartDelayMs: 1000, compactChangeLogAt: 1000 }

const SINGLE_THREADED_GC = '--single-threaded-gc'

/** The exit code of a command that could not start for a reason it printed in one line (cli/main.ts). */
const USAGE_ERROR_EXIT = 2

/**
 * The Node flags a worker starts with. When the workers fill the cores, V8's garbage collector
 * helper threads find no idle core: they take turns with the other workers, and parallel
 * collection's hand-offs cost more than they save. So `auto` collects on the worker's own
 * thread then (2 workers on 2 cores answered 4–12% more requests a second in four A/B rounds
 * of `GET /search`), and keeps V8's default while a core is left over.
 */
export function workerExecArgv (gc: WorkerGc, workers: number, cores: number, execArgv: readonly string[]): string[] {
  const single = gc === 'single' || (gc === 'auto' && workers >= cores)
  return single && !execArgv.includes(SINGLE_THREADED_GC) ? [...execArgv, SINGLE_THREADED_GC] : [...execArgv]
}


/** Runs the supervising process; resolves once the workers are forked. */
export async function runPrimary (options: PrimaryOptions): Promise<void> {
  const log = pino({ level: options.logLevel, base: { pid: process.pid, role: 'primary' } })
  await mkdir(options.indexDir, { recursive: true })
  const changes = await ClusterChangeWriter.open({ indexDir: options.indexDir, compactChangeLogAt: options.compactChangeLogAt, log })
  let stopping = false
  let builder: Worker | undefined
  cluster.on('message', (worker, message) => {
    if (!isWorkerMessage(message)) return
    if (message.kind === 'poisk:change-request' || message.kind === 'poisk:changes-request') changes.handle(worker, message)
    else if (message.kind === 'poisk:reload-announce') orderReload(worker)
    else relayRebuild(worker, message, builder)
  })
  const execArgv = workerExecArgv(options.workerGc, options.workers, availableParallelism(), process.execArgv)
  cluster.setupPrimary({ execArgv })
  const fork = (asBuilder: boolean): Worker => {
    const worker = cluster.fork({ [CLUSTER_BUILDER_ENV]: asBuilder ? '1' : '0' })
    if (asBuilder) builder = worker
    return worker
  }
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return
    if (code === USAGE_ERROR_EXIT) {
      // A worker that cannot start for a reason it already printed (a busy port, a bad setting)
      // would fail the same way forever: stop, as a single-process serve does.
      log.error({ worker: worker.id, code }, 'a worker could not start; stopping')
      stop('SIGTERM', USAGE_ERROR_EXIT)
      return
    }
    log.error({ worker: worker.id, code, signal }, 'worker died; starting another')
    const wasBuilder = worker === builder
    setTimeout(() => { if (!stopping) fork(wasBuilder) }, options.restartDelayMs).unref()
  })
  for (let i = 0; i < options.workers; i++) fork(i === 0)
  log.info({ workers: options.workers, indexDir: options.indexDir, singleThreadedGc: execArgv.includes(SINGLE_THREADED_GC) }, 'serving with worker processes')

  function stop (signal: NodeJS.Signals, exitCode?: number): void {
    if (stopping) process.exit(1)
    stopping = true
    log.info({ signal }, 'shutting down the workers')
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined)
    let failed = false
    let left = workers.length
    const exit = (): void => {
      changes.close().then(() => process.exit(exitCode ?? (failed ? 1 : 0)), (error: unknown) => {
        log.error({ err: error }, 'could not close the change log')
        process.exit(1)
      })
    }
    if (left === 0) exit()
    for (const worker of workers) {
      worker.once('exit', code => {
        failed ||= code !== 0
        left -= 1
        if (left === 0) exit()
      })
      worker.process.kill('SIGTERM')
    }
  }
  /** Every worker but the one that reloaded re-reads the synonyms and CURRENT. */
  function orderReload (from: Worker): void {
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker !== undefined && worker !== from && worker.isConnected()) worker.send({ kind: 'poisk:reload-order' })
    }
  }
  process.on('SIGTERM', signal => stop(signal))
  process.on('SIGINT', signal => stop(signal))
}
