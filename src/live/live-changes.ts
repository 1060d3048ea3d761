/**
 * Live document changes — PUT, PATCH and DELETE /documents/:id, and POST /documents/_bulk's
 * batches — from request to index:
 * a change is logged durably (change-log.ts), then applied to the live snapshot
 * (apply-change.ts) once no search is reading the snapshot (index-gate.ts: a search reads
 * it over several turns of the event loop); a new build replays the changes it lacks before
 * it goes live.
 *
 * It runs in the rebuild coordinator's serial queue, shared with the swaps, so no change
 * falls between two builds: a change is either in the log a new build replays, or applied
 * after that build is live.
 *
 * In a `serve --workers N` worker the primary is the one writer of the log: a change is
 * forwarded through `commitChange` and applied when the primary sends it back
 * (`applyCommitted`), with every other worker's. The worker never opens the log for
 * writing and never compacts it.
 */
import type { Article } from '../corpus/article.js'
import { articleFromRecord } from '../corpus/article.js'
import { ChangeLogWriteError, ClusterRequestError, DiskFullError, IndexNotReadyError, NoDocumentError } from '../errors.js'
import { changesAfter, readChangeLog, type ChangeOperation, type DocumentChange } from '../index/change-records.js'
import type { Snapshot } from '../index/open-index.js'
import { timeSlicer } from '../index/time-slicer.js'
import { getDocument } from '../search/get-document.js'
import { gateOf } from '../index/index-gate.js'
import { applyChange, applyChanges } from './apply-change.js'
import { ChangeLog, type ChangeLogLogger, type ChangeLogOptions } from './change-log.js'
import type { IndexStore } from './index-store.js'
import type { SerialQueue } from './serial-queue.js'
import type { WriteState } from './write-state.js'

export interface CommittedChange { seq: number, existed: boolean | undefined }

export interface LiveChangesOptions {
  indexDir: string
  store: IndexStore
  /** The coordinator's queue: changes and swaps take turns. */
  queue: SerialQueue
  logger: ChangeLogLogger & { info: (details: object, message: string) => void }
  /** Told of every change that could or could not be logged (/health's `writable`). */
  writeState: WriteState
  /** Compact the change log once it holds this many entries. */
  compactChangeLogAt: number
  /** Set in a cluster worker: has the primary log the change; resolves once it is applied here. */
  commitChange?: (operation: ChangeOperation) => Promise<CommittedChange>
  /** Set in a cluster worker: has the primary log a batch with one append; resolves once it is applied here. */
  commitChanges?: (operations: readonly ChangeOperation[]) => Promise<CommittedChange[]>
  /** How the change log opens its file (tests inject faults). */
  changeLogFile?: ChangeLogOptions['openFile']
  /** TIME_ZONE: the zone of a patched date written without one. */
  timeZone?: string
}

/** The fields a PATCH may set; the others keep their stored values. */
export type DocumentPatch = Partial<Pick<Article, 'title' | 'body' | 'summary' | 'url' | 'date' | 'tags' | 'source'>>

export class LiveChanges {
  private log: ChangeLog | undefined
  /** The newest change the live snapshot holds; a committed change at or below it is already in. */
  private appliedSeq = 0
  /** Changes the live snapshot knows of (the log size, for a worker that does not own the log). */
  private knownChanges = 0

  constructor (private readonly options: LiveChangesOptions) {}

  /** Opens the log for writing, unless the primary owns it; the changes it holds when opened here. */
  async open (): Promise<DocumentChange[] | undefined> {
    if (this.options.commitChange !== undefined) return undefined
    const { log, contents } = await ChangeLog.open(this.options.indexDir, {
      logger: this.options.logger,
      ...(this.options.changeLogFile === undefined ? {} : { openFile: this.options.changeLogFile })
    })
    this.log = log
    return contents.changes
  }

  /**
   * Logs a change durably, then applies it to the live index. A change that cannot be logged
   * (DiskFullError, ChangeLogWriteError) is not applied, and marks this process unwritable
   * until a change or a probe succeeds.
   */
  async change (operation: ChangeOperation): Promise<{ seq: number, existed: boolean }> {
    return await this.noted(async () => {
      if (this.options.commitChange !== undefined) return await this.forward(this.options.commitChange, operation)
      return await this.options.queue.run(async () => await this.logAndApply(operation))
    })
  }

  /**
   * Logs a batch of changes with one write and one fsync (POST /documents/_bulk), then
   * applies them in order; answers each change's sequence number and whether its document
   * existed, in the order given. The batch is logged whole or not at all: a failure to log
   * it applies none of it. Applying yields to the event loop every few milliseconds, so
   * searches go on while a large batch goes in (each document appears whole).
   */
  async changeAll (operations: readonly ChangeOperation[]): Promise<Array<{ seq: number, existed: boolean }>> {
    if (operations.length === 0) return []
    return await this.noted(async () => {
      if (this.options.commitChanges !== undefined) return await this.forwardAll(this.options.commitChanges, operations)
      return await this.options.queue.run(async () => await this.logAndApplyAll(operations))
    })
  }

  /**
   * Merges `fields` into the stored document and stores the result as a PUT would, validated
   * like a corpus record. In one process the read and the write take one turn of the queue,
   * so concurrent changes to the document are not lost; a cluster worker merges what it
   * serves and forwards the result (the last of two concurrent PATCHes from two workers wins).
   */
  async patch (id: string, fields: DocumentPatch): Promise<{ seq: number, existed: boolean }> {
    return await this.noted(async () => {
      if (this.options.commitChange !== undefined) return await this.forward(this.options.commitChange, await this.merged(id, fields))
      return await this.options.queue.run(async () => await this.logAndApply(await this.merged(id, fields)))
    })
  }

  /**
   * Applies a change the primary has logged, unless the live snapshot already holds it. With
   * no live snapshot it is skipped: the build that goes live reads it from the log.
   */
  async applyCommitted (change: DocumentChange): Promise<{ existed: boolean | undefined }> {
    return await this.options.queue.run(async () => {
      const snapshot = this.options.store.current()
      if (snapshot === undefined || change.seq <= this.appliedSeq) return { existed: undefined }
      await readyForChanges(snapshot)
      const existed = existedIn(snapshot, change.id)
      await gateOf(snapshot.miniSearch).write(() => applyChange(snapshot, change))
      this.appliedSeq = change.seq
      this.knownChanges += 1
      return { existed }
    })
  }

  /** `applyCommitted` for a batch the primary logged with one append, in one turn of the queue, yielding as `changeAll` does. */
  async applyCommittedAll (changes: readonly DocumentChange[]): Promise<Array<{ existed: boolean | undefined }>> {
    return await this.options.queue.run(async () => {
      const snapshot = this.options.store.current()
      if (snapshot === undefined) return changes.map(() => ({ existed: undefined }))
      const applied = this.appliedSeq
      const fresh = changes.filter(change => change.seq > applied)
      if (fresh.length > 0) await readyForChanges(snapshot)
      const existed = await applyYielding(snapshot, fresh, slice => {
        this.appliedSeq = (slice.at(-1) as DocumentChange).seq
        this.knownChanges += slice.length
      })
      const existedBySeq = new Map(fresh.map((change, at) => [change.seq, existed[at]]))
      return changes.map(change => ({ existed: existedBySeq.get(change.seq) }))
    })
  }

  /** Every change in the log, oldest first (for a build about to go live). */
  async logged (): Promise<DocumentChange[]> {
    return (await readChangeLog(this.options.indexDir)).changes
  }

  /**
   * Applies to `snapshot` the changes of `changes` its build does not hold, and takes it as
   * the live one's state. Runs inside the queue, just before the swap. Returns how many.
   */
  async replayOver (snapshot: Snapshot, changes: readonly DocumentChange[]): Promise<number> {
    const folded = snapshot.manifest.changesApplied ?? 0
    const pending = changesAfter(changes, folded)
    if (pending.length > 0) await readyForChanges(snapshot)
    await gateOf(snapshot.miniSearch).write(() => applyChanges(snapshot, pending))
    this.appliedSeq = Math.max(folded, changes.at(-1)?.seq ?? 0)
    this.knownChanges = changes.length
    return pending.length
  }

  /** After a swap: a failed compaction leaves the log whole and appendable, and is only logged. */
  async compactIfGrown (): Promise<void> {
    await this.log?.compactIfDue(this.options.compactChangeLogAt)
  }

  status (): { logged: number, lastSeq: number } {
    return { logged: this.log?.size ?? this.knownChanges, lastSeq: this.log?.lastSeq ?? this.appliedSeq }
  }

  async close (): Promise<void> {
    await this.options.queue.run(async () => await this.log?.close())
  }

  private async noted<T> (run: () => Promise<T>): Promise<T> {
    try {
      const result = await run()
      this.options.writeState.noteSuccess()
      return result
    } catch (error) {
      this.options.writeState.noteFailure(error)
      throw error
    }
  }

  /** Inside the queue: logged first, applied only once durable. */
  private async logAndApply (operation: ChangeOperation): Promise<{ seq: number, existed: boolean }> {
    const snapshot = this.options.store.current()
    if (snapshot === undefined || this.log === undefined) throw new IndexNotReadyError()
    await readyForChanges(snapshot)
    const existed = existedIn(snapshot, operation.id)
    const logged = await this.log.append(operation)
    await gateOf(snapshot.miniSearch).write(() => applyChange(snapshot, logged))
    this.appliedSeq = logged.seq
    this.knownChanges = this.log.size
    return { seq: logged.seq, existed }
  }

  /** Inside the queue: the batch logged with one append, then applied in order. */
  private async logAndApplyAll (operations: readonly ChangeOperation[]): Promise<Array<{ seq: number, existed: boolean }>> {
    const snapshot = this.options.store.current()
    const log = this.log
    if (snapshot === undefined || log === undefined) throw new IndexNotReadyError()
    await readyForChanges(snapshot)
    const logged = await log.appendAll(operations)
    const existed = await applyYielding(snapshot, logged, slice => {
      this.appliedSeq = (slice.at(-1) as DocumentChange).seq
      this.knownChanges = log.size
    })
    return logged.map((change, at) => ({ seq: change.seq, existed: existed[at] as boolean }))
  }

  private async forwardAll (commit: NonNullable<LiveChangesOptions['commitChanges']>, operations: readonly ChangeOperation[]): Promise<Array<{ seq: number, existed: boolean }>> {
    const snapshot = this.options.store.current()
    if (snapshot === undefined) throw new IndexNotReadyError()
    // What each change finds here if this worker applied the batch itself: for a change
    // already live here (replayed with a new build), the primary's answer has no `existed`.
    const seen = new Set<string>()
    const existedBefore = operations.map(operation => {
      const existed = seen.has(operation.id) || existedIn(snapshot, operation.id)
      seen.add(operation.id)
      return existed
    })
    let committed: CommittedChange[]
    try {
      committed = await commit(operations)
    } catch (error) {
      throw this.primaryWriteFailure(error) ?? error
    }
    return committed.map((change, index) => ({ seq: change.seq, existed: change.existed ?? existedBefore[index] ?? false }))
  }

  private async forward (commit: NonNullable<LiveChangesOptions['commitChange']>, operation: ChangeOperation): Promise<{ seq: number, existed: boolean }> {
    const snapshot = this.options.store.current()
    if (snapshot === undefined) throw new IndexNotReadyError()
    const existedBefore = existedIn(snapshot, operation.id)
    let committed: CommittedChange
    try {
      committed = await commit(operation)
    } catch (error) {
      throw this.primaryWriteFailure(error) ?? error
    }
    return { seq: committed.seq, existed: committed.existed ?? existedBefore }
  }

  /** The stored document with `fields` over it, as a PUT of the whole; NoDocumentError when there is none. */
  private async merged (id: string, fields: DocumentPatch): Promise<ChangeOperation> {
    const snapshot = this.options.store.current()
    if (snapshot === undefined) throw new IndexNotReadyError()
    const stored = await getDocument(snapshot, id)
    if (stored === undefined) throw new NoDocumentError(id)
    const { kind: _kind, ...record } = stored
    const article = { ...articleFromRecord({ ...record, ...fields, id }, { timeZone: this.options.timeZone }), id }
    return { op: 'put', id, article }
  }

  /** The primary's log failure as the same error a single process gives (a 507 for a full disk). */
  private primaryWriteFailure (error: unknown): Error | undefined {
    if (!(error instanceof ClusterRequestError)) return undefined
    if (error.causeCode === 'POISK_DISK_FULL') return new DiskFullError(this.options.indexDir, { cause: error })
    if (error.causeCode === 'POISK_CHANGE_LOG_UNWRITABLE') return new ChangeLogWriteError(this.options.indexDir, error.message, { cause: error })
    return undefined
  }
}

/** How long a batch is applied before the event loop gets a turn (searches are answered meanwhile). */
const APPLY_SLICE_MS = 8
/** Changes in a slice: the first is small, the next ones sized to take about APPLY_SLICE_MS. */
const FIRST_SLICE = 4
const MAX_SLICE = 256

/**
 * `applyChanges` a slice at a time, giving the event loop a turn between slices; calls
 * `applied` with each slice once it is live. Returns each change's `existed`.
 */
async function applyYielding (snapshot: Snapshot, changes: readonly DocumentChange[], applied: (slice: readonly DocumentChange[]) => void): Promise<boolean[]> {
  const existed: boolean[] = []
  let size = FIRST_SLICE
  for (let at = 0; at < changes.length;) {
    const slice = changes.slice(at, at + size)
    let took = 0
    const values = await gateOf(snapshot.miniSearch).write(() => {
      const started = performance.now()
      const applied = applyChanges(snapshot, slice)
      took = performance.now() - started
      return applied
    })
    for (const value of values) existed.push(value)
    applied(slice)
    at += slice.length
    size = Math.max(1, Math.min(MAX_SLICE, Math.round(slice.length * APPLY_SLICE_MS / Math.max(took, 0.5))))
    if (at < changes.length) await new Promise(resolve => setImmediate(resolve))
  }
  return existed
}

/**
 * What a snapshot's first live change needs, made ready in slices of APPLY_SLICE_MS
 * (duplicate-index.ts): searches are answered meanwhile, where it held the event loop for
 * seconds at 800,000 documents.
 */
async function readyForChanges (snapshot: Snapshot): Promise<void> {
  await snapshot.duplicates.prepareChanges(timeSlicer(APPLY_SLICE_MS))
}

/** Whether the live snapshot holds a document: the one test of "existed" for every change. */
function existedIn (snapshot: Snapshot, id: string): boolean {
  return snapshot.miniSearch.has(id)
}
