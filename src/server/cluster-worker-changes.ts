/**
 * The worker side of the cluster's single change-log writer: forwards a document change to
 * the primary and applies every committed change the primary sends, in the order it sends
 * them, to this worker's live index. A forwarded change is answered once this worker has
 * applied it, so the worker that took a PUT/DELETE serves it from its next request on.
 */
import { ChangeCommitError } from '../errors.js'
import type { ChangeOperation, DocumentChange } from '../index/change-log.js'
import type { CommittedChange } from '../index/rebuild-coordinator.js'
import { isPrimaryMessage, type PrimaryMessage, type WorkerMessage } from './cluster-protocol.js'

/** The IPC end of a worker process (`process` in a cluster worker). */
export interface WorkerChannel {
  send?: (message: WorkerMessage) => boolean
  on: (event: 'message' | 'disconnect', listener: (message?: unknown) => void) => unknown
}

/** What applies a committed change here (the rebuild coordinator). */
export interface CommittedChangeSink {
  applyCommitted: (change: DocumentChange) => Promise<{ existed: boolean | undefined }>
}

interface Pending {
  resolve: (committed: CommittedChange) => void
  reject: (error: Error) => void
}

export class WorkerChanges {
  private readonly pending = new Map<number, Pending>()
  private nextRequestId = 1
  private sink: CommittedChangeSink | undefined
  private onApplyFailed: (error: unknown, change: DocumentChange) => void = () => {}
  private disconnected = false

  constructor (private readonly channel: WorkerChannel = process as unknown as WorkerChannel) {}

  /** Starts applying committed changes; before this they are skipped (the log has them). */
  attach (sink: CommittedChangeSink, onApplyFailed: (error: unknown, change: DocumentChange) => void): void {
    this.sink = sink
    this.onApplyFailed = onApplyFailed
    this.channel.on('message', message => { if (isPrimaryMessage(message)) this.receive(message) })
    this.channel.on('disconnect', () => {
      this.disconnected = true
      this.failAll('the primary process is gone; the change was not logged')
    })
  }

  /** Sends a change to the primary; resolves once it is logged and applied here. */
  async commit (operation: ChangeOperation): Promise<CommittedChange> {
    if (this.disconnected || this.channel.send === undefined) throw new ChangeCommitError('not connected to the primary process; the change was not logged')
    const requestId = this.nextRequestId++
    const committed = new Promise<CommittedChange>((resolve, reject) => this.pending.set(requestId, { resolve, reject }))
    this.channel.send({ kind: 'poisk:change-request', requestId, operation })
    return await committed
  }

  private receive (message: PrimaryMessage): void {
    const pending = message.requestId === undefined ? undefined : this.pending.get(message.requestId)
    if (message.requestId !== undefined) this.pending.delete(message.requestId)
    if (message.kind === 'poisk:change-failed') {
      pending?.reject(new ChangeCommitError(message.message, message.code))
      return
    }
    const { change } = message
    // Queued at once, in arrival order, so every worker applies the changes in sequence order.
    const applied = this.sink?.applyCommitted(change) ?? Promise.resolve({ existed: undefined })
    applied.then(
      ({ existed }) => pending?.resolve({ seq: change.seq, existed }),
      (error: Error) => {
        this.onApplyFailed(error, change)
        pending?.reject(error)
      }
    )
  }

  private failAll (message: string): void {
    for (const pending of this.pending.values()) pending.reject(new ChangeCommitError(message))
    this.pending.clear()
  }
}
