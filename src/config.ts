/**
 * Configuration from the environment, validated once at start-up and passed down as a
 * value: no module below the CLI reads `process.env`. CLI flags override these.
 */
import { isIP } from 'node:net'
import { DEFAULT_TIME_ZONE, isValidTimeZone } from './corpus/dates.js'
import { ConfigError } from './errors.js'
import { readSynonymsFile, type Synonyms } from './search/synonyms.js'

export interface Config {
  port: number
  host: string
  /** Files or folders to index (CORPUS_DIR may name either). */
  corpusPaths: string[]
  /**
   * Whether CORPUS_DIR was set. `serve` builds only from a corpus someone named: the bundled
   * sample is `start`'s and `index`'s default, never a stand-in for an unusable index.
   */
  corpusConfigured: boolean
  indexDir: string
  logLevel: LogLevel
  /** LOG_FORMAT: JSON lines, readable lines (pino-pretty), or `auto` — readable when stdout is a terminal. */
  logFormat: LogFormat
  /** Bearer token of the admin routes; they do not exist without one. */
  adminToken?: string
  /** HTTP worker processes for `poisk serve` (node:cluster); 1 serves from the main process. */
  workers: number
  /** How worker processes collect garbage (see server/cluster.ts). */
  workerGc: WorkerGc
  /** A served build's documents file up to this size is held in memory (each worker holds its own); larger ones are read per hit. */
  documentsInMemoryBytes: number
  /** Protection and operations knobs for the HTTP server. */
  http: HttpConfig
  /** SYNONYMS_FILE, read and parsed at start (a missing or malformed file stops it); none when not set. */
  synonyms?: Synonyms
  /**
   * TIME_ZONE (IANA name): times written without a zone in the corpus and in PUTs are this
   * zone's wall-clock times, and day filters, month facets and the page's dates are its days.
   */
  timeZone: string
  /** `serve --follow`: FOLLOW_INTERVAL_MS between polls of the table, FOLLOW_WINDOW_MS re-read behind the position (rows committed out of order). */
  follow: { intervalMs: number, windowMs: number }
}

export interface HttpConfig {
  /**
   * Requests per client address per window before 429, on every route but /health, /metrics
   * and the admin routes; 0 (the default) turns per-client limits off. Behind an app server
   * or proxy every search comes from one address, which a per-address limit would throttle
   * as a whole; turn it on when clients reach poisk directly (with TRUST_PROXY behind a proxy).
   */
  rateLimitMax: number
  rateLimitWindowMs: number
  /** Client addresses never rate-limited, on any route (e.g. loopback for load tests). */
  rateLimitAllowList: string[]
  /**
   * Admin requests (/admin/*, PUT and DELETE /documents/:id) per client address per window
   * before 429, counted apart from the client limit; 0 turns the admin limit off.
   */
  adminRateLimitMax: number
  adminRateLimitWindowMs: number
  /** Origins allowed by CORS; empty disables CORS headers, ['*'] allows any. */
  corsOrigins: string[]
  /**
   * Event-loop delay above which requests are shed with 503, and the longest the first search in
   * line may wait for its turn (server/turn-queue.ts) before new ones are shed (0 turns both off).
   */
  maxEventLoopDelayMs: number
  /** Heap in use above which requests are shed with 503 (0 turns the check off). */
  maxHeapUsedBytes: number
  /** Longest request URL (path + query string) accepted, in characters. */
  maxUrlLength: number
  /** Largest request body accepted, in bytes. */
  bodyLimit: number
  /** Proxy addresses whose X-Forwarded-For is trusted (the load balancer); empty trusts none. */
  trustProxy: string[]
}

const MEBIBYTE = 1024 * 1024

const WORKER_GC_MODES = ['auto', 'parallel', 'single'] as const
/** `auto`: on one thread when the workers fill the cores, V8's parallel default otherwise. */
export type WorkerGc = typeof WORKER_GC_MODES[number]

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]

const LOG_FORMATS = ['auto', 'json', 'pretty'] as const
export type LogFormat = typeof LOG_FORMATS[number]

export const defaultConfig: Config = {
  port: 3000,
  host: '127.0.0.1',
  corpusPaths: ['corpus'],
  corpusConfigured: false,
  indexDir: 'index',
  logLevel: 'info',
  logFormat: 'auto',
  workers: 1,
  workerGc: 'auto',
  documentsInMemoryBytes: 512 * MEBIBYTE,
  timeZone: DEFAULT_TIME_ZONE,
  follow: { intervalMs: 1000, windowMs: 10_000 },
  http: {
    // Off: the usual deployment sends every search from one app server or proxy address,
    // and any per-address limit low enough to stop an abuser would throttle that site
    // (50 searches a second is 3,000 a minute). Load shedding still guards the process.
    rateLimitMax: 0,
    rateLimitWindowMs: 60_000,
    rateLimitAllowList: [],
    // 100 a second averaged over the minute: twice what a busy CMS pushes (50 PUTs a
    // second), yet a runaway script or a leaked token cannot rebuild or rewrite without bound.
    adminRateLimitMax: 6000,
    adminRateLimitWindowMs: 60_000,
    corsOrigins: [],
    maxEventLoopDelayMs: 1000,
    maxHeapUsedBytes: 0,
    maxUrlLength: 4096,
    // rt's largest article is 70 KiB as a PUT body (200 KiB with every letter \u-escaped); a
    // 16 KiB limit refused a quarter of rt. 1 MiB leaves room for long reads and still bounds a request.
    bodyLimit: 1024 * 1024,
    trustProxy: []
  }
}

/** Upper bounds that keep a typo (an extra zero) from taking a machine down. */
const MAX_WORKERS = 64
/** Below the largest Buffer Node makes (4 GiB). */
const MAX_DOCUMENTS_IN_MEMORY_MB = 4095

export function configFromEnv (env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: env.PORT === undefined ? defaultConfig.port : parsePort(env.PORT, 'PORT'),
    host: nonEmpty(env.HOST, 'HOST') ?? defaultConfig.host,
    corpusPaths: env.CORPUS_DIR === undefined ? defaultConfig.corpusPaths : [nonEmpty(env.CORPUS_DIR, 'CORPUS_DIR') as string],
    corpusConfigured: env.CORPUS_DIR !== undefined,
    indexDir: nonEmpty(env.INDEX_DIR, 'INDEX_DIR') ?? defaultConfig.indexDir,
    logLevel: env.LOG_LEVEL === undefined ? defaultConfig.logLevel : parseLogLevel(env.LOG_LEVEL),
    logFormat: env.LOG_FORMAT === undefined ? defaultConfig.logFormat : parseLogFormat(env.LOG_FORMAT),
    ...(env.ADMIN_TOKEN === undefined || env.ADMIN_TOKEN === '' ? {} : { adminToken: parseAdminToken(env.ADMIN_TOKEN) }),
    workers: env.WORKERS === undefined ? defaultConfig.workers : parseWorkers(env.WORKERS, 'WORKERS'),
    workerGc: env.WORKER_GC === undefined ? defaultConfig.workerGc : parseWorkerGc(env.WORKER_GC),
    documentsInMemoryBytes: env.DOCUMENTS_IN_MEMORY_MB === undefined
      ? defaultConfig.documentsInMemoryBytes
      : parseInteger(env.DOCUMENTS_IN_MEMORY_MB, 'DOCUMENTS_IN_MEMORY_MB', 0, MAX_DOCUMENTS_IN_MEMORY_MB) * MEBIBYTE,
    http: httpConfigFromEnv(env),
    timeZone: env.TIME_ZONE === undefined ? defaultConfig.timeZone : parseTimeZone(env.TIME_ZONE),
    follow: {
      intervalMs: env.FOLLOW_INTERVAL_MS === undefined ? defaultConfig.follow.intervalMs : parseInteger(env.FOLLOW_INTERVAL_MS, 'FOLLOW_INTERVAL_MS', 10, 3_600_000),
      windowMs: env.FOLLOW_WINDOW_MS === undefined ? defaultConfig.follow.windowMs : parseInteger(env.FOLLOW_WINDOW_MS, 'FOLLOW_WINDOW_MS', 0, 86_400_000)
    },
    ...(env.SYNONYMS_FILE === undefined ? {} : { synonyms: readSynonymsFile(nonEmpty(env.SYNONYMS_FILE, 'SYNONYMS_FILE') as string) })
  }
}

const MIN_ADMIN_TOKEN_LENGTH = 16

function parseWorkerGc (text: string): WorkerGc {
  const mode = WORKER_GC_MODES.find(known => known === text)
  if (mode === undefined) throw new ConfigError(`WORKER_GC must be one of ${WORKER_GC_MODES.join(', ')}, got «${text}»`)
  return mode
}

function parseAdminToken (text: string): string {
  if (text.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(text)) {
    throw new ConfigError(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without spaces (e.g. openssl rand -hex 32)`)
  }
  return text
}

function httpConfigFromEnv (env: NodeJS.ProcessEnv): HttpConfig {
  const defaults = defaultConfig.http
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name]
    return text === undefined ? fallback : parseInteger(text, name, min, max)
  }
  const list = (name: string, fallback: string[]): string[] => {
    const text = env[name]
    return text === undefined ? fallback : parseList(text)
  }
  return {
    rateLimitMax: integer('RATE_LIMIT_MAX', defaults.rateLimitMax, 0, 1e9),
    rateLimitWindowMs: integer('RATE_LIMIT_WINDOW_MS', defaults.rateLimitWindowMs, 1, 86_400_000),
    rateLimitAllowList: parseAddresses(list('RATE_LIMIT_ALLOW_LIST', defaults.rateLimitAllowList), 'RATE_LIMIT_ALLOW_LIST', false),
    adminRateLimitMax: integer('ADMIN_RATE_LIMIT_MAX', defaults.adminRateLimitMax, 0, 1e9),
    adminRateLimitWindowMs: integer('ADMIN_RATE_LIMIT_WINDOW_MS', defaults.adminRateLimitWindowMs, 1, 86_400_000),
    corsOrigins: parseCorsOrigins(list('CORS_ORIGINS', defaults.corsOrigins)),
    maxEventLoopDelayMs: integer('MAX_EVENT_LOOP_DELAY_MS', defaults.maxEventLoopDelayMs, 0, 600_000),
    maxHeapUsedBytes: integer('MAX_HEAP_USED_BYTES', defaults.maxHeapUsedBytes, 0, Number.MAX_SAFE_INTEGER),
    maxUrlLength: integer('MAX_URL_LENGTH', defaults.maxUrlLength, 64, 65_536),
    bodyLimit: integer('BODY_LIMIT', defaults.bodyLimit, 1, 100 * 1024 * 1024),
    trustProxy: parseAddresses(list('TRUST_PROXY', defaults.trustProxy), 'TRUST_PROXY'),
  }
}

export function parseWorkers (text: string, name: string): number {
  return parseInteger(text, name, 1, MAX_WORKERS)
}

export function parseInteger (text: string, name: string, min: number, max: number): number {
  const value = Number(text)
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got «${text}»`)
  }
  return value
}

function parseList (text: string): string[] {
  return text.split(',').map(item => item.trim()).filter(item => item !== '')
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** IP addresses (and, where allowed, CIDR ranges and proxy-addr's names such as loopback). */
function parseAddresses (entries: string[], name: string, ranges = true): string[] {
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/')
    const valid = ranges
      ? PROXY_NAMES.has(entry) || (isIP(address) !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix)))
      : isIP(entry) !== 0
    if (!valid) throw new ConfigError(`${name} must list IP addresses${ranges ? ' or CIDR ranges' : ''}, got «${entry}»`)
  }
  return entries
}

function parseCorsOrigins (origins: string[]): string[] {
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(`CORS_ORIGINS must list origins like https://example.ru (no path) or *, got «${origin}»`)
    }
  }
  return origins
}

export function parsePort (text: string, name: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a port number from 0 to 65535, got «${text}»`)
  }
  return port
}

export function parsePositiveInteger (text: string, name: string, max: number): number {
  const value = Number(text)
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > max) {
    throw new ConfigError(`${name} must be an integer from 1 to ${max}, got «${text}»`)
  }
  return value
}

function parseTimeZone (text: string): string {
  const name = text.trim()
  if (!isValidTimeZone(name)) throw new ConfigError(`TIME_ZONE must be an IANA time zone such as Europe/Moscow or UTC, got «${text}»`)
  return name
}

function parseLogLevel (text: string): LogLevel {
  const level = LOG_LEVELS.find(candidate => candidate === text.trim().toLowerCase())
  if (level === undefined) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got «${text}»`)
  return level
}

function parseLogFormat (text: string): LogFormat {
  const format = LOG_FORMATS.find(candidate => candidate === text.trim().toLowerCase())
  if (format === undefined) throw new ConfigError(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got «${text}»`)
  return format
}

function nonEmpty (value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined
  if (value.trim() === '') throw new ConfigError(`${name} is set but empty`)
  return value
}
