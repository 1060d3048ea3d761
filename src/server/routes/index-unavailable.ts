/** The 503 every index-backed route answers while no index is live, saying why when it is known. */
import type { FastifyReply } from 'fastify'

export function sendIndexUnavailable (reply: FastifyReply): FastifyReply {
  return reply.status(503).header('retry-after', '5').send({
    statusCode: 503,
    error: 'Service Unavailable',
    message: reply.server.indexStore.unavailableReason() ?? 'no index is loaded yet',
    code: 'POISK_INDEX_NOT_READY'
  })
}
