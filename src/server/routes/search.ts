/** GET /search: ranked keyword search. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Snapshot } from '../../index/open-index.js'
import { expectInternals } from '../../index/minisearch-internals.js'
import { someStoredHave, storedValue } from '../../index/stored-fields-table.js'
import { isCalendarDay } from '../../corpus/dates.js'
import { defaultRanking } from '../../search/ranking.js'
import { search } from '../../search/search.js'
import { ErrorBody, SearchQuerystring, SearchResponse } from '../schemas.js'
import { sendIndexUnavailable } from './index-unavailable.js'

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/search', {
    config: { takesTurn: true },
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
    const invalid = [from, to].find(day => day !== undefined && !isCalendarDay(day))
    if (invalid !== undefined) {
      return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: `no such day: ${invalid}`, code: 'POISK_BAD_DATE' })
    }
    if (from !== undefined && to !== undefined && from > to) {
      return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: `from (${from}) is after to (${to})`, code: 'POISK_BAD_DATE_RANGE' })
    }
    // Read per request: a reload swaps the rules.
    const synonyms = app.synonyms?.current
    const queryOptions = synonyms === undefined ? app.queryOptions : { ...app.queryOptions, synonyms }
    const response = await search(snapshot, { ...request.query, timeZone: app.timeZone }, defaultRanking, queryOptions, {
      onScoringFallback: reason => request.log.debug({ reason }, 'query scored by MiniSearch\'s own execution'),
      // A search over half a large archive gives way between its pieces of work (turn-queue.ts).
      ...(request.turnPause === undefined ? {} : { pause: request.turnPause })
    })
    // What the page needs to explain an empty or unsortable result (it hides date controls on an undated corpus).
    return {
      ...response,
      corpusHasDates: corpusHasDates(snapshot),
      ...(response.total === 0 && onlyStopWords(snapshot, request.query.q) ? { onlyStopWords: true } : {})
    }
  })
}

const datedCache = new WeakMap<Snapshot, { dated: boolean, nextId: number }>()

/**
 * Whether any document has a date. A loaded build counted its dated documents as it loaded
 * (stored-fields-table.ts); after live changes only the documents they added are looked at
 * (MiniSearch numbers every added or replaced document anew, from `nextId` on): no pass over
 * a large archive's stored fields at its first query or after every PUT.
 */
export function corpusHasDates (snapshot: Snapshot): boolean {
  const internals = expectInternals(snapshot.miniSearch)
  const cached = datedCache.get(snapshot)
  if (cached !== undefined && (cached.dated || cached.nextId === internals.nextId)) return cached.dated
  let dated = false
  if (cached === undefined) {
    dated = someStoredHave(internals.storedFields, 'date')
  } else {
    for (let shortId = cached.nextId; shortId < internals.nextId && !dated; shortId += 1) dated = storedValue(internals.storedFields, shortId, 'date') !== undefined
  }
  datedCache.set(snapshot, { dated, nextId: internals.nextId })
  return dated
}

/** The query has words, and none leaves a term to search: stop words («и в на») or junk. */
function onlyStopWords (snapshot: Snapshot, q: string): boolean {
  const tokens = snapshot.analyzer.analyzeWithOffsets(q)
  return tokens.length > 0 && tokens.every(token => token.terms.length === 0)
}
