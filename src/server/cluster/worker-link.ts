/**
 * A cluster worker's end of the IPC protocol with the primary (cluster-protocol.ts).
 *
 * Changes: forwards a document change (or a bulk import's batch) to the primary and applies
 * every committed change the primary sends, in the order it sends them, to this worker's live
 * index. A forwarded change
 * is answered once this worker has applied it, so the worker that took a PUT/DELETE serves
 * it from its next request on.
 *
 * Rebuilds: relays POST /admin/reindex to the builder worker through the primary, and, in
 * the builder, starts the rebuilds other workers relay.
 */
import { ClusterRequestError } from '../../errors.js'
import type { ChangeOperation, DocumentChange } from '../../index/change-records.js'
import type { WriteState } from '../../live/write-state.js'
import type { CommittedChange, RebuildAnswer } from '../../live/rebuild-coordinator.js'
import { isPrimaryMessage, type PrimaryMessage, type RebuildOrder, type WorkerMessage } from './protocol.js'

/** The IPC end of a worker process (`process` in a cluster worker). */
export interface WorkerChannel {
  send?: (message: WorkerMessage) => boolean
  on: (event: 'message' | 'disconnect', listener: (message?: unknown) => void) => unknown
}

/** What the link drives in this worker (the rebuild coordinator). */
export interface LinkedCoordinator {
  applyCommitted: (change: DocumentChange) => Promise<{ existed: boolean | undefined }>
  applyCommittedAll: (changes: readonly DocumentChange[]) => Promise<Array<{ existed: boolean | undefined }>>
  startRebuild: () => Promise<RebuildAnswer>
  writeState: Pick<WriteState, 'adopt'>
}

export interface LinkEvents {
  /** A committed change could not be applied here; this worker now serves without it. */
  applyFailed: (error: unknown, change: DocumentChange) => void
  /** A rebuild relayed from another worker failed to start. */
  rebuildFailed: (error: unknown) => void
  /** Another worker took POST /admin/reload: reload here too. */
  reload?: () => void
}

/** The primary's reply to a request; for a committed change or batch, also its application here. */
interface Reply {
  message: PrimaryMessage
  applied?: Promise<Array<{ existed: boolean | undefined }>>
}

export interface WorkerLinkOptions {
  /** How long a relayed rebuild request waits for the builder's answer. */
  rebuildReplyTimeoutMs: number
  /** How long a forwarded change waits to be logged (an fsync on a stalled disk must not hold the request forever). */
  changeReplyTimeoutMs: number
}

const defaultLinkOptions: WorkerLinkOptions = { rebuildReplyTimeoutMs: 10_000, changeReplyTimeoutMs: 30_000 }

interface Pending {
  resolve: (reply: Reply) => void
  reject: (error: Error) => void
}

export class WorkerLink {
  private readonly pending = new Map<number, Pending>()
  private nextRequestId = 1
  private coordinator: LinkedCoordinator | undefined
  private events: LinkEvents | undefined
  private disconnected = false

  private readonly options: WorkerLinkOptions

  constructor (private readonly channel: WorkerChannel = process as unknown as WorkerChannel, options: Partial<WorkerLinkOptions> = {}) {
    this.options = { ...defaultLinkOptions, ...options }
  }

  /** Starts handling the primary's messages; a change committed before this is read from the log. */
  attach (coordinator: LinkedCoordinator, events: LinkEvents): void {
    this.coordinator = coordinator
    this.events = events
    this.channel.on('message', message => { if (isPrimaryMessage(message)) this.receive(message) })
    this.channel.on('disconnect', () => {
      this.disconnected = true
      for (const pending of this.pending.values()) pending.reject(new ClusterRequestError('the primary process is gone; the change may not have been logged'))
      this.pending.clear()
    })
  }

  /** Sends a change to the primary; resolves once it is logged and applied here. */
  async commitChange (operation: ChangeOperation): Promise<CommittedChange> {
    const { message, applied } = await this.request(requestId => ({ kind: 'poisk:change-request', requestId, operation }), this.options.changeReplyTimeoutMs)
    if (message.kind === 'poisk:change-failed') throw new ClusterRequestError(message.message, message.code)
    if (message.kind !== 'poisk:change-committed' || applied === undefined) throw new ClusterRequestError(`unexpected reply ${message.kind} to a change`)
    const [{ existed } = { existed: undefined }] = await applied
    return { seq: message.change.seq, existed }
  }

  /** Sends a batch to the primary to be logged with one append; resolves once all of it is logged and applied here. */
  async commitChanges (operations: readonly ChangeOperation[]): Promise<CommittedChange[]> {
    const { message, applied } = await this.request(requestId => ({ kind: 'poisk:changes-request', requestId, operations: [...operations] }), this.options.changeReplyTimeoutMs)
    if (message.kind === 'poisk:change-failed') throw new ClusterRequestError(message.message, message.code)
    if (message.kind !== 'poisk:changes-committed' || applied === undefined) throw new ClusterRequestError(`unexpected reply ${message.kind} to a batch of changes`)
    const results = await applied
    return message.changes.map((change, index) => ({ seq: change.seq, existed: results[index]?.existed }))
  }

  /** Tells the other workers (through the primary) that POST /admin/reload succeeded here, so they reload too. */
  announceReload (): void {
    if (!this.disconnected) this.channel.send?.({ kind: 'poisk:reload-announce' })
  }

  /** Has the builder worker start or join a rebuild. */
  async requestRebuild (): Promise<RebuildAnswer> {
    let reply
    try {
      // The builder may be starting and not yet listening, so the order can go unanswered.
      reply = (await this.request(requestId => ({ kind: 'poisk:rebuild-request', requestId }), this.options.rebuildReplyTimeoutMs)).message
    } catch (error) {
      return { outcome: 'unavailable', message: (error as Error).message }
    }
    if (reply.kind !== 'poisk:rebuild-reply') return { outcome: 'unavailable', message: `unexpected reply ${reply.kind} to a rebuild request` }
    return reply.answer
  }

  private async request (message: (requestId: number) => WorkerMessage, timeoutMs: number): Promise<Reply> {
    if (this.disconnected || this.channel.send === undefined) throw new ClusterRequestError('not connected to the primary process; nothing was changed')
    const requestId = this.nextRequestId++
    let timer: NodeJS.Timeout | undefined
    const reply = new Promise<Reply>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject })
      timer = setTimeout(() => {
        this.pending.delete(requestId)
        reject(new ClusterRequestError(`no answer from the primary process in ${timeoutMs} ms (a change may have been logged all the same); try again shortly`))
      }, timeoutMs)
    })
    this.channel.send(message(requestId))
    try {
      return await reply
    } finally {
      clearTimeout(timer)
    }
  }

  private receive (message: PrimaryMessage): void {
    if (message.kind === 'poisk:rebuild-order') {
      void this.rebuildFor(message)
      return
    }
    if (message.kind === 'poisk:write-state') {
      this.coordinator?.writeState.adopt(message.status)
      return
    }
    if (message.kind === 'poisk:reload-order') {
      this.events?.reload?.()
      return
    }
    // Every committed change is queued at once, in arrival order, so all workers apply them in sequence order.
    const applied = this.applyCommitted(message)
    const requestId = message.requestId
    if (requestId === undefined) return
    this.pending.get(requestId)?.resolve({ message, ...(applied === undefined ? {} : { applied }) })
    this.pending.delete(requestId)
  }

  /** Queues a committed change or batch for application here; a failure is reported (and fails the asker's request). */
  private applyCommitted (message: PrimaryMessage): Reply['applied'] {
    let applied: Reply['applied']
    if (message.kind === 'poisk:change-committed') {
      applied = (this.coordinator as LinkedCoordinator).applyCommitted(message.change).then(result => [result])
    } else if (message.kind === 'poisk:changes-committed') {
      applied = (this.coordinator as LinkedCoordinator).applyCommittedAll(message.changes)
    } else {
      return undefined
    }
    const first = message.kind === 'poisk:change-committed' ? message.change : message.changes[0]
    // Reported here for every worker; the worker that asked also fails its request with it.
    applied.catch((error: unknown) => { if (first !== undefined) this.events?.applyFailed(error, first) })
    return applied
  }

  /** In the builder: start the rebuild another worker relayed, and send back what came of it. */
  private async rebuildFor (order: RebuildOrder): Promise<void> {
    let answer: RebuildAnswer
    try {
      answer = await (this.coordinator as LinkedCoordinator).startRebuild()
    } catch (error) {
      this.events?.rebuildFailed(error)
      answer = { outcome: 'unavailable', message: `the rebuild could not be started: ${(error as Error).message}` }
    }
    this.channel.send?.({ kind: 'poisk:rebuild-reply', requestId: order.requestId, to: order.from, answer })
  }
}
