/**
 * Runs the HTTP server as a process: loads the newest usable index (or starts without one
 * and answers 503), keeps it fresh through the RebuildCoordinator (rebuilds, builds
 * published by `poisk index`, live document changes), listens, and shuts down gracefully on
 * SIGTERM/SIGINT — stop accepting, let in-flight requests finish, stop a running build
 * (which removes its temporary folder), close the index files, exit.
 */
import type { FastifyInstance } from 'fastify'
import type { Analyzer } from '../analysis/analyzer.js'
import type { HttpConfig, LogLevel } from '../config.js'
import type { DocumentStoreOptions } from '../index/document-store.js'
import { IndexStore } from '../live/index-store.js'
import type { Snapshot } from '../index/open-index.js'
import { RebuildCoordinator, type RebuildCoordinatorOptions } from '../live/rebuild-coordinator.js'
import { vocabularyOf } from '../search/vocabulary.js'
import { SynonymsSource, type Synonyms } from '../search/synonyms.js'
import { buildApp } from './app.js'
import { isBuilderWorker, isPoiskWorker } from './cluster/protocol.js'
import { WorkerLink } from './cluster/worker-link.js'

export interface ServeOptions {
  indexDir: string
  port: number
  host: string
  analyzer: Analyzer
  logLevel: LogLevel
  /** What POST /admin/reindex (and a start without a usable index) builds from. */
  corpusPaths?: string[]
  /** Enables the admin routes. */
  adminToken?: string
  /** A snapshot the caller already loaded (npm start builds, then serves). */
  snapshot?: Snapshot
  /** Overrides for the coordinator (tests: watch interval, build runner). */
  coordinator?: Partial<Pick<RebuildCoordinatorOptions, 'watchIntervalMs' | 'runBuild' | 'compactChangeLogAt'>>
  /** Limits and protections (defaults from `defaultConfig.http`). */
  http?: HttpConfig
  /** How served builds hold their documents (`DOCUMENTS_IN_MEMORY_MB`). */
  documents?: DocumentStoreOptions
  /** SYNONYMS_FILE's rules, as read at start. */
  synonyms?: Synonyms
}

export interface RunningServer {
  app: FastifyInstance
  store: IndexStore
  coordinator: RebuildCoordinator
  url: string
  close: () => Promise<void>
}

export async function serve (options: ServeOptions): Promise<RunningServer> {
  const store = new IndexStore()
  let app: FastifyInstance | undefined
  const log = (): FastifyInstance['log'] => (app as FastifyInstance).log
  // A cluster worker leaves the change log to the primary, and rebuilds to the builder worker.
  const link = isPoiskWorker() ? new WorkerLink() : undefined
  const builder = isBuilderWorker()
  const coordinator = new RebuildCoordinator({
    indexDir: options.indexDir,
    corpusPaths: options.corpusPaths ?? [],
    analyzer: options.analyzer,
    store,
    prepare: snapshot => { vocabularyOf(snapshot) },
    ...(options.documents === undefined ? {} : { documents: options.documents }),
    logger: {
      info: (details, message) => log().info(details, message),
      warn: (details, message) => log().warn(details, message),
      error: (details, message) => log().error(details, message)
    },
    ...(link === undefined
      ? {}
      : {
          commitChange: async operation => await link.commitChange(operation),
          rebuildWhenEmpty: builder,
          ...(builder ? {} : { forwardRebuild: async () => await link.requestRebuild() })
        }),
    ...options.coordinator
  })
  link?.attach(coordinator, {
    applyFailed: (error, change) => log().error({ err: error, seq: change.seq, id: change.id }, 'could not apply a committed document change'),
    rebuildFailed: error => log().error({ err: error }, 'could not start a rebuild another worker asked for')
  })
  const synonyms = options.synonyms === undefined ? undefined : new SynonymsSource(options.synonyms)
  app = await buildApp({
    store,
    ...(synonyms === undefined ? {} : { synonyms }),
    logger: { level: options.logLevel, redact: ['req.headers.authorization'] },
    operations: options.http,
    writeState: coordinator.writeState,
    ...(options.adminToken === undefined ? {} : { admin: { token: options.adminToken, coordinator } })
  })
  await coordinator.start(options.snapshot)
  const url = await app.listen({ port: options.port, host: options.host })
  const running = app
  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    closing ??= running.close()
      .then(async () => await coordinator.close())
      .then(async () => await store.close())
    await closing
  }
  return { app, store, coordinator, url, close }
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
