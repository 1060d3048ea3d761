/** GET /documents/:id/related: «Читайте также», the articles most like this one (search/related.ts). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { related } from '../../search/related.js'
import { DocumentParams, ErrorBody, RelatedQuerystring, RelatedResponse } from '../schemas.js'
import { sendIndexUnavailable } from './index-unavailable.js'

export const relatedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/documents/:id/related', {
    config: { takesTurn: true },
    schema: {
      summary: 'Articles like this one («Читайте также»)',
      params: DocumentParams,
      querystring: RelatedQuerystring,
      response: { 200: RelatedResponse, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody }
    }
  }, async (request, reply) => {
    const snapshot = app.indexStore.current()
    if (snapshot === undefined) return sendIndexUnavailable(reply)
    const found = await related(snapshot, request.params.id, { limit: request.query.limit })
    if (found === undefined) {
      return await reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `no document ${request.params.id}`, code: 'POISK_NO_DOCUMENT' })
    }
    return found
  })
}
