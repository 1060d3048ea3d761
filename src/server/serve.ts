/**
 * Runs the HTTP server as a process: listens, then loads the newest usable index (answering
 * 503 until it is live, or for good when there is none to load or build), keeps it fresh
 * through the RebuildCoordinator (rebuilds, builds published by `poisk index`, live document
 * changes), and shuts down gracefully on
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
import { startFollowing, type FollowConfig, type PostgresFollower } from '../live/postgres-follower.js'
import { prepareVocabulary, prepareVocabularyInBackground } from '../search/vocabulary.js'
import { warmUp } from '../search/warm-up.js'
import { prepareSearching } from '../search/prepare-searching.js'
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
  /** Where log lines go (the CLI's readable lines on a terminal); JSON on stdout when not given. */
  logStream?: NodeJS.WritableStream
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
  /** `--follow`: keeps the index in step with a PostgreSQL table (one process of a cluster: the builder worker). */
  follow?: FollowConfig
  /** TIME_ZONE: dates without a zone in rebuilds and PUTs, /search's days and months (Europe/Moscow when not given). */
  timeZone?: string
}

/** Logged once the start's load is over: the index live, or the 503 settled (tests and tools wait for it). */
export const STARTUP_COMPLETE = 'startup complete'

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
  // A failed warm-up costs its build slower first queries, nothing else: logged, never thrown.
  const warmUpLogged = async (snapshot: Snapshot): Promise<void> => {
    const started = performance.now()
    try {
      const queries = await warmUp(snapshot, (app as FastifyInstance).queryOptions)
      log().info({ ms: Math.round(performance.now() - started), queries }, 'searches warmed up')
    } catch (error) {
      log().error({ err: error }, 'could not warm up the searches')
    }
  }
  // A cluster worker leaves the change log to the primary, and rebuilds to the builder worker.
  const link = isPoiskWorker() ? new WorkerLink() : undefined
  const builder = isBuilderWorker()
  const coordinator = new RebuildCoordinator({
    indexDir: options.indexDir,
    corpusPaths: options.corpusPaths ?? [],
    analyzer: options.analyzer,
    store,
    // At start nothing is served yet: go live, and finish the headline words, the length columns
    // and the groups by short id in the background, then search the build's most frequent words
    // (warm-up.ts). A new build replaces a live one only once they are all made, and the
    // term-tree nodes the live build's queries reached are decoded in it (prepare-searching.ts,
    // vocabulary.ts): its first queries then make none of them.
    prepare: async (snapshot, origin) => {
      if (origin === 'startup') {
        prepareSearching(snapshot).then(async () => await warmUpLogged(snapshot), error => log().error({ err: error }, 'could not prepare the length columns and groups'))
        prepareVocabularyInBackground(snapshot, error => log().error({ err: error }, 'could not prepare the vocabulary'),
          ms => log().info({ ms: Math.round(ms) }, 'vocabulary prepared'))
      } else {
        await prepareSearching(snapshot, { served: store.current() })
        await prepareVocabulary(snapshot)
        await warmUpLogged(snapshot)
      }
    },
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
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
          commitChanges: async operations => await link.commitChanges(operations),
          rebuildWhenEmpty: builder,
          ...(builder ? {} : { forwardRebuild: async () => await link.requestRebuild() })
        }),
    ...options.coordinator
  })
  const synonyms = options.synonyms === undefined ? undefined : new SynonymsSource(options.synonyms)
  link?.attach(coordinator, {
    applyFailed: (error, change) => log().error({ err: error, seq: change.seq, id: change.id }, 'could not apply a committed document change'),
    rebuildFailed: error => log().error({ err: error }, 'could not start a rebuild another worker asked for'),
    reload: () => reloadAsAnotherWorkerDid(synonyms, coordinator, log())
  })
  // The analyzer's dictionaries load on its first word, in one synchronous step (az's, 0.2–0.5 s):
  // before the app exists and listens, not as a stall of a server already taking requests.
  options.analyzer.termsOf('словарь')
  app = await buildApp({
    store,
    ...(synonyms === undefined ? {} : { synonyms }),
    logger: { level: options.logLevel, redact: ['req.headers.authorization'], ...(options.logStream === undefined ? {} : { stream: options.logStream }) },
    operations: options.http,
    writeState: coordinator.writeState,
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    ...(options.adminToken === undefined ? {} : { admin: { token: options.adminToken, coordinator, ...(link === undefined ? {} : { announceReload: () => link.announceReload() }) } })
  })
  // Listen first: until the index is live, /health answers 503 (status "starting") and searches
  // 503 POISK_INDEX_NOT_READY, instead of a balancer's probe finding the port closed for the
  // length of a load (tens of seconds for a large archive).
  const url = await app.listen({ port: options.port, host: options.host })
  const running = app
  // The route schemas were left uncompiled so as not to stall the start: compiled now, one per turn, unless a request needs one first.
  running.deferredSchemas.compileAll().catch(error => running.log.error({ err: error }, 'route schemas did not compile'))
  try {
    await coordinator.start(options.snapshot)
  } catch (error) {
    await running.close()
    await coordinator.close().catch(() => {})
    throw error
  }
  running.log.info({ buildId: store.current()?.buildId ?? null }, STARTUP_COMPLETE)
  const follower: PostgresFollower | undefined = options.follow === undefined || (link !== undefined && !builder)
    ? undefined
    : startFollowing(coordinator, store, options.indexDir, options.follow, running.log, options.timeZone === undefined ? undefined : { timeZone: options.timeZone })
  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    closing ??= running.close()
      .then(async () => await follower?.stop())
      .then(async () => await coordinator.close())
      .then(async () => await store.close())
    await closing
  }
  return { app, store, coordinator, url, close }
}

/** What `closeOnSignals` needs of the process (tests pass their own). */
export interface SignalTarget {
  on: (signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void) => unknown
  exit: (code: number) => void
}

/**
 * Closes the server on SIGTERM/SIGINT and exits 0; a second signal exits 1 at once. Installed
 * before `serve` starts: it listens first and loads after (seconds at 800k), and a signal in
 * that time would otherwise meet Node's default and end the process mid-load, killed, with no
 * clean exit for a supervisor to see. Such a signal closes the server as soon as the start is
 * over; a start that fails is reported by its caller.
 */
export function closeOnSignals (starting: Promise<RunningServer>, target: SignalTarget = process): void {
  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) target.exit(1)
    stopping = true
    starting.then(async server => {
      server.app.log.info({ signal }, 'shutting down')
      await server.close().then(() => target.exit(0), (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed')
        target.exit(1)
      })
    }, () => {})
  }
  target.on('SIGTERM', stop)
  target.on('SIGINT', stop)
}

/** POST /admin/reload, taken by another worker of the cluster: the same re-reads here; a failure is logged, the old rules kept. */
function reloadAsAnotherWorkerDid (synonyms: SynonymsSource | undefined, coordinator: RebuildCoordinator, log: FastifyInstance['log']): void {
  try {
    const rules = synonyms?.reload().rules.length
    log.info({ synonymRules: rules }, 'reloaded, as another worker was asked to')
  } catch (error) {
    log.error({ err: error }, 'could not re-read SYNONYMS_FILE for a reload another worker took; the old rules stay')
  }
  coordinator.reload().catch((error: unknown) => log.error({ err: error }, 'could not reload index/CURRENT for a reload another worker took'))
}
