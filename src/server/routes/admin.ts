/**
 * Admin routes, registered only when ADMIN_TOKEN is set (otherwise they do not exist and
 * answer 404): rebuilds, reload, status, and live document changes (a change that cannot be
 * logged answers 507 POISK_DISK_FULL or 503, and is not applied). Every route in this
 * plugin requires `Authorization: Bearer <ADMIN_TOKEN>`; the check is a hook scoped to
 * this plugin, so it cannot be forgotten on a new admin route.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { articleFromRecord } from '../../corpus/article.js'
import { ClusterRequestError, CorpusRecordError, IndexNotReadyError } from '../../errors.js'
import type { RebuildCoordinator } from '../../live/rebuild-coordinator.js'
import { bearerTokenMatches } from '../admin-auth.js'
import { AdminStatus, DocumentChanged, DocumentInput, ReindexAccepted, ReloadResult } from '../admin-schemas.js'
import { DocumentParams, ErrorBody } from '../schemas.js'
import { sendIndexUnavailable } from './index-unavailable.js'

export interface AdminRoutesOptions {
  token: string
  coordinator: RebuildCoordinator
}

export const adminRoutes: FastifyPluginAsyncTypebox<AdminRoutesOptions> = async (app, { token, coordinator }) => {
  app.addHook('onRequest', async (request, reply) => {
    if (bearerTokenMatches(request.headers.authorization, token)) return
    return await reply.status(401).header('www-authenticate', 'Bearer').send({
      statusCode: 401, error: 'Unauthorized', message: 'a valid admin bearer token is required', code: 'POISK_UNAUTHORIZED'
    })
  })

  app.post('/admin/reindex', {
    schema: { summary: 'Rebuild the index from the corpus in the background', response: { 202: ReindexAccepted, 401: ErrorBody, 409: ErrorBody, 503: ErrorBody } }
  }, async (_request, reply) => {
    const answer = await coordinator.startRebuild()
    if (answer.outcome === 'locked') {
      return await reply.status(409).send({
        statusCode: 409, error: 'Conflict', message: `another process (pid ${answer.pid}) is building into this index folder; it will be picked up when published`, code: 'POISK_BUILD_LOCKED'
      })
    }
    if (answer.outcome === 'unavailable') {
      return await reply.status(503).send({ statusCode: 503, error: 'Service Unavailable', message: answer.message, code: 'POISK_BUILDER_UNAVAILABLE' })
    }
    return await reply.status(202).send({ buildId: answer.buildId, joined: answer.joined, statusUrl: '/admin/status' })
  })

  app.post('/admin/reload', {
    schema: { summary: 'Make the build named in index/CURRENT live', response: { 200: ReloadResult, 401: ErrorBody } }
  }, async () => {
    const { buildId, changed } = await coordinator.reload()
    return { buildId: buildId ?? null, changed }
  })

  app.get('/admin/status', {
    schema: { summary: 'Rebuild state, progress, last success and last error', response: { 200: AdminStatus, 401: ErrorBody } }
  }, async () => coordinator.status())

  app.put('/documents/:id', {
    schema: {
      summary: 'Add or replace a document in the live index',
      params: DocumentParams,
      body: DocumentInput,
      response: { 200: DocumentChanged, 201: DocumentChanged, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody, 507: ErrorBody }
    }
  }, async (request, reply) => {
    let article
    try {
      article = { ...articleFromRecord({ ...request.body, id: request.params.id }), id: request.params.id }
    } catch (error) {
      if (!(error instanceof CorpusRecordError)) throw error
      return await reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: error.message, code: error.code })
    }
    try {
      const { seq, existed } = await coordinator.changeDocument({ op: 'put', id: article.id, article })
      return await reply.status(existed ? 200 : 201).send({ id: article.id, seq, created: !existed })
    } catch (error) {
      if (error instanceof IndexNotReadyError) return sendIndexUnavailable(reply)
      if (error instanceof ClusterRequestError) return await sendNotCommitted(reply, error)
      throw error
    }
  })

  app.delete('/documents/:id', {
    schema: {
      summary: 'Remove a document from the live index',
      params: DocumentParams,
      response: { 200: DocumentChanged, 401: ErrorBody, 404: ErrorBody, 503: ErrorBody, 507: ErrorBody }
    }
  }, async (request, reply) => {
    const snapshot = app.indexStore.current()
    if (snapshot === undefined) return sendIndexUnavailable(reply)
    if (!snapshot.miniSearch.has(request.params.id)) {
      return await reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `no document ${request.params.id}`, code: 'POISK_NO_DOCUMENT' })
    }
    try {
      const { seq } = await coordinator.changeDocument({ op: 'delete', id: request.params.id })
      return { id: request.params.id, seq, deleted: true }
    } catch (error) {
      if (error instanceof IndexNotReadyError) return sendIndexUnavailable(reply)
      if (error instanceof ClusterRequestError) return await sendNotCommitted(reply, error)
      throw error
    }
  })
}

/** Cluster mode: the primary could not log the change (nothing was applied), or went away mid-request; the client may retry (a PUT/DELETE is idempotent). */
async function sendNotCommitted (reply: FastifyReply, error: ClusterRequestError): Promise<FastifyReply> {
  return await reply.status(503).send({ statusCode: 503, error: 'Service Unavailable', message: error.message, code: error.code })
}
