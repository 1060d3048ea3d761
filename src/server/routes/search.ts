/** GET /search: ranked keyword search. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { defaultRanking } from '../../search/ranking.js'
import { search } from '../../search/search.js'
import { ErrorBody, SearchQuerystring, SearchResponse } from '../schemas.js'
import { sendIndexUnavailable } from './index-unavailable.js'

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/search', {
    schema: {
      summary: 'Search the news',
      querystring: SearchQuerystring,
      response: { 200: SearchResponse, 400: ErrorBody, 503: ErrorBody }
    }
  }, async (request, reply) => {
    const snapshot = app.indexStore.current()
    if (snapshot === undefined) return sendIndexUnavailable(reply)
    if (request.query.q.trim() === '') {
      return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: 'querystring/q must contain a word', code: 'POISK_EMPTY_QUERY' })
    }
    const { from, to } = request.query
    const invalid = [from, to].find(day => day !== undefined && Number.isNaN(Date.parse(day)))
    if (invalid !== undefined) {
      return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: `no such day: ${invalid}`, code: 'POISK_BAD_DATE' })
    }
    if (from !== undefined && to !== undefined && from > to) {
      return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: `from (${from}) is after to (${to})`, code: 'POISK_BAD_DATE_RANGE' })
    }
    // Read per request: a reload swaps the rules.
    const synonyms = app.synonyms?.current
    const queryOptions = synonyms === undefined ? app.queryOptions : { ...app.queryOptions, synonyms }
    return await search(snapshot, request.query, defaultRanking, queryOptions, {
      onScoringFallback: reason => request.log.debug({ reason }, 'query scored by MiniSearch\'s own execution')
    })
  })
}
