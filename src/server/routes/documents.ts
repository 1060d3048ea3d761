/** GET /documents/:id: one stored document, in full. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { getDocument } from '../../search/get-document.js'
import { Document, DocumentParams, ErrorBody } from '../schemas.js'
import { sendIndexUnavailable } from './index-unavailable.js'

export const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/documents/:id', {
    schema: {
      summary: 'Get a document by id',
      params: DocumentParams,
      response: { 200: Document, 404: ErrorBody, 503: ErrorBody }
    }
  }, async (request, reply) => {
    const snapshot = app.indexStore.current()
    if (snapshot === undefined) return sendIndexUnavailable(reply)
    const document = await getDocument(snapshot, request.params.id)
    if (document === undefined) {
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `no document ${request.params.id}`, code: 'POISK_NO_DOCUMENT' })
    }
    return document
  })
}
