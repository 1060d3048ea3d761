/**
 * `poisk serve --workers N`: N processes (node:cluster) accept on one port and serve the
 * same published index. The primary only supervises: it forks the workers, replaces one
 * that dies, and watches `index/CURRENT`; when a new build is published it tells every
 * worker, and each loads that build and swaps it in by itself (requests in flight finish
 * on the build they started with). A worker is an ordinary `serve` plus `followPublishedBuilds`;
 * a single-process server follows CURRENT itself the same way (`watchPublishedBuilds`), so
 * replicas behind a load balancer pick up a build published into a shared index folder.
 */
import cluster, { type Worker } from 'node:cluster'
import { unwatchFile, watchFile, type Stats } from 'node:fs'
import { join } from 'node:path'
import { pino } from 'pino'
import type { Analyzer } from '../analysis/analyzer.js'
import type { LogLevel } from '../config.js'
import { readCurrentBuildId } from '../index/index-directory.js'
import { openNewestUsable } from '../index/open-index.js'
import type { RunningServer } from './serve.js'

export interface PrimaryOptions {
  workers: number
  indexDir: string
  logLevel: LogLevel
  /** How often CURRENT is checked (stat polling also sees a file replaced by rename). */
  pollIntervalMs: number
  /** A worker that keeps dying is restarted no faster than this. */
  restartDelayMs: number
}

export const defaultPrimaryOptions = { pollIntervalMs: 1000, restartDelayMs: 1000 }

const RELOAD = 'poisk:reload'

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

  const current = join(options.indexDir, 'CURRENT')
  const onChange = (now: Stats, before: Stats): void => {
    if (now.mtimeMs === before.mtimeMs && now.ino === before.ino) return
    log.info({ indexDir: options.indexDir }, 'a new build was published: telling the workers')
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send({ type: RELOAD })
  }
  watchFile(current, { interval: options.pollIntervalMs }, onChange)

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1)
    stopping = true
    unwatchFile(current, onChange)
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

export interface FollowOptions {
  indexDir: string
  analyzer: Analyzer
}

/**
 * In a worker: on the primary's word, loads the published build and swaps it in. Reloads
 * run one at a time; a notice arriving during one triggers one more pass after it.
 */
export function followPublishedBuilds (server: RunningServer, options: FollowOptions): () => void {
  let running: Promise<void> | undefined
  let again = false
  const reload = async (): Promise<void> => {
    const published = await readCurrentBuildId(options.indexDir)
    if (published === undefined || published === server.store.current()?.buildId) return
    const { snapshot, rejected } = await openNewestUsable(options.indexDir, options.analyzer)
    for (const build of rejected) server.app.log.warn({ buildId: build.buildId, reason: build.reason }, 'index build not usable')
    if (snapshot === undefined || snapshot.buildId === server.store.current()?.buildId) {
      await snapshot?.documents.close()
      return
    }
    server.store.swap(snapshot)
    server.app.log.info({ buildId: snapshot.buildId, documents: snapshot.manifest.documentCount }, 'swapped in the published index')
  }
  const run = (): void => {
    if (running !== undefined) {
      again = true
      return
    }
    running = reload()
      .catch((error: unknown) => { server.app.log.error({ err: error }, 'loading the published index failed; still serving the previous one') })
      .finally(() => {
        running = undefined
        if (again) {
          again = false
          run()
        }
      })
  }
  process.on('message', (message: { type?: string }) => { if (message?.type === RELOAD) run() })
  return run
}

/** A single process: watches CURRENT itself and reloads on change. Returns a stop function. */
export function watchPublishedBuilds (server: RunningServer, options: FollowOptions & { pollIntervalMs: number }): () => void {
  const reload = followPublishedBuilds(server, options)
  const current = join(options.indexDir, 'CURRENT')
  const onChange = (now: Stats, before: Stats): void => {
    if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) reload()
  }
  // Not persistent: the watch alone must not keep a closing server's process alive.
  watchFile(current, { interval: options.pollIntervalMs, persistent: false }, onChange)
  return () => unwatchFile(current, onChange)
}
