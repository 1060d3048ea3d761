/**
 * The messages a `serve --workers N` primary and its workers exchange over the cluster IPC
 * channel to keep one writer of the change log and one builder.
 *
 * Changes: a worker forwards a document change, or a bulk import's batch; the primary logs it
 * (assigning the sequence numbers; a batch with one append) and sends the committed change or
 * batch to every worker, marked with the request id for the worker that asked. Rebuilds: a worker relays POST /admin/reindex through the primary
 * to the builder worker, whose answer the primary relays back.
 *
 * Messages are JSON, so they carry plain data only; every kind is prefixed so other IPC
 * traffic is never mistaken for ours.
 */
import cluster from 'node:cluster'
import type { ChangeOperation, DocumentChange } from '../../index/change-records.js'
import type { RebuildAnswer } from '../../live/rebuild-coordinator.js'
import type { WriteStatus } from '../../live/write-state.js'

/**
 * Set by the primary in the environment of every worker it forks (internal, not for
 * operators): `1` for the one worker that runs every rebuild, `0` for the others. A process
 * forked by another cluster supervisor (pm2's cluster mode) has none, and serves on its own.
 */
export const CLUSTER_BUILDER_ENV = 'POISK_CLUSTER_BUILDER'

/** Is this process a worker of a `poisk serve --workers N` primary? */
export function isPoiskWorker (): boolean {
  return cluster.isWorker && process.env[CLUSTER_BUILDER_ENV] !== undefined
}

/** Is this process the worker that runs every rebuild? */
export function isBuilderWorker (): boolean {
  return isPoiskWorker() && process.env[CLUSTER_BUILDER_ENV] === '1'
}

/** Worker → primary: please log this change. */
export interface ChangeRequest {
  kind: 'poisk:change-request'
  requestId: number
  operation: ChangeOperation
}

/** Worker → primary: please log this batch (a bulk import's) with one append, all or nothing. */
export interface ChangesRequest {
  kind: 'poisk:changes-request'
  requestId: number
  operations: ChangeOperation[]
}

/** Primary → every worker: this batch is durable in the log, apply it in order. */
export interface ChangesCommitted {
  kind: 'poisk:changes-committed'
  changes: DocumentChange[]
  /** Set only in the copy sent to the worker that asked. */
  requestId?: number
}

/** Primary → every worker: this change is durable in the log, apply it. */
export interface ChangeCommitted {
  kind: 'poisk:change-committed'
  change: DocumentChange
  /** Set only in the copy sent to the worker that asked. */
  requestId?: number
}

/** Primary → the asking worker: the change (or batch) could not be logged (nothing was applied anywhere). */
export interface ChangeFailed {
  kind: 'poisk:change-failed'
  requestId: number
  message: string
  code?: string
}

/** Primary → every worker: whether the change log can be written now (each worker's /health shows it). */
export interface WriteStateChanged {
  kind: 'poisk:write-state'
  status: WriteStatus
}

/** Worker → primary: start (or join) a rebuild in the builder worker. */
export interface RebuildRequest {
  kind: 'poisk:rebuild-request'
  requestId: number
}

/** Primary → the builder worker: a rebuild asked for by worker `from`. */
export interface RebuildOrder {
  kind: 'poisk:rebuild-order'
  requestId: number
  from: number
}

/** Builder → primary → worker `to`: what came of its rebuild request. */
export interface RebuildReply {
  kind: 'poisk:rebuild-reply'
  requestId: number
  to: number
  answer: RebuildAnswer
}

/** Worker → primary: POST /admin/reload succeeded here; have the other workers reload too. */
export interface ReloadAnnounce {
  kind: 'poisk:reload-announce'
}

/** Primary → every other worker: re-read SYNONYMS_FILE and index/CURRENT, as POST /admin/reload does. */
export interface ReloadOrder {
  kind: 'poisk:reload-order'
}

export type WorkerMessage = ChangeRequest | ChangesRequest | RebuildRequest | RebuildReply | ReloadAnnounce
export type PrimaryMessage = ChangeCommitted | ChangesCommitted | ChangeFailed | WriteStateChanged | RebuildOrder | RebuildReply | ReloadOrder

const workerKinds = new Set<string>(['poisk:change-request', 'poisk:changes-request', 'poisk:rebuild-request', 'poisk:rebuild-reply', 'poisk:reload-announce'])
const primaryKinds = new Set<string>(['poisk:change-committed', 'poisk:changes-committed', 'poisk:change-failed', 'poisk:write-state', 'poisk:rebuild-order', 'poisk:rebuild-reply', 'poisk:reload-order'])

function kindOf (message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined
  const { kind } = message as { kind?: unknown }
  return typeof kind === 'string' ? kind : undefined
}

export function isWorkerMessage (message: unknown): message is WorkerMessage {
  return workerKinds.has(kindOf(message) ?? '')
}

export function isPrimaryMessage (message: unknown): message is PrimaryMessage {
  return primaryKinds.has(kindOf(message) ?? '')
}
