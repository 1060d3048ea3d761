/** GET /health: 200 once an index is loaded, 503 before (for load balancers and probes). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Health } from '../schemas.js'

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: { summary: 'Readiness', response: { 200: Health, 503: Health } }
  }, async (_request, reply) => {
    const snapshot = app.indexStore.current()
    if (snapshot === undefined) return reply.status(503).send({ status: 'starting', documents: 0, buildId: null })
    return { status: 'ok', documents: snapshot.miniSearch.documentCount, buildId: snapshot.buildId }
  })
}
