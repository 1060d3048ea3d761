/**
 * Keeps a served index fresh without failing a search: runs rebuilds (one at a time; a
 * request during a build joins it), loads new builds off the request path, checks them,
 * replays the change log over them and swaps them in by one reference change. It also
 * picks up builds published by another process. Live document changes are
 * `live-changes.ts`'s, run in this coordinator's serial queue: everything that changes
 * which index is live, or what it holds, takes its turn there, so no change falls between
 * two builds.
 */
import { mkdir } from 'node:fs/promises'
import type { Analyzer } from '../analysis/analyzer.js'
import { corpusPathForLogs } from '../corpus/postgres-source.js'
import { PoiskError } from '../errors.js'
import { acquireBuildLock, buildLockHolder } from '../index/build-lock.js'
import type { BuildProgress } from '../index/build-index.js'
import { forkBuild, type BuildRunner } from '../index/build-process.js'
import { checkCanaries } from './canary.js'
import type { ChangeOperation, DocumentChange } from '../index/change-records.js'
import { CurrentWatcher } from './current-watcher.js'
import { inspectCurrent, newBuildId, readCurrentBuildId, removeTempBuilds, setCurrentBuild, type CurrentState } from '../index/index-directory.js'
import type { IndexStore } from './index-store.js'
import type { DocumentStoreOptions } from '../index/document-store.js'
import { closeSnapshot, loadBuild, openNewestUsable, type OpenResult, type Snapshot } from '../index/open-index.js'
import { SerialQueue } from './serial-queue.js'
import { WriteState } from './write-state.js'
import type { ChangeLogOptions } from './change-log.js'
import { LiveChanges, type CommittedChange, type DocumentPatch } from './live-changes.js'
import type { FollowStatus } from './postgres-follower.js'
import { isVocabularyPrepared } from '../search/vocabulary.js'

export interface CoordinatorLogger {
  info: (details: object, message: string) => void
  warn: (details: object, message: string) => void
  error: (details: object, message: string) => void
}

export interface RebuildCoordinatorOptions {
  indexDir: string
  corpusPaths: string[]
  analyzer: Analyzer
  store: IndexStore
  logger: CoordinatorLogger
  /** How a build is run; a child process by default. */
  runBuild: BuildRunner
  /** Poll interval of the CURRENT watcher; 0 disables watching. */
  watchIntervalMs: number
  /** Compact the change log once it holds this many entries. */
  compactChangeLogAt: number
  /** How loaded builds hold their documents (in memory or read per hit). */
  documents?: DocumentStoreOptions
  /**
   * Warms per-snapshot structures (the search vocabulary) after a build is loaded and before
   * it is checked and goes live, so neither the canary's searches nor the first request on
   * the new build pay for them. Asynchronous, so that it can yield to the event loop.
   */
  prepare?: (snapshot: Snapshot, origin: BuildOrigin) => Promise<void> | void
  /**
   * Set in a cluster worker: has the change logged by the one writer (the primary) and
   * resolves once this process has applied it (`applyCommitted`); `existed` is undefined
   * when the change was already live here (replayed with a new build).
   */
  commitChange?: (operation: ChangeOperation) => Promise<CommittedChange>
  /** Set in a cluster worker: `commitChange` for a bulk import's batch, logged by the primary with one append. */
  commitChanges?: (operations: readonly ChangeOperation[]) => Promise<CommittedChange[]>
  /** Set in a cluster worker that is not the builder: has the builder worker start (or join) the rebuild. */
  forwardRebuild?: () => Promise<RebuildAnswer>
  /** Start a rebuild when no usable index exists (in a cluster only one worker does). */
  rebuildWhenEmpty: boolean
  /** Whether changes can be written now (shown by /health); one per process. */
  writeState?: WriteState
  /** How the change log opens its file (tests inject faults). */
  changeLogFile?: ChangeLogOptions['openFile']
  /** TIME_ZONE: the zone of dates written without one, in rebuilds and PATCHes (Europe/Moscow when not given). */
  timeZone?: string
}

export type { CommittedChange } from './live-changes.js'

/** What came of a rebuild request: started or joined, refused for another builder's lock, or not reachable. */
export type RebuildAnswer =
  | { outcome: 'started', buildId: string, joined: boolean }
  | { outcome: 'locked', pid: number }
  | { outcome: 'unavailable', message: string }
  | { outcome: 'no-corpus', message: string }

const defaults = { runBuild: forkBuild, watchIntervalMs: 2000, compactChangeLogAt: 1000, rebuildWhenEmpty: true }

export type BuildOrigin = 'startup' | 'rebuild' | 'reload'

export interface RebuildStatus {
  state: 'idle' | 'building'
  build: { buildId: string, startedAt: string, progress: BuildProgress & { documentsExpected: number | null } } | null
  current: { buildId: string, documents: number, vocabularyReady: boolean } | null
  lastSuccess: { buildId: string, origin: BuildOrigin, at: string, documents: number, durationMs?: number } | null
  lastError: { buildId?: string, origin: BuildOrigin, at: string, message: string, code?: string } | null
  changes: { logged: number, lastSeq: number }
  /** `serve --follow`: where this process is in the followed table (postgres-follower.ts). */
  follow?: FollowStatus
}

interface RunningBuild {
  buildId: string
  startedAt: Date
  progress: BuildProgress
  controller: AbortController
  done: Promise<void>
}

export class RebuildCoordinator {
  private readonly options: RebuildCoordinatorOptions
  private readonly queue = new SerialQueue()
  private readonly rejected = new Map<string, Error>()
  private running: RunningBuild | undefined
  private readonly changes: LiveChanges
  private watcher: CurrentWatcher | undefined
  private lastSuccess: RebuildStatus['lastSuccess'] = null
  private lastError: RebuildStatus['lastError'] = null
  private closed = false
  /** Set by `serve --follow` in the process that follows. */
  followStatus: (() => FollowStatus) | undefined
  readonly writeState: WriteState

  constructor (options: Pick<RebuildCoordinatorOptions, 'indexDir' | 'corpusPaths' | 'analyzer' | 'store' | 'logger'> & Partial<RebuildCoordinatorOptions>) {
    this.options = { ...defaults, ...options }
    this.writeState = options.writeState ?? new WriteState(options.indexDir)
    this.changes = new LiveChanges({
      indexDir: this.options.indexDir,
      store: this.options.store,
      queue: this.queue,
      logger: this.options.logger,
      writeState: this.writeState,
      compactChangeLogAt: this.options.compactChangeLogAt,
      ...(this.options.commitChange === undefined ? {} : { commitChange: this.options.commitChange }),
      ...(this.options.commitChanges === undefined ? {} : { commitChanges: this.options.commitChanges }),
      ...(this.options.changeLogFile === undefined ? {} : { changeLogFile: this.options.changeLogFile }),
      ...(this.options.timeZone === undefined ? {} : { timeZone: this.options.timeZone })
    })
  }

  /**
   * Opens the change log, loads the newest usable build (or adopts `initial`), replays the
   * changes it lacks and starts watching CURRENT. With no usable index it starts a rebuild
   * when the corpus can be read, and otherwise leaves the server answering 503.
   */
  async start (initial?: Snapshot): Promise<void> {
    await mkdir(this.options.indexDir, { recursive: true })
    const changes = await this.changes.open()
    const { snapshot, rejected } = initial === undefined ? await this.openNewest() : { snapshot: initial, rejected: [] }
    const indexDir = this.options.indexDir
    if (snapshot !== undefined) {
      await this.options.prepare?.(snapshot, 'startup')
      // A follower reads the log inside the queue: a change committed meanwhile is either in that read or applied after it.
      await this.queue.run(async () => await this.goLive(snapshot, 'startup', changes ?? await this.changes.logged()))
      await this.repairCurrent(snapshot.buildId)
    } else if (this.options.corpusPaths.length === 0) {
      // Nothing here will build one (nor a cluster's builder worker, which has the same corpus): say why, and wait.
      const why = rejected.length === 0 ? 'no build was ever published there' : rejected.map(build => `${build.buildId}: ${build.reason}`).join('; ')
      const reason = `no usable index in ${indexDir} (${why}), and no corpus to build one from: build one with poisk index --corpus PATH --index ${indexDir}, or serve with --corpus PATH`
      this.options.store.markUnavailable(reason)
      this.options.logger.error({ indexDir, rejected }, `serving 503: ${reason}`)
    } else if (!this.options.rebuildWhenEmpty) {
      this.options.logger.error({ indexDir }, 'no usable index: serving 503 until another process publishes one')
    } else {
      this.options.logger.error({ indexDir: this.options.indexDir, corpus: this.options.corpusPaths.map(corpusPathForLogs) }, 'no usable index: serving 503 while it is rebuilt from the corpus')
      this.requestRebuild()
    }
    if (this.options.watchIntervalMs > 0) {
      this.watcher = new CurrentWatcher(this.options.indexDir, buildId => { void this.reloadQuietly(buildId) }, { pollIntervalMs: this.options.watchIntervalMs })
      await this.watcher.start()
    }
  }

  /** The pid of another process building into this folder (`poisk index`), if any. */
  async foreignBuilder (): Promise<number | undefined> {
    if (this.running !== undefined) return undefined
    return await buildLockHolder(this.options.indexDir)
  }

  /**
   * POST /admin/reindex: starts a rebuild or joins the one running, unless another process
   * (`poisk index`) holds the build lock. In a cluster, the builder worker does it.
   */
  async startRebuild (): Promise<RebuildAnswer> {
    if (this.options.forwardRebuild !== undefined) return await this.options.forwardRebuild()
    // A build of no corpus holds only the logged changes: made live, it would drop every document the served build
    // was made from (a server started with --index alone, one PUT, then a reindex served one document).
    if (this.options.corpusPaths.length === 0) {
      return { outcome: 'no-corpus', message: `no corpus to rebuild ${this.options.indexDir} from: serve with --corpus PATH (or CORPUS_DIR) to rebuild it, or build it with poisk index --corpus PATH --index ${this.options.indexDir}` }
    }
    const pid = await this.foreignBuilder()
    if (pid !== undefined) return { outcome: 'locked', pid }
    return { outcome: 'started', ...this.requestRebuild() }
  }

  /** Starts a rebuild, or joins the one running; answers with its build id. */
  requestRebuild (): { buildId: string, joined: boolean } {
    if (this.running !== undefined) return { buildId: this.running.buildId, joined: true }
    const buildId = newBuildId()
    const controller = new AbortController()
    const running: RunningBuild = {
      buildId,
      startedAt: new Date(),
      progress: { bytesRead: 0, bytesTotal: 0, indexed: 0, skipped: 0 },
      controller,
      done: Promise.resolve()
    }
    this.running = running
    running.done = this.runRebuild(running).finally(() => { this.running = undefined })
    this.options.logger.info({ buildId }, 'rebuild started')
    return { buildId, joined: false }
  }

  /** Resolves when the running build (if any) has finished, successfully or not. */
  async idle (): Promise<void> {
    await this.running?.done
  }

  /** Makes the build named in CURRENT live if it is not already (POST /admin/reload). */
  async reload (): Promise<{ buildId: string | undefined, changed: boolean }> {
    const buildId = await readCurrentBuildId(this.options.indexDir)
    if (buildId === undefined) return { buildId: undefined, changed: false }
    const changed = await this.activate(buildId, 'reload')
    return { buildId, changed }
  }

  /** PUT and DELETE /documents/:id: see LiveChanges.change. */
  async changeDocument (change: ChangeOperation): Promise<{ seq: number, existed: boolean }> {
    return await this.changes.change(change)
  }

  /** POST /documents/_bulk, a batch at a time: see LiveChanges.changeAll. */
  async changeDocuments (changes: readonly ChangeOperation[]): Promise<Array<{ seq: number, existed: boolean }>> {
    return await this.changes.changeAll(changes)
  }

  /** PATCH /documents/:id: see LiveChanges.patch. */
  async patchDocument (id: string, fields: DocumentPatch): Promise<{ seq: number, existed: boolean }> {
    return await this.changes.patch(id, fields)
  }

  /** In a cluster worker: a change the primary logged (see LiveChanges.applyCommitted). */
  async applyCommitted (change: DocumentChange): Promise<{ existed: boolean | undefined }> {
    return await this.changes.applyCommitted(change)
  }

  /** In a cluster worker: a batch the primary logged with one append (see LiveChanges.applyCommittedAll). */
  async applyCommittedAll (changes: readonly DocumentChange[]): Promise<Array<{ existed: boolean | undefined }>> {
    return await this.changes.applyCommittedAll(changes)
  }

  status (): RebuildStatus {
    const current = this.options.store.current()
    const running = this.running
    return {
      state: running === undefined ? 'idle' : 'building',
      build: running === undefined
        ? null
        : {
            buildId: running.buildId,
            startedAt: running.startedAt.toISOString(),
            progress: { ...running.progress, documentsExpected: current?.miniSearch.documentCount ?? null }
          },
      current: current === undefined ? null : { buildId: current.buildId, documents: current.miniSearch.documentCount, vocabularyReady: isVocabularyPrepared(current) },
      lastSuccess: this.lastSuccess,
      lastError: this.lastError,
      changes: this.changes.status(),
      ...(this.followStatus === undefined ? {} : { follow: this.followStatus() })
    }
  }

  /** Stops watching, stops a running build (its child removes its temporary folder) and closes the log. */
  async close (): Promise<void> {
    this.closed = true
    this.watcher?.stop()
    this.writeState.close()
    this.running?.controller.abort()
    await this.running?.done
    await this.changes.close()
  }

  private async runRebuild (running: RunningBuild): Promise<void> {
    try {
      await this.options.runBuild({
        serving: this.options.store.current() !== undefined,
        buildId: running.buildId,
        indexDir: this.options.indexDir,
        corpusPaths: this.options.corpusPaths,
        ...(this.options.timeZone === undefined ? {} : { timeZone: this.options.timeZone }),
        signal: running.controller.signal,
        onProgress: progress => { running.progress = progress }
      })
      if (this.closed) return
      await this.activate(running.buildId, 'rebuild', running.startedAt)
    } catch (error) {
      this.recordError(running.buildId, 'rebuild', error)
    }
  }

  private async reloadQuietly (buildId: string): Promise<void> {
    // Our own rebuilds are activated by runRebuild; a build published elsewhere is picked up here.
    if (this.running?.buildId === buildId) return
    try {
      await this.activate(buildId, 'reload')
    } catch (error) {
      this.recordError(buildId, 'reload', error)
    }
  }

  /** Loads, checks and swaps in `buildId`; false when it is already live. */
  private async activate (buildId: string, origin: BuildOrigin, startedAt?: Date): Promise<boolean> {
    const refused = this.rejected.get(buildId)
    if (refused !== undefined) throw refused
    if (this.options.store.current()?.buildId === buildId) return false
    // The load is the slow part, and reads only files that never change: do it outside the queue.
    const snapshot = await loadBuild(this.options.indexDir, buildId, this.options.analyzer, this.options.documents)
    try {
      await this.options.prepare?.(snapshot, origin)
      await checkCanaries(snapshot)
    } catch (error) {
      await closeSnapshot(snapshot)
      if (error instanceof PoiskError) {
        this.rejected.set(buildId, error)
        await this.restoreCurrent(buildId)
      }
      throw error
    }
    return await this.queue.run(async () => {
      const live = this.options.store.current()?.buildId
      // Two loads can finish out of order (a reload and a rebuild): never let an older build replace a newer one
      // unless CURRENT names it (an operator rolled back).
      const stale = live !== undefined && live > buildId && await readCurrentBuildId(this.options.indexDir) !== buildId
      if (live === buildId || stale) {
        await closeSnapshot(snapshot)
        return false
      }
      await this.goLive(snapshot, origin, await this.changes.logged(), startedAt)
      return true
    })
  }

  /** Replays the changes the build lacks and swaps it in. Runs inside the queue. */
  private async goLive (snapshot: Snapshot, origin: BuildOrigin, changes: DocumentChange[], startedAt?: Date): Promise<void> {
    const replayed = await this.changes.replayOver(snapshot, changes)
    const previous = this.options.store.swap(snapshot)
    const documents = snapshot.miniSearch.documentCount
    this.lastSuccess = {
      buildId: snapshot.buildId,
      origin,
      at: new Date().toISOString(),
      documents,
      ...(startedAt === undefined ? {} : { durationMs: Date.now() - startedAt.getTime() })
    }
    this.options.logger.info({ buildId: snapshot.buildId, previous: previous?.buildId, documents, replayedChanges: replayed, origin }, 'index live')
    this.reportDocumentsInMemory(snapshot)
    await this.changes.compactIfGrown()
  }

  /** Says when the live build's documents are held in memory, or why they are read from disk. */
  private reportDocumentsInMemory (snapshot: Snapshot): void {
    snapshot.documents.inMemoryReady.then(
      inMemory => { if (inMemory) this.options.logger.info({ buildId: snapshot.buildId }, 'documents held in memory') },
      error => this.options.logger.warn({ buildId: snapshot.buildId, err: error }, 'could not read the documents into memory; reading them per hit')
    )
  }

  /** A refused build must not be served after a restart either: put the live one back in CURRENT. */
  private async restoreCurrent (refusedId: string): Promise<void> {
    const live = this.options.store.current()
    if (live === undefined) return
    let lock
    try {
      lock = await acquireBuildLock(this.options.indexDir)
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not restore CURRENT: another build holds the lock')
      return
    }
    try {
      if (await readCurrentBuildId(this.options.indexDir) === refusedId) await setCurrentBuild(this.options.indexDir, live.buildId)
    } finally {
      await lock.release()
    }
  }

  private async openNewest (): Promise<OpenResult> {
    await this.removeDeadTemps()
    const opened = await openNewestUsable(this.options.indexDir, this.options.analyzer, this.options.documents)
    for (const build of opened.rejected) this.options.logger.warn({ buildId: build.buildId, reason: build.reason }, 'index build not usable, falling back')
    if (opened.snapshot !== undefined) this.options.logger.info({ buildId: opened.snapshot.buildId, documents: opened.snapshot.manifest.documentCount }, 'index loaded')
    return opened
  }

  /**
   * A CURRENT that holds no build id (garbage, empty, a path) or names a build that is not
   * there is reported and rewritten to name the build served, so the folder says what is live.
   */
  private async repairCurrent (served: string): Promise<void> {
    const problem = describeCurrentProblem(await inspectCurrent(this.options.indexDir))
    if (problem === undefined) return
    let lock
    try {
      lock = await acquireBuildLock(this.options.indexDir)
    } catch (error) {
      this.options.logger.warn({ err: error, problem }, 'CURRENT is damaged but another build holds the lock: left as it is')
      return
    }
    try {
      // Checked again under the lock: a build published meanwhile has written a good CURRENT.
      if (describeCurrentProblem(await inspectCurrent(this.options.indexDir)) === undefined) return
      await setCurrentBuild(this.options.indexDir, served)
      this.options.logger.warn({ problem, servedBuildId: served }, 'CURRENT was damaged: rewritten to name the build served')
    } finally {
      await lock.release()
    }
  }

  /** Temporary folders of killed builds; only when no build holds the lock. */
  private async removeDeadTemps (): Promise<void> {
    let lock
    try {
      lock = await acquireBuildLock(this.options.indexDir)
    } catch {
      return
    }
    try {
      const removed = await removeTempBuilds(this.options.indexDir)
      if (removed.length > 0) this.options.logger.warn({ removed }, 'removed unfinished builds left by an interrupted indexer')
    } finally {
      await lock.release()
    }
  }

  private recordError (buildId: string, origin: BuildOrigin, error: unknown): void {
    const { message, code } = error as { message: string, code?: string }
    this.lastError = { buildId, origin, at: new Date().toISOString(), message, ...(code === undefined ? {} : { code }) }
    this.options.logger.error({ buildId, origin, err: error }, 'new index not made live; the previous one keeps serving')
  }
}

function describeCurrentProblem (current: CurrentState): string | undefined {
  if (current.state === 'damaged') return `CURRENT holds ${JSON.stringify(current.text)}, which is not a build id`
  if (current.state === 'valid' && !current.exists) return `CURRENT names build ${current.buildId}, which is not in builds/`
  return undefined
}
