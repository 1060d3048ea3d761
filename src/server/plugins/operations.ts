/**
 * Everything a production deployment needs around the routes, as one plugin registered
 * before them: request ids and one log line per request, OpenAPI at /docs, Prometheus metrics at /metrics, the
 * protections (rate limit, load shedding, security headers, compression, CORS, size and
 * cost limits) and strict integer parameters. Registered with fastify-plugin so its hooks
 * reach every route.
 */
import cluster from 'node:cluster'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import { defaultConfig, type HttpConfig } from '../../config.js'
import { isPoiskWorker } from '../cluster/protocol.js'
import { processMetrics, type Metrics } from '../metrics.js'
import { metricsPlugin } from './metrics-route.js'
import { openApiPlugin } from './openapi.js'
import { protectionPlugin } from './protection.js'
import { strictIntegersPlugin } from './strict-integers.js'
import type { TurnQueue } from '../turn-queue.js'

export interface OperationsOptions extends HttpConfig {
  /** Where requests and builds are counted; the process's own registry unless given. */
  metrics: Metrics
  /** Serve the OpenAPI description and its UI at /docs. */
  docs: boolean
  /** How often load is sampled for shedding; the last sample decides until the next. */
  pressureSampleIntervalMs: number
  /** Where searches wait for their turn (turn-queue.ts); one bounded by maxEventLoopDelayMs unless given. */
  turns?: TurnQueue
  /** The clock shed warnings are spaced by (performance.now unless given). */
  now?: () => number
}

export function operationsDefaults (overrides: Partial<OperationsOptions> = {}): OperationsOptions {
  return { ...defaultConfig.http, metrics: overrides.metrics ?? processMetrics(), docs: true, pressureSampleIntervalMs: 1000, ...overrides }
}

const REQUEST_ID_HEADER = 'x-request-id'

/** The one line logged per request (with `reqId`, from the request's logger). */
export const REQUEST_LOG_MESSAGE = 'request'
export interface RequestLogRecord {
  method: string
  url: string
  statusCode: number
  /** From the request's arrival to the response's end, in milliseconds. */
  ms: number
}
/** A caller's request id is kept only when it is short and plain, so it cannot forge log lines. */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/

/**
 * One log line per request, when its response is sent: method, url, status, milliseconds and
 * (from the request's logger) reqId; at error level with the error when sending failed. A
 * request for no route is that line too, with its 404.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest (): void {}

  override routeNotFound (): void {}

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const record: RequestLogRecord = { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }
    if (error === null || error === undefined) request.log.info(record, REQUEST_LOG_MESSAGE)
    else request.log.error({ ...record, err: error }, REQUEST_LOG_MESSAGE)
  }
}

/** The Fastify constructor options this plugin relies on (they cannot be set by a plugin). */
export function operationsServerOptions (options: Pick<HttpConfig, 'bodyLimit' | 'trustProxy'>): Partial<FastifyServerOptions> {
  return {
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy.length === 0 ? false : options.trustProxy,
    requestIdHeader: false,
    // fastify's own two lines per request («incoming request», «request completed») give way to one.
    logController: new OneLinePerRequest(),
    genReqId: (request: IncomingMessage) => {
      const given = request.headers[REQUEST_ID_HEADER]
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID()
    }
  }
}

async function operations (app: FastifyInstance, options: OperationsOptions): Promise<void> {
  const worker = isPoiskWorker() ? String(cluster.worker?.id) : undefined
  app.addHook('onSend', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id)
    if (worker !== undefined) void reply.header('x-poisk-worker', worker)
  })
  // Before the routes: rate limits, compression and the integer checks attach to routes added after them.
  await app.register(protectionPlugin, options)
  await app.register(strictIntegersPlugin)
  if (options.docs) await app.register(openApiPlugin)
  await app.register(metricsPlugin, { metrics: options.metrics })
}

export const operationsPlugin = fp(operations, { name: 'poisk-operations', fastify: '5.x' })
