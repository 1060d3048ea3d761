/**
 * Admin routes, registered only when ADMIN_TOKEN is set (otherwise they do not exist and
 * answer 404): rebuilds, reload and status. Every route in this plugin requires
 * `Authorization: Bearer <ADMIN_TOKEN>` (requireAdminToken). Document changes are with
 * GET in documents.ts, behind the same check.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RebuildCoordinator } from '../../live/rebuild-coordinator.js'
import { ConfigError } from '../../errors.js'
import { requireAdminToken } from '../admin-auth.js'
import { AdminStatus, ReindexAccepted, ReloadResult } from '../admin-schemas.js'
import { ErrorBody } from '../schemas.js'

export interface AdminRoutesOptions {
  token: string
  coordinator: RebuildCoordinator
  /** With `--workers`: tells the other workers a reload succeeded here, so each re-reads too. */
  announceReload?: () => void
}

export const adminRoutes: FastifyPluginAsyncTypebox<AdminRoutesOptions> = async (app, { token, coordinator, announceReload }) => {
  requireAdminToken(app, token)

  app.post('/admin/reindex', {
    schema: { summary: 'Rebuild the index from the corpus in the background', response: { 202: ReindexAccepted, 401: ErrorBody, 409: ErrorBody, 503: ErrorBody } }
  }, async (_request, reply) => {
    const answer = await coordinator.startRebuild()
    if (answer.outcome === 'locked') {
      return await reply.status(409).send({
        statusCode: 409, error: 'Conflict', message: `another process (pid ${answer.pid}) is building into this index folder; it will be picked up when published`, code: 'POISK_BUILD_LOCKED'
      })
    }
    if (answer.outcome === 'no-corpus') {
      return await reply.status(409).send({ statusCode: 409, error: 'Conflict', message: answer.message, code: 'POISK_NO_CORPUS' })
    }
    if (answer.outcome === 'unavailable') {
      return await reply.status(503).send({ statusCode: 503, error: 'Service Unavailable', message: answer.message, code: 'POISK_BUILDER_UNAVAILABLE' })
    }
    return await reply.status(202).send({ buildId: answer.buildId, joined: answer.joined, statusUrl: '/admin/status' })
  })

  app.post('/admin/reload', {
    schema: { summary: 'Re-read SYNONYMS_FILE and make the build named in index/CURRENT live', response: { 200: ReloadResult, 401: ErrorBody, 422: ErrorBody } }
  }, async (_request, reply) => {
    let synonymRules: number | undefined
    try {
      // The app's source (buildApp's `synonyms`): the search route reads what this swaps in.
      synonymRules = app.synonyms?.reload().rules.length
    } catch (error) {
      // The old rules stay in use; nothing else is reloaded, so a fixed file can be retried alone.
      if (!(error instanceof ConfigError)) throw error
      return await reply.status(422).send({ statusCode: 422, error: 'Unprocessable Entity', message: error.message, code: error.code })
    }
    const { buildId, changed } = await coordinator.reload()
    announceReload?.()
    return { buildId: buildId ?? null, changed, ...(synonymRules === undefined ? {} : { synonymRules }) }
  })

  app.get('/admin/status', {
    schema: { summary: 'Rebuild state, progress, last success and last error', response: { 200: AdminStatus, 401: ErrorBody } }
  }, async () => coordinator.status())
}
