/**
 * GET /health: 200 once an index is loaded, 503 before (for load balancers and probes);
 * `writable: false` while live changes cannot be logged (a full disk), searches going on.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Health } from '../schemas.js'

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    config: { rateLimit: false }, // a balancer probing from a busy address must not see a healthy server as down
    schema: { summary: 'Readiness', response: { 200: Health, 503: Health } }
  }, async (_request, reply) => {
    const snapshot = app.indexStore.current()
    const write = app.writeState.status()
    if (snapshot === undefined) {
      const reason = app.indexStore.unavailableReason()
      return reply.status(503).send({ status: reason === undefined ? 'starting' : 'unavailable', documents: 0, buildId: null, ...write, ...(reason === undefined ? {} : { reason }) })
    }
    return { status: 'ok', documents: snapshot.miniSearch.documentCount, buildId: snapshot.buildId, ...write }
  })
}
