/**
 * The HTTP application as a fastify instance, without listening: tests drive it through
 * `inject`, and `serve.ts` adds the process concerns (listen, signals). Routes reach the
 * index only through the IndexStore, never a captured snapshot, so a swapped index is
 * seen by the next request.
 */
import { STATUS_CODES } from 'node:http'
import { DEFAULT_TIME_ZONE } from '../corpus/dates.js'
import { PoiskError } from '../errors.js'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { IndexStore } from '../live/index-store.js'
import type { WriteStatus } from '../live/write-state.js'
import { adminRoutes, type AdminRoutesOptions } from './routes/admin.js'
import { defaultQueryOptions, type QueryOptions } from '../search/query-options.js'
import type { SynonymsSource } from '../search/synonyms.js'
import { handleClientError } from './raw-url-fallback.js'
import { documentRoutes } from './routes/documents.js'
import { healthRoutes } from './routes/health.js'
import { pageRoutes } from './routes/page.js'
import { searchRoutes } from './routes/search.js'
import { operationsDefaults, operationsPlugin, operationsServerOptions, type OperationsOptions } from './plugins/operations.js'
import { suggestRoutes } from './routes/suggest.js'
import { relatedRoutes } from './routes/related.js'
import { DeferredSchemas } from './deferred-schemas.js'

export interface AppOptions {
  store: IndexStore
  logger?: FastifyServerOptions['logger']
  /** Admin routes exist only with a token (ADMIN_TOKEN). */
  admin?: AdminRoutesOptions
  /** Limits, metrics, docs and protections; defaults from `defaultConfig.http`. */
  operations?: Partial<OperationsOptions>
  /** Query understanding switches and bounds (benchmarks turn them off). */
  queryOptions?: QueryOptions
  /** SYNONYMS_FILE's rules, read per request (POST /admin/reload swaps them). */
  synonyms?: SynonymsSource
  /** Whether live changes can be written (for /health); always writable when not given. */
  writeState?: { status: () => WriteStatus }
  /** TIME_ZONE: the zone of PUT dates written without one, and of /search's days and months; Europe/Moscow when not given. */
  timeZone?: string
}

declare module 'fastify' {
  interface FastifyInstance {
    indexStore: IndexStore
    queryOptions: QueryOptions
    synonyms: SynonymsSource | undefined
    writeState: { status: () => WriteStatus }
    timeZone: string
    /** The route schemas, compiled on first use; `serve` compiles the rest once it listens. */
    deferredSchemas: DeferredSchemas
  }
}

const alwaysWritable = { status: (): WriteStatus => ({ writable: true }) }

export async function buildApp ({ store, logger = false, admin, operations, queryOptions = defaultQueryOptions, synonyms, writeState = alwaysWritable, timeZone = DEFAULT_TIME_ZONE }: AppOptions): Promise<FastifyInstance> {
  const operationsOptions = operationsDefaults(operations)
  const deferredSchemas = new DeferredSchemas()
  const app = Fastify({
    logger,
    // fastify disables Node's request timeout by default; a slow client must not hold a socket forever.
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    return503OnClosing: true,
    // curl sends Cyrillic URLs unencoded; Node's parser rejects them before fastify sees them.
    clientErrorHandler (this: FastifyInstance, error: Error, socket) { handleClientError(this, error, socket) },
    routerOptions: { maxParamLength: 600 },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: 'all', useDefaults: true } },
    // Not compiled before listening, where it was a start's longest stall (deferred-schemas.ts).
    schemaController: { compilersFactory: deferredSchemas.compilersFactory },
    ...operationsServerOptions(operationsOptions)
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.decorate('indexStore', store)
  app.decorate('queryOptions', queryOptions)
  app.decorate('synonyms', synonyms)
  app.decorate('writeState', writeState)
  app.decorate('timeZone', timeZone)
  app.decorate('deferredSchemas', deferredSchemas)
  app.setErrorHandler((error: { statusCode?: number, code?: string, message: string }, request, reply) => {
    // Client errors, and poisk's own errors that name their status (a full disk's 507), are told as they are.
    const told = error.statusCode !== undefined && (error.statusCode < 500 || error instanceof PoiskError)
    const statusCode = told && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed')
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // fastify says only «Request body is too large»: name the setting that decides it, and its value.
      const limit = request.routeOptions.bodyLimit ?? operationsOptions.bodyLimit
      void reply.status(413).send({
        statusCode: 413,
        error: STATUS_CODES[413] ?? 'Payload Too Large',
        message: `the request body is larger than BODY_LIMIT (${limit} bytes); send a smaller document or raise BODY_LIMIT`,
        code: 'POISK_BODY_TOO_LARGE'
      })
      return
    }
    void reply.status(statusCode).send({
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message: statusCode === 500 ? 'internal error' : error.message,
      ...(error.code === undefined ? {} : { code: error.code })
    })
  })
  await app.register(operationsPlugin, operationsOptions)
  await app.register(searchRoutes)
  await app.register(documentRoutes, admin === undefined ? {} : { admin })
  await app.register(healthRoutes)
  if (admin !== undefined) await app.register(adminRoutes, admin)
  await app.register(suggestRoutes)
  await app.register(relatedRoutes)
  await app.register(pageRoutes)
  return app
}
