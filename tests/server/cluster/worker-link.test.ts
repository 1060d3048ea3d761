import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { ClusterRequestError } from '../../../src/errors.js'
import type { DocumentChange } from '../../../src/index/change-records.js'
import { WriteState } from '../../../src/live/write-state.js'
import type { RebuildAnswer } from '../../../src/live/rebuild-coordinator.js'
import type { PrimaryMessage, WorkerMessage } from '../../../src/server/cluster/protocol.js'
import { WorkerLink, type LinkedCoordinator } from '../../../src/server/cluster/worker-link.js'

/** A worker's IPC channel with the primary played by the test. */
function channel () {
  const events = new EventEmitter()
  const sent: WorkerMessage[] = []
  return {
    on: (event: 'message' | 'disconnect', listener: (message?: unknown) => void) => events.on(event, listener),
    send: (message: WorkerMessage) => { sent.push(message); return true },
    sent,
    fromPrimary: (message: PrimaryMessage) => { events.emit('message', message) },
    disconnect: () => { events.emit('disconnect') }
  }
}

/**
 * Records the order changes are handed over in (the real coordinator queues them in that
 * order) and when each is done; the apply of `slowSeq` takes a while.
 */
function coordinator (slowSeq = -1): LinkedCoordinator & { handed: number[], applied: number[], rebuilds: number, writeState: WriteState } {
  const fake = {
    handed: [] as number[],
    applied: [] as number[],
    rebuilds: 0,
    applyCommitted: async (change: DocumentChange) => {
      fake.handed.push(change.seq)
      if (change.seq === slowSeq) await new Promise(resolve => setTimeout(resolve, 30))
      fake.applied.push(change.seq)
      return { existed: change.seq % 2 === 0 }
    },
    applyCommittedAll: async (changes: readonly DocumentChange[]) => {
      const results = []
      for (const one of changes) results.push(await fake.applyCommitted(one))
      return results
    },
    startRebuild: async (): Promise<RebuildAnswer> => {
      fake.rebuilds += 1
      return { outcome: 'started', buildId: 'b-1', joined: fake.rebuilds > 1 }
    },
    writeState: new WriteState('/nonexistent')
  }
  return fake
}

const change = (seq: number): DocumentChange => ({ op: 'delete', id: `d-${seq}`, seq, at: '2026-01-01T00:00:00.000Z' })

describe('a cluster worker\'s link to the primary', () => {
  it('takes the primary\'s word on whether the change log can be written', () => {
    const ipc = channel()
    const linked = coordinator(0)
    new WorkerLink(ipc).attach(linked, { applyFailed: () => {}, rebuildFailed: () => {} })
    const writeError = { code: 'POISK_DISK_FULL', message: 'no space left', since: '2026-12-06T00:00:00.000Z' }
    ipc.fromPrimary({ kind: 'poisk:write-state', status: { writable: false, writeError } })
    expect(linked.writeState.status()).toEqual({ writable: false, writeError })
    ipc.fromPrimary({ kind: 'poisk:write-state', status: { writable: true } })
    expect(linked.writeState.status()).toEqual({ writable: true })
  })

  it('answers a forwarded change only after applying it, and applies every committed change in the order sent', async () => {
    const ipc = channel()
    const linked = coordinator(2)
    const link = new WorkerLink(ipc)
    link.attach(linked, { applyFailed: () => {}, rebuildFailed: () => {} })
    const committing = link.commitChange({ op: 'delete', id: 'd-2' })
    expect(ipc.sent).toEqual([{ kind: 'poisk:change-request', requestId: 1, operation: { op: 'delete', id: 'd-2' } }])
    ipc.fromPrimary({ kind: 'poisk:change-committed', change: change(1) })
    ipc.fromPrimary({ kind: 'poisk:change-committed', change: change(2), requestId: 1 })
    expect(linked.handed).toEqual([1, 2])
    expect(await committing).toEqual({ seq: 2, existed: true })
    expect(linked.applied).toEqual([1, 2])
  })

  it('forwards a batch as one request, and answers it once the whole batch is applied here, in order', async () => {
    const ipc = channel()
    const linked = coordinator(3)
    const link = new WorkerLink(ipc)
    link.attach(linked, { applyFailed: () => {}, rebuildFailed: () => {} })
    const operations = [{ op: 'delete' as const, id: 'd-2' }, { op: 'delete' as const, id: 'd-3' }, { op: 'delete' as const, id: 'd-4' }]
    const committing = link.commitChanges(operations)
    expect(ipc.sent).toEqual([{ kind: 'poisk:changes-request', requestId: 1, operations }])
    // A single change committed before the batch is applied before it.
    ipc.fromPrimary({ kind: 'poisk:change-committed', change: change(1) })
    ipc.fromPrimary({ kind: 'poisk:changes-committed', changes: [change(2), change(3), change(4)], requestId: 1 })
    expect(await committing).toEqual([{ seq: 2, existed: true }, { seq: 3, existed: false }, { seq: 4, existed: true }])
    expect(linked.applied).toEqual([1, 2, 3, 4])
    const refused = link.commitChanges(operations)
    ipc.fromPrimary({ kind: 'poisk:change-failed', requestId: 2, message: 'the change was not logged: no space', code: 'POISK_DISK_FULL' })
    await expect(refused).rejects.toMatchObject({ causeCode: 'POISK_DISK_FULL' })
  })

  it('fails a change the primary could not log, and every waiting change when the primary is gone', async () => {
    const ipc = channel()
    const link = new WorkerLink(ipc)
    link.attach(coordinator(), { applyFailed: () => {}, rebuildFailed: () => {} })
    const refused = link.commitChange({ op: 'delete', id: 'd-1' })
    ipc.fromPrimary({ kind: 'poisk:change-failed', requestId: 1, message: 'the change was not logged: ENOSPC', code: 'ENOSPC' })
    await expect(refused).rejects.toThrow(ClusterRequestError)
    const orphaned = link.commitChange({ op: 'delete', id: 'd-2' })
    ipc.disconnect()
    await expect(orphaned).rejects.toThrow(/primary process is gone/)
    await expect(link.commitChange({ op: 'delete', id: 'd-3' })).rejects.toThrow(/not connected/)
  })

  it('reports a committed change it could not apply', async () => {
    const ipc = channel()
    const failures: number[] = []
    const link = new WorkerLink(ipc)
    link.attach({ ...coordinator(), applyCommitted: async () => { throw new Error('broken index') } }, { applyFailed: (_error, failed) => failures.push(failed.seq), rebuildFailed: () => {} })
    ipc.fromPrimary({ kind: 'poisk:change-committed', change: change(7) })
    await new Promise(resolve => setImmediate(resolve))
    expect(failures).toEqual([7])
  })

  it('relays a rebuild request, and as the builder starts the rebuilds relayed to it', async () => {
    const ipc = channel()
    const linked = coordinator()
    const link = new WorkerLink(ipc)
    link.attach(linked, { applyFailed: () => {}, rebuildFailed: () => {} })
    const asked = link.requestRebuild()
    expect(ipc.sent.at(-1)).toEqual({ kind: 'poisk:rebuild-request', requestId: 1 })
    ipc.fromPrimary({ kind: 'poisk:rebuild-reply', requestId: 1, to: 5, answer: { outcome: 'locked', pid: 42 } })
    expect(await asked).toEqual({ outcome: 'locked', pid: 42 })

    ipc.fromPrimary({ kind: 'poisk:rebuild-order', requestId: 9, from: 3 })
    await new Promise(resolve => setImmediate(resolve))
    expect(linked.rebuilds).toBe(1)
    expect(ipc.sent.at(-1)).toEqual({ kind: 'poisk:rebuild-reply', requestId: 9, to: 3, answer: { outcome: 'started', buildId: 'b-1', joined: false } })
  })

  it('gives up on a change the primary does not answer, and still applies it when its commit arrives late', async () => {
    const ipc = channel()
    const linked = coordinator()
    const link = new WorkerLink(ipc, { changeReplyTimeoutMs: 20 })
    link.attach(linked, { applyFailed: () => {}, rebuildFailed: () => {} })
    const committing = link.commitChange({ op: 'delete', id: 'd-1' })
    await expect(committing).rejects.toThrow(ClusterRequestError)
    await expect(committing).rejects.toThrow(/no answer from the primary process in 20 ms/)
    ipc.fromPrimary({ kind: 'poisk:change-committed', change: change(1), requestId: 1 })
    await expect.poll(() => linked.applied).toEqual([1])
  })
})
