/**
 * The messages a `serve --workers N` primary and its workers exchange over the cluster IPC
 * channel to keep one writer of the change log. A worker forwards a document change; the
 * primary logs it (assigning the sequence number) and sends the committed change to every
 * worker, marked with the request id for the worker that asked. Messages are JSON, so they
 * carry plain data only; every kind is prefixed so other IPC traffic is never mistaken
 * for ours.
 */
import type { ChangeOperation, DocumentChange } from '../index/change-log.js'

/** Worker → primary: please log this change. */
export interface ChangeRequest {
  kind: 'poisk:change-request'
  requestId: number
  operation: ChangeOperation
}

/** Primary → every worker: this change is durable in the log, apply it. */
export interface ChangeCommitted {
  kind: 'poisk:change-committed'
  change: DocumentChange
  /** Set only in the copy sent to the worker that asked. */
  requestId?: number
}

/** Primary → the asking worker: the change could not be logged (nothing was applied anywhere). */
export interface ChangeFailed {
  kind: 'poisk:change-failed'
  requestId: number
  message: string
  code?: string
}

export type WorkerMessage = ChangeRequest
export type PrimaryMessage = ChangeCommitted | ChangeFailed

const workerKinds = new Set<string>(['poisk:change-request'])
const primaryKinds = new Set<string>(['poisk:change-committed', 'poisk:change-failed'])

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
