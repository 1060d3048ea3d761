import type { Worker } from 'node:cluster'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { readChangeLog } from '../../../src/index/change-records.js'
import { ClusterChangeWriter } from '../../../src/server/cluster/change-writer.js'
import type { ChangeCommitted, PrimaryMessage } from '../../../src/server/cluster/protocol.js'
import { tempDir } from '../../helpers/temp-dir.js'

/** A worker as the primary sees it: what it was sent. */
function fakeWorker (id: number): Worker & { received: PrimaryMessage[] } {
  const received: PrimaryMessage[] = []
  return { id, received, isConnected: () => true, send: (message: PrimaryMessage) => { received.push(message); return true } } as unknown as Worker & { received: PrimaryMessage[] }
}

async function until (condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 5))
}

describe('the primary\'s change-log writer', () => {
  it('gives concurrent changes from several workers unique increasing sequence numbers, and answers each sender', async () => {
    const indexDir = await tempDir()
    const writer = await ClusterChangeWriter.open({ indexDir, compactChangeLogAt: 1000, log: pino({ level: 'silent' }) })
    const workers = [fakeWorker(1), fakeWorker(2)]
    for (let n = 0; n < 10; n++) {
      const sender = workers[n % 2] as Worker
      writer.handle(sender, { kind: 'poisk:change-request', requestId: n, operation: { op: 'delete', id: `d-${n}` } })
    }
    await until(() => workers.every(worker => worker.received.length === 5))
    await writer.close()
    const { changes } = await readChangeLog(indexDir)
    expect(changes.map(change => change.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    const answered = workers.flatMap(worker => worker.received as ChangeCommitted[]).map(message => [message.requestId, message.change.seq])
    expect(answered.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(changes.map((change, n) => [n, change.seq]))
  })

  it('compacts the log once it has grown, keeping the newest change per document', async () => {
    const indexDir = await tempDir()
    const writer = await ClusterChangeWriter.open({ indexDir, compactChangeLogAt: 4, log: pino({ level: 'silent' }) })
    const worker = fakeWorker(1)
    for (let n = 0; n < 4; n++) writer.handle(worker, { kind: 'poisk:change-request', requestId: n, operation: { op: 'delete', id: `d-${n % 2}` } })
    await until(() => worker.received.length === 4)
    await writer.close()
    const { changes } = await readChangeLog(indexDir)
    expect(changes.map(change => [change.id, change.seq])).toEqual([['d-0', 3], ['d-1', 4]])
  })

  it('tells the sender when a change cannot be logged', async () => {
    const indexDir = await tempDir()
    const writer = await ClusterChangeWriter.open({ indexDir, compactChangeLogAt: 1000, log: pino({ level: 'silent' }) })
    await writer.close()
    const worker = fakeWorker(1)
    writer.handle(worker, { kind: 'poisk:change-request', requestId: 1, operation: { op: 'delete', id: 'd-1' } })
    await until(() => worker.received.length === 1)
    expect(worker.received[0]).toMatchObject({ kind: 'poisk:change-failed', requestId: 1, message: expect.stringMatching(/^the change was not logged: /) })
  })
})
