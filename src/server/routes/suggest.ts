/** GET /suggest: completions of the last word typed, for the search box. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { suggest } from '../../search/suggest.js'
import { SuggestQuerystring, SuggestResponse } from '../feature-schemas.js'
import { ErrorBody } from '../schemas.js'
import { sendIndexUnavailable } from './index-unavailable.js'

export const suggestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/suggest', {
    config: { takesTurn: true },
    schema: {
      summary: 'Complete the last word of a query',
      querystring: SuggestQuerystring,
      response: { 200: SuggestResponse, 400: ErrorBody, 503: ErrorBody }
    }
  }, async (request, reply) => {
    const snapshot = app.indexStore.current()
    if (snapshot === undefined) return sendIndexUnavailable(reply)
    return suggest(snapshot, request.query.q, { limit: request.query.limit })
  })
}
