/**
 * `poisk serve --workers N`: N processes (node:cluster) accept on one port and serve the
 * same published index. The primary only supervises: it forks the workers and replaces one
 * that dies. Each worker is an ordinary `serve`, whose rebuild coordinator follows
 * `index/CURRENT` and swaps in a newly published build by itself (requests in flight finish
 * on the build they started with) — the same mechanism that lets replicas behind a load
 * balancer pick up a build published into a shared index folder.
 */
import cluster, { type Worker } from 'node:cluster'
import { pino } from 'pino'
import type { LogLevel } from '../config.js'

export interface PrimaryOptions {
  workers: number
  indexDir: string
  logLevel: LogLevel
  /** A worker that keeps dying is restarted no faster than this. */
  restartDelayMs: number
}

export const defaultPrimaryOptions = { restartDelayMs: 1000 }

/** Runs the supervising process; returns once the workers are forked. */
export function runPrimary (options: PrimaryOptions): void {
  const log = pino({ level: options.logLevel, base: { pid: process.pid, role: 'primary' } })
  let stopping = false
  const fork = (): Worker => cluster.fork()
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return
    log.error({ worker: worker.id, code, signal }, 'worker died; starting another')
    setTimeout(() => { if (!stopping) fork() }, options.restartDelayMs).unref()
  })
  for (let i = 0; i < options.workers; i++) fork()
  log.info({ workers: options.workers, indexDir: options.indexDir }, 'serving with worker processes')

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1)
    stopping = true
    log.info({ signal }, 'shutting down the workers')
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined)
    let failed = false
    let left = workers.length
    if (left === 0) process.exit(0)
    for (const worker of workers) {
      worker.once('exit', code => {
        failed ||= code !== 0
        left -= 1
        if (left === 0) process.exit(failed ? 1 : 0)
      })
      worker.process.kill('SIGTERM')
    }
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
