/**
 * /documents/:id: GET one stored document in full, for anyone; PUT, PATCH and DELETE change
 * the live index (live-changes.ts), and POST /documents/_bulk many documents (bulk.ts), only
 * with ADMIN_TOKEN set and `Authorization: Bearer` (otherwise they do not exist: 404). A change is answered once it is durable; one that
 * cannot be logged answers 507 POISK_DISK_FULL (or 503) and is not applied.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { readArticle, type RecordWarning } from '../../corpus/article.js'
import { ClusterRequestError, CorpusRecordError, IndexNotReadyError, NoDocumentError } from '../../errors.js'
import type { RebuildCoordinator } from '../../live/rebuild-coordinator.js'
import { getDocument } from '../../search/get-document.js'
import { requireAdminToken } from '../admin-auth.js'
import { DocumentChanged, DocumentInput, DocumentPatchInput } from '../admin-schemas.js'
import { Document, DocumentParams, ErrorBody } from '../schemas.js'
import { bulkRoutes } from './bulk.js'
import { sendIndexUnavailable } from './index-unavailable.js'

export interface DocumentRoutesOptions {
  /** The writes exist only with an admin token. */
  admin?: { token: string, coordinator: RebuildCoordinator }
}

export const documentRoutes: FastifyPluginAsyncTypebox<DocumentRoutesOptions> = async (app, { admin }) => {
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
    if (document === undefined) return await sendNoDocument(reply, request.params.id)
    return document
  })
  if (admin !== undefined) await app.register(documentChangeRoutes, admin)
}

const changeResponses = { 200: DocumentChanged, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 503: ErrorBody, 507: ErrorBody }

/** The writes, in a plugin of their own so the admin check covers exactly them. */
const documentChangeRoutes: FastifyPluginAsyncTypebox<{ token: string, coordinator: RebuildCoordinator }> = async (app, { token, coordinator }) => {
  requireAdminToken(app, token)
  await app.register(bulkRoutes, { coordinator })

  app.put('/documents/:id', {
    schema: { summary: 'Add or replace a document in the live index', params: DocumentParams, body: DocumentInput, response: { ...changeResponses, 201: DocumentChanged } }
  }, async (request, reply) => {
    let article
    let warnings: RecordWarning[]
    try {
      // As a corpus build reads it: a bad URL is stored as absent and the answer says so.
      const read = readArticle({ ...request.body, id: request.params.id }, { timeZone: app.timeZone })
      article = { ...read.article, id: request.params.id }
      warnings = read.warnings
    } catch (error) {
      return await sendChangeError(reply, error)
    }
    try {
      const { seq, existed } = await coordinator.changeDocument({ op: 'put', id: article.id, article })
      return await reply.status(existed ? 200 : 201).send({ id: article.id, seq, created: !existed, ...(warnings.length === 0 ? {} : { warnings }) })
    } catch (error) {
      return await sendChangeError(reply, error)
    }
  })

  app.patch('/documents/:id', {
    schema: { summary: 'Merge fields into a stored document (validated as a whole, like a PUT)', params: DocumentParams, body: DocumentPatchInput, response: changeResponses }
  }, async (request, reply) => {
    // Unknown fields are dropped by validation (as for PUT): a patch of only those changes nothing, and says so.
    if (Object.keys(request.body).length === 0) {
      return await reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: `a PATCH sets at least one of ${Object.keys(DocumentInput.properties).join(', ')}`, code: 'POISK_EMPTY_PATCH' })
    }
    try {
      const { seq } = await coordinator.patchDocument(request.params.id, request.body)
      return { id: request.params.id, seq, created: false }
    } catch (error) {
      return await sendChangeError(reply, error)
    }
  })

  app.delete('/documents/:id', {
    schema: { summary: 'Remove a document from the live index', params: DocumentParams, response: changeResponses }
  }, async (request, reply) => {
    const snapshot = app.indexStore.current()
    if (snapshot === undefined) return sendIndexUnavailable(reply)
    if (!snapshot.miniSearch.has(request.params.id)) return await sendNoDocument(reply, request.params.id)
    try {
      const { seq } = await coordinator.changeDocument({ op: 'delete', id: request.params.id })
      return { id: request.params.id, seq, deleted: true }
    } catch (error) {
      return await sendChangeError(reply, error)
    }
  })
}

async function sendNoDocument (reply: FastifyReply, id: string): Promise<FastifyReply> {
  return await reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `no document ${id}`, code: 'POISK_NO_DOCUMENT' })
}

/**
 * A change refused: an invalid document (400), an unknown one (404), no index (503), or the
 * primary of a cluster could not log it or went away mid-request (503; nothing was applied,
 * and a PUT or DELETE may be retried). A full disk (507) and other errors go to the error handler.
 */
async function sendChangeError (reply: FastifyReply, error: unknown): Promise<FastifyReply> {
  if (error instanceof CorpusRecordError) return await reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: error.message, code: error.code })
  if (error instanceof NoDocumentError) return await sendNoDocument(reply, error.id)
  if (error instanceof IndexNotReadyError) return sendIndexUnavailable(reply)
  if (error instanceof ClusterRequestError) return await reply.status(503).send({ statusCode: 503, error: 'Service Unavailable', message: error.message, code: error.code })
  throw error
}
