/**
 * Runs the HTTP server as a process: loads the newest usable index (or starts without one
 * and answers 503), listens, and shuts down gracefully on SIGTERM/SIGINT — stop accepting,
 * let in-flight requests finish, close the index files, exit.
 */
import type { FastifyInstance } from 'fastify'
import type { Analyzer } from '../analysis/analyzer.js'
import type { HttpConfig, LogLevel } from '../config.js'
import { IndexStore } from '../index/index-store.js'
import { removeTempBuilds } from '../index/index-directory.js'
import { openNewestUsable, type Snapshot } from '../index/open-index.js'
import { buildApp } from './app.js'

export interface ServeOptions {
  indexDir: string
  port: number
  host: string
  analyzer: Analyzer
  logLevel: LogLevel
  /** A snapshot the caller already loaded (npm start builds, then serves). */
  snapshot?: Snapshot
  /** Limits and protections (defaults from `defaultConfig.http`). */
  http?: HttpConfig
}

export interface RunningServer {
  app: FastifyInstance
  store: IndexStore
  url: string
  close: () => Promise<void>
}

export async function serve (options: ServeOptions): Promise<RunningServer> {
  const app = await buildApp({ store: new IndexStore(), logger: { level: options.logLevel }, operations: options.http })
  const store = app.indexStore
  const snapshot = options.snapshot ?? await loadNewest(app, options)
  if (snapshot !== undefined) store.swap(snapshot)
  const url = await app.listen({ port: options.port, host: options.host })
  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    closing ??= app.close().then(async () => await store.close())
    await closing
  }
  return { app, store, url, close }
}

async function loadNewest (app: FastifyInstance, options: ServeOptions): Promise<Snapshot | undefined> {
  const removed = await removeTempBuilds(options.indexDir)
  if (removed.length > 0) app.log.warn({ removed }, 'removed unfinished builds left by an interrupted indexer')
  const { snapshot, rejected } = await openNewestUsable(options.indexDir, options.analyzer)
  for (const build of rejected) app.log.warn({ buildId: build.buildId, reason: build.reason }, 'index build not usable')
  if (snapshot === undefined) {
    app.log.error({ indexDir: options.indexDir }, 'no usable index: serving 503 until one is built (npx poisk index …)')
  } else {
    app.log.info({ buildId: snapshot.buildId, documents: snapshot.manifest.documentCount }, 'index loaded')
  }
  return snapshot
}

/** Closes the server on SIGTERM/SIGINT; a second signal exits at once. */
export function closeOnSignals (server: RunningServer): void {
  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1)
    stopping = true
    server.app.log.info({ signal }, 'shutting down')
    server.close().then(() => process.exit(0), (error: unknown) => {
      server.app.log.error({ err: error }, 'shutdown failed')
      process.exit(1)
    })
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
