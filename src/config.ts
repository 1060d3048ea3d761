/**
 * Configuration from the environment, validated once at start-up and passed down as a
 * value: no module below the CLI reads `process.env`. CLI flags override these.
 */
import { ConfigError } from './errors.js'

export interface Config {
  port: number
  host: string
  /** Files or folders to index (CORPUS_DIR may name either). */
  corpusPaths: string[]
  indexDir: string
  logLevel: LogLevel
  /** Bearer token of the admin routes; they do not exist without one. */
  adminToken?: string
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]

export const defaultConfig: Config = {
  port: 3000,
  host: '127.0.0.1',
  corpusPaths: ['corpus'],
  indexDir: 'index',
  logLevel: 'info'
}

export function configFromEnv (env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: env.PORT === undefined ? defaultConfig.port : parsePort(env.PORT, 'PORT'),
    host: nonEmpty(env.HOST, 'HOST') ?? defaultConfig.host,
    corpusPaths: env.CORPUS_DIR === undefined ? defaultConfig.corpusPaths : [nonEmpty(env.CORPUS_DIR, 'CORPUS_DIR') as string],
    indexDir: nonEmpty(env.INDEX_DIR, 'INDEX_DIR') ?? defaultConfig.indexDir,
    logLevel: env.LOG_LEVEL === undefined ? defaultConfig.logLevel : parseLogLevel(env.LOG_LEVEL),
    ...(env.ADMIN_TOKEN === undefined || env.ADMIN_TOKEN === '' ? {} : { adminToken: parseAdminToken(env.ADMIN_TOKEN) })
  }
}

const MIN_ADMIN_TOKEN_LENGTH = 16

function parseAdminToken (text: string): string {
  if (text.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(text)) {
    throw new ConfigError(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without spaces (e.g. openssl rand -hex 32)`)
  }
  return text
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

function parseLogLevel (text: string): LogLevel {
  const level = LOG_LEVELS.find(candidate => candidate === text.trim().toLowerCase())
  if (level === undefined) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got «${text}»`)
  return level
}

function nonEmpty (value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined
  if (value.trim() === '') throw new ConfigError(`${name} is set but empty`)
  return value
}
