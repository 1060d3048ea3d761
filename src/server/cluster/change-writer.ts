/**
 * The primary side of the cluster's single change-log writer. Workers forward document
 * changes (and bulk imports' batches, each one append) here; one serial queue appends them (assigning the sequence number, fsynced as in
 * a single process), compacts the log when it has grown, and sends each committed change
 * to every connected worker. A worker that starts later, or misses a change while it has no
 * index loaded, reads it from the log when its index goes live.
 */
import cluster, { type Worker } from 'node:cluster'
import type { Logger } from 'pino'
import { ChangeLog } from '../../live/change-log.js'
import { WriteState } from '../../live/write-state.js'
import { SerialQueue } from '../../live/serial-queue.js'
import type { DocumentChange } from '../../index/change-records.js'
import type { ChangeRequest, ChangesRequest, PrimaryMessage } from './protocol.js'

export interface ClusterChangeWriterOptions {
  indexDir: string
  /** Compact the change log once it holds this many entries. */
  compactChangeLogAt: number
  log: Logger
}

export class ClusterChangeWriter {
  private readonly queue = new SerialQueue()
  /** The log's writability, told to every worker when it flips. */
  private readonly writeState: WriteState

  private constructor (private readonly changeLog: ChangeLog, private readonly options: ClusterChangeWriterOptions) {
    this.writeState = new WriteState(options.indexDir, {
      onChange: status => { for (const worker of connectedWorkers()) send(worker, { kind: 'poisk:write-state', status }) }
    })
  }

  /** Opens the log for appending (a torn tail cut, damaged records set aside) before any worker reads it. */
  static async open (options: ClusterChangeWriterOptions): Promise<ClusterChangeWriter> {
    const { log } = await ChangeLog.open(options.indexDir, { logger: options.log })
    return new ClusterChangeWriter(log, options)
  }

  /** Handles one forwarded change or batch; answers the sender with what was committed, or the failure. */
  handle (sender: Worker, request: ChangeRequest | ChangesRequest): void {
    const operations = request.kind === 'poisk:change-request' ? [request.operation] : request.operations
    void this.queue.run(async () => {
      let committed: DocumentChange[]
      try {
        committed = await this.changeLog.appendAll(operations)
        this.writeState.noteSuccess()
      } catch (error) {
        this.writeState.noteFailure(error)
        this.options.log.error({ err: error, ids: operations.slice(0, 10).map(operation => operation.id), changes: operations.length }, 'could not log a document change')
        const { message, code } = error as { message: string, code?: string }
        send(sender, { kind: 'poisk:change-failed', requestId: request.requestId, message: `the change was not logged: ${message}`, ...(code === undefined ? {} : { code }) })
        return
      }
      for (const worker of new Set([sender, ...connectedWorkers()])) {
        const requestId = worker === sender ? { requestId: request.requestId } : {}
        if (request.kind === 'poisk:change-request') send(worker, { kind: 'poisk:change-committed', change: committed[0] as DocumentChange, ...requestId })
        else send(worker, { kind: 'poisk:changes-committed', changes: committed, ...requestId })
      }
      await this.changeLog.compactIfDue(this.options.compactChangeLogAt)
    })
  }

  async close (): Promise<void> {
    this.writeState.close()
    await this.queue.run(async () => await this.changeLog.close())
  }
}

function connectedWorkers (): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker?.isConnected() === true)
}

function send (worker: Worker, message: PrimaryMessage): void {
  // A worker that died meanwhile is replaced; the new one reads the change from the log.
  if (worker.isConnected()) worker.send(message)
}
