/**
 * What keeps one client, one query or a burst of traffic from taking the server down:
 * per-client rate limits (429; off unless configured, admin routes in a bucket of their
 * own), load shedding while the event loop lags or the heap is over budget (503),
 * security headers, compression, CORS for configured origins only, a cap on URL length
 * (414) and on the words one query may ask for (400). Every refusal is a JSON error body
 * like the routes' own.
 */
import compress from '@fastify/compress'
import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { HttpConfig } from '../../config.js'
import { MAX_QUERY_WORDS } from '../../search/query/query-syntax.js'
import { TurnQueue } from '../turn-queue.js'
import { giveWayThrough } from '../../index/time-slicer.js'

const RETRY_AFTER_S = 5
const JSON_TYPE = 'application/json; charset=utf-8'
/** While load is shed, a warning at most this often, counting the requests shed since the last one. */
const SHED_WARNING_INTERVAL_MS = 1000

export interface ProtectionOptions extends HttpConfig {
  pressureSampleIntervalMs: number
  /** The queue that routes with `config: { takesTurn: true }` wait in; one bounded by maxEventLoopDelayMs unless given. */
  turns?: TurnQueue
  /** The clock shed warnings are spaced by (performance.now; tests give a fake one). */
  now?: () => number
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The handler holds the event loop (a search): it waits for its turn (turn-queue.ts). */
    takesTurn?: boolean
  }
  interface FastifyRequest {
    /** For a request that took a turn: awaited between pieces of its work, gives way when the turn's slice is spent (TurnQueue#pause). */
    turnPause?: () => Promise<void>
  }
}

async function protection (app: FastifyInstance, options: ProtectionOptions): Promise<void> {
  const warnings = new ShedWarnings(options.now ?? (() => performance.now()))
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length > options.maxUrlLength) {
      return await sendError(reply, 414, 'URI Too Long', `the request URL is longer than ${options.maxUrlLength} characters`, 'POISK_URL_TOO_LONG')
    }
  })
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    maxHeapUsedBytes: options.maxHeapUsedBytes,
    sampleInterval: options.pressureSampleIntervalMs,
    // under-pressure sends whatever the handler returns (its typings say void): the body
    // goes out as is, where its default error would be turned into a 500 by our error handler.
    pressureHandler: ((request: FastifyRequest, reply: FastifyReply, type: string) => shed(request, reply, type, warnings)) as unknown as (request: FastifyRequest, reply: FastifyReply, type: string) => void
  })
  await app.register(helmet, {
    global: true,
    // poisk serves plain HTTP (TLS, where there is any, is a proxy's): upgrading the page's own requests to
    // https:// broke it on every hostname but localhost, which browsers exempt. The rest of helmet's policy stays.
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } }
  })
  await app.register(cors, { origin: corsOrigin(options.corsOrigins) })
  await app.register(compress, { global: true, threshold: 1024 })
  // After helmet and CORS, whose onRequest hooks give a 429 its headers (a browser reads it).
  await rateLimits(app, options)
  app.addHook('preHandler', async (request, reply) => {
    const q = (request.query as { q?: unknown } | undefined)?.q
    if (typeof q !== 'string') return
    const words = q.split(/[\s\p{P}]+/u).filter(word => word !== '').length
    if (words > MAX_QUERY_WORDS) {
      return await sendError(reply, 400, 'Bad Request', `the query has ${words} words; at most ${MAX_QUERY_WORDS} are searched`, 'POISK_QUERY_TOO_LONG')
    }
  })
  await takingTurns(app, options.turns ?? new TurnQueue({ maxWaitMs: options.maxEventLoopDelayMs }), warnings)
}

/**
 * The log lines of load shedding: the first shed request is logged at once, the next ones
 * counted and logged with the first shed after SHED_WARNING_INTERVAL_MS. A burst shed by the
 * thousand (19,489 requests in 6 s in a trial) logged a warning each, burying the log; every
 * request still has its access line, and /metrics counts the 503s.
 */
class ShedWarnings {
  private uncounted = 0
  private lastWarningAt = -Infinity

  constructor (private readonly now: () => number) {}

  /** Notes one shed request; logs a warning when one is due. */
  note (request: FastifyRequest, details: Record<string, unknown>): void {
    this.uncounted += 1
    const now = this.now()
    if (now - this.lastWarningAt < SHED_WARNING_INTERVAL_MS) return
    request.log.warn({ ...details, shedSinceLastWarning: this.uncounted }, 'shedding load')
    this.uncounted = 0
    this.lastWarningAt = now
  }
}

/**
 * The last preHandler: a request that passed every check waits for its turn to hold the
 * event loop, or is shed with 503 when the line is too long to wait in.
 */
async function takingTurns (app: FastifyInstance, turns: TurnQueue, warnings: ShedWarnings): Promise<void> {
  app.decorateRequest('turnPause', undefined)
  // Background work (a build loading, the vocabulary prepared) takes turns with the searches.
  const ownWay = giveWayThrough(turns.backgroundTurn)
  app.addHook('onClose', async () => { ownWay() })
  app.addHook('onRequest', async () => { turns.arrived() })
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config?.takesTurn !== true) return
    if (await turns.take()) {
      request.turnPause = turns.pause
      return
    }
    warnings.note(request, { waitedMs: Math.round(turns.longestWaitMs()) })
    void reply.header('retry-after', String(RETRY_AFTER_S))
    return await sendError(reply, 503, 'Service Unavailable', `server overloaded (searches waited over ${turns.maxWaitMs} ms), retry later`, 'POISK_OVERLOADED')
  })
}

/**
 * Two buckets per client address: one for the admin routes and one for everything else, so
 * a CMS pushing changes and the searches from the same address do not starve each other.
 * Routes with `config: { rateLimit: false }` (/health, /metrics) are never limited: a load
 * balancer probing from an address that also sends traffic must not see a healthy server
 * as down. The check is an app-wide onRequest hook rather than a route hook so that it runs
 * before the admin token check: wrong tokens count too.
 */
async function rateLimits (app: FastifyInstance, options: ProtectionOptions): Promise<void> {
  // global: false — the plugin only supplies limiters (and honours route configs); the hook below picks one.
  await app.register(rateLimit, {
    global: false,
    allowList: options.rateLimitAllowList,
    errorResponseBuilder: (_request, context) => ({
      statusCode: context.statusCode,
      error: 'Too Many Requests',
      message: `rate limit of ${context.max} requests per ${context.after} exceeded, retry in ${context.after}`,
      code: 'POISK_RATE_LIMITED'
    })
  })
  // One limiter per bucket, each with its own store; 0 means no limiter at all.
  const limiter = (max: number, timeWindow: number) => max === 0 ? undefined : app.rateLimit({ max, timeWindow })
  const client = limiter(options.rateLimitMax, options.rateLimitWindowMs)
  const admin = limiter(options.adminRateLimitMax, options.adminRateLimitWindowMs)
  if (client === undefined && admin === undefined) return
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions
    if (route.config?.rateLimit === false) return
    const limit = isAdminRoute(route.method, route.url) ? admin : client
    if (limit !== undefined) await limit.call(app, request, reply)
  })
}

/** The routes of routes/admin.ts: everything under /admin, and the writes to /documents/:id. */
function isAdminRoute (method: string | string[], url: string | undefined): boolean {
  if (url === undefined) return false
  if (url === '/admin' || url.startsWith('/admin/')) return true
  const methods = Array.isArray(method) ? method : [method]
  return url.startsWith('/documents/') && methods.some(name => name !== 'GET' && name !== 'HEAD')
}

function shed (request: FastifyRequest, reply: FastifyReply, type: string, warnings: ShedWarnings): string {
  warnings.note(request, { type })
  void reply.status(503).header('retry-after', String(RETRY_AFTER_S)).type(JSON_TYPE)
  // Pre-serialised: the route's own 503 schema (e.g. /health's) describes a different body.
  return JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: `server overloaded (${type}), retry later`, code: 'POISK_OVERLOADED' })
}

function corsOrigin (origins: string[]): boolean | string | string[] {
  if (origins.length === 0) return false
  if (origins.includes('*')) return '*'
  return origins
}

async function sendError (reply: FastifyReply, statusCode: number, error: string, message: string, code: string): Promise<FastifyReply> {
  return await reply.status(statusCode).type(JSON_TYPE).send(JSON.stringify({ statusCode, error, message, code }))
}

export const protectionPlugin = fp(protection, { name: 'poisk-protection' })
