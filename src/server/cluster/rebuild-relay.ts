/**
 * The primary's part in cluster rebuilds: one worker (the builder) runs every rebuild, so
 * a POST /admin/reindex taken by another worker is relayed to it here, and its answer
 * relayed back. N workers never start N builds that race for the build lock.
 */
import cluster, { type Worker } from 'node:cluster'
import type { RebuildReply, RebuildRequest } from './protocol.js'

export function relayRebuild (sender: Worker, message: RebuildRequest | RebuildReply, builder: Worker | undefined): void {
  if (message.kind === 'poisk:rebuild-reply') {
    const asker = cluster.workers?.[message.to]
    if (asker?.isConnected() === true) asker.send(message)
    return
  }
  if (builder === undefined || !builder.isConnected()) {
    const answer = { outcome: 'unavailable' as const, message: 'the worker that runs rebuilds is restarting; try again shortly' }
    sender.send({ kind: 'poisk:rebuild-reply', requestId: message.requestId, to: sender.id, answer })
    return
  }
  builder.send({ kind: 'poisk:rebuild-order', requestId: message.requestId, from: sender.id })
}
