import { describe, expect, it } from 'vitest'
import { configFromEnv, defaultConfig } from '../src/config.js'
import { ConfigError } from '../src/errors.js'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli } from './helpers/cli.js'
import { tempDir } from './helpers/temp-dir.js'

describe('configFromEnv', () => {
  it('uses the defaults for an empty environment', () => {
    expect(configFromEnv({})).toEqual(defaultConfig)
  })

  it('reads TIME_ZONE as an IANA zone, Moscow by default, and refuses an unknown one', () => {
    expect(defaultConfig.timeZone).toBe('Europe/Moscow')
    expect(configFromEnv({ TIME_ZONE: 'Asia/Vladivostok' }).timeZone).toBe('Asia/Vladivostok')
    expect(configFromEnv({ TIME_ZONE: 'UTC' }).timeZone).toBe('UTC')
    expect(() => configFromEnv({ TIME_ZONE: 'Europe/Moskva' })).toThrow(ConfigError)
    expect(() => configFromEnv({ TIME_ZONE: 'MSK' })).toThrow(/TIME_ZONE must be an IANA time zone/)
    expect(() => configFromEnv({ TIME_ZONE: '' })).toThrow(ConfigError)
  })

  it('reads the operations settings', () => {
    const config = configFromEnv({
      WORKERS: '2',
      WORKER_GC: 'parallel',
      DOCUMENTS_IN_MEMORY_MB: '0',
      RATE_LIMIT_MAX: '50',
      RATE_LIMIT_WINDOW_MS: '1000',
      RATE_LIMIT_ALLOW_LIST: '127.0.0.1, ::1',
      ADMIN_RATE_LIMIT_MAX: '120',
      ADMIN_RATE_LIMIT_WINDOW_MS: '2000',
      CORS_ORIGINS: 'https://news.example,http://localhost:8080',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      TRUST_PROXY: '127.0.0.1,10.0.0.0/8,loopback'
    })
    expect(config.workers).toBe(2)
    expect(config.workerGc).toBe('parallel')
    expect(config.documentsInMemoryBytes).toBe(0)
    expect(configFromEnv({ DOCUMENTS_IN_MEMORY_MB: '64' }).documentsInMemoryBytes).toBe(64 * 1024 * 1024)
    expect(config.http).toMatchObject({
      rateLimitMax: 50,
      rateLimitWindowMs: 1000,
      rateLimitAllowList: ['127.0.0.1', '::1'],
      adminRateLimitMax: 120,
      adminRateLimitWindowMs: 2000,
      corsOrigins: ['https://news.example', 'http://localhost:8080'],
      maxEventLoopDelayMs: 0,
      trustProxy: ['127.0.0.1', '10.0.0.0/8', 'loopback']
    })
  })

  it('turns per-client limits off by default, and 0 turns either limit off when set', () => {
    expect(defaultConfig.http).toMatchObject({ rateLimitMax: 0, adminRateLimitMax: 6000, adminRateLimitWindowMs: 60_000 })
    expect(configFromEnv({ RATE_LIMIT_MAX: '0', ADMIN_RATE_LIMIT_MAX: '0' }).http).toMatchObject({ rateLimitMax: 0, adminRateLimitMax: 0 })
    expect(configFromEnv({ RATE_LIMIT_MAX: '1000' }).http.rateLimitMax).toBe(1000)
  })

  it.each([
    [{ WORKERS: '0' }, 'WORKERS must be an integer from 1 to 64, got «0»'],
    [{ WORKERS: 'two' }, 'WORKERS must be an integer'],
    [{ WORKER_GC: 'serial' }, 'WORKER_GC must be one of auto, parallel, single, got «serial»'],
    [{ DOCUMENTS_IN_MEMORY_MB: '5000' }, 'DOCUMENTS_IN_MEMORY_MB must be an integer from 0 to 4095, got «5000»'],
    [{ RATE_LIMIT_MAX: '-5' }, 'RATE_LIMIT_MAX must be an integer'],
    [{ ADMIN_RATE_LIMIT_MAX: 'lots' }, 'ADMIN_RATE_LIMIT_MAX must be an integer from 0 to 1000000000, got «lots»'],
    [{ ADMIN_RATE_LIMIT_WINDOW_MS: '0' }, 'ADMIN_RATE_LIMIT_WINDOW_MS must be an integer from 1 to 86400000, got «0»'],
    [{ MAX_URL_LENGTH: '10' }, 'MAX_URL_LENGTH must be an integer from 64'],
    [{ CORS_ORIGINS: 'news.example/path' }, 'CORS_ORIGINS must list origins'],
    [{ RATE_LIMIT_ALLOW_LIST: 'localhost' }, 'RATE_LIMIT_ALLOW_LIST must list IP addresses, got «localhost»'],
    [{ TRUST_PROXY: '10.0.0.0/abc' }, 'TRUST_PROXY must list IP addresses or CIDR ranges'],
    [{ PORT: '70000' }, 'PORT must be a port number']
  ])('rejects %o with a clear message', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(ConfigError)
    expect(() => configFromEnv(env)).toThrow(message)
  })

  it('stops the CLI at start-up with the message and exit code 2', async () => {
    const result = await runCli(['serve', '--index', 'nowhere'], { RATE_LIMIT_MAX: 'lots' })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('RATE_LIMIT_MAX must be an integer from 0 to 1000000000, got «lots»')
  })

  it('reads SYNONYMS_FILE once at start, and stops (exit 2) on a missing or malformed file', async () => {
    const dir = await tempDir()
    const file = join(dir, 'synonyms.txt')
    await writeFile(file, '# news\nЦБ, Центробанк\nРФ => Россия\n')
    expect(configFromEnv({ SYNONYMS_FILE: file }).synonyms).toEqual({
      file,
      rules: [{ from: ['ЦБ', 'Центробанк'], to: ['ЦБ', 'Центробанк'], line: 2 }, { from: ['РФ'], to: ['Россия'], line: 3 }]
    })
    expect(() => configFromEnv({ SYNONYMS_FILE: '' })).toThrow('SYNONYMS_FILE is set but empty')
    expect(() => configFromEnv({ SYNONYMS_FILE: join(dir, 'none.txt') })).toThrow(ConfigError)
    await writeFile(file, 'ЦБ, Центробанк\nРФ =>\n')
    expect(() => configFromEnv({ SYNONYMS_FILE: file })).toThrow(`${file}:2: an empty entry`)
    const result = await runCli(['serve', '--index', 'nowhere'], { SYNONYMS_FILE: file })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`${file}:2: an empty entry`)
  })

  it('ships an example synonyms file that parses', () => {
    expect(configFromEnv({ SYNONYMS_FILE: 'docs/synonyms.example.txt' }).synonyms?.rules.length).toBeGreaterThanOrEqual(12)
  })
})
