/**
 * Counts and times every response by route pattern, and serves the registry at GET /metrics
 * in Prometheus' text format.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from '../schema-builder.js'
import type { Metrics } from '../metrics.js'

export interface MetricsPluginOptions {
  metrics: Metrics
}

async function metricsRoute (app: FastifyInstance, { metrics }: MetricsPluginOptions): Promise<void> {
  metrics.watchStore(app.indexStore)
  app.addHook('onResponse', async (request, reply) => {
    // The pattern (/documents/:id), never the raw URL: one series per route, not per id.
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.recordRequest(request.method, route, reply.statusCode, reply.elapsedTime)
  })
  app.get('/metrics', {
    config: { rateLimit: false }, // a scraper must see the server while clients are limited
    schema: {
      summary: 'Prometheus metrics',
      description: 'Requests and latency by route, index size, builds, event-loop lag, process memory (text exposition format)',
      produces: ['text/plain'],
      response: { 200: Type.String({ description: 'Prometheus text exposition format' }) }
    }
  }, async (_request, reply) => {
    const text = await metrics.registry.metrics()
    return reply.type(metrics.registry.contentType).send(text)
  })
}

export const metricsPlugin = fp(metricsRoute, { name: 'poisk-metrics' })
