/**
 * POST /documents/_bulk: many documents in one request, as NDJSON (`application/x-ndjson`, a
 * document with its `id` per line) or a JSON array (`application/json`). The body is not
 * parsed by fastify: it is handed over as the raw stream and read record by record
 * (bulk-records.ts), so BODY_LIMIT bounds each record, not the request, and the import
 * (live/bulk-import.ts) pulls it only as fast as batches go in. Registered inside the admin
 * routes' plugin, behind the token; its content-type parsers are this plugin's alone.
 */
import type { Socket } from 'node:net'
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { defaultBulkOptions, importDocuments } from '../../live/bulk-import.js'
import type { RebuildCoordinator } from '../../live/rebuild-coordinator.js'
import { BulkResult } from '../admin-schemas.js'
import { jsonArrayRecords, ndjsonRecords } from '../bulk-records.js'
import { ErrorBody } from '../schemas.js'
import { sendIndexUnavailable } from './index-unavailable.js'

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson'])
const JSON_TYPE = 'application/json'

export const bulkRoutes: FastifyPluginAsyncTypebox<{ coordinator: RebuildCoordinator }> = async (app, { coordinator }) => {
  // Every body reaches the handler as its stream: it answers an unsupported type with a 415 that says what to send.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, payload, done) => { done(null, payload) })
  const maxRecordBytes = app.initialConfig.bodyLimit ?? 1024 * 1024

  app.post('/documents/_bulk', {
    schema: {
      summary: 'Add or replace many documents: NDJSON (one document with its id a line) or a JSON array',
      description: `Streamed: each record is at most BODY_LIMIT (${maxRecordBytes}) bytes, the request has no size limit. Records are logged in batches (one fsync each) and applied before more is read. Items come in the order of the records.`,
      consumes: [...NDJSON_TYPES, JSON_TYPE],
      response: { 200: BulkResult, 401: ErrorBody, 415: ErrorBody, 503: ErrorBody }
    }
  }, async (request, reply) => {
    const type = mediaType(request.headers['content-type'])
    const format = NDJSON_TYPES.has(type) ? 'ndjson' : type === JSON_TYPE ? 'array' : undefined
    if (format === undefined) {
      return await reply.status(415).send({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: `send documents as application/x-ndjson (one JSON document with its "id" a line) or as a JSON array (application/json), not ${type === '' ? 'a body without a content-type' : type}`,
        code: 'POISK_BULK_MEDIA_TYPE'
      })
    }
    if (app.indexStore.current() === undefined) return sendIndexUnavailable(reply)
    const started = performance.now()
    // No body at all (content-length 0) reads as an empty one.
    const body = (request.body ?? Readable.from([])) as Readable
    const records = format === 'ndjson' ? ndjsonRecords(body, maxRecordBytes) : jsonArrayRecords(body, maxRecordBytes)
    const result = await withoutIdleTimeout(request.raw.socket, app.server.timeout, async () => await importDocuments(records, coordinator, { ...defaultBulkOptions, timeZone: app.timeZone }))
    return { took: Math.round(performance.now() - started), ...result }
  })
}

/**
 * The server closes a socket idle for its connection timeout (a client that stalls). While a
 * batch is logged and applied the socket is idle because the server is busy, for longer than
 * that on a large batch on a loaded machine: the timeout is off for the import, and back after.
 */
async function withoutIdleTimeout<T> (socket: Socket | undefined, timeoutMs: number, run: () => Promise<T>): Promise<T> {
  // (fastify.inject's sockets have no timers.)
  if (typeof socket?.setTimeout !== 'function') return await run()
  socket.setTimeout(0)
  try {
    return await run()
  } finally {
    socket.setTimeout(timeoutMs)
  }
}

function mediaType (header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}
