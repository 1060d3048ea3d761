import { request } from 'node:http'
import { Writable } from 'node:stream'
import SwaggerParser from '@apidevtools/swagger-parser'
import type { LightMyRequestResponse } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { defaultConfig } from '../../../src/config.js'
import { IndexStore } from '../../../src/live/index-store.js'
import type { RebuildCoordinator } from '../../../src/live/rebuild-coordinator.js'
import { buildApp, type AppOptions } from '../../../src/server/app.js'
import { createMetrics } from '../../../src/server/metrics.js'
import type { OperationsOptions } from '../../../src/server/plugins/operations.js'
import { TurnQueue } from '../../../src/server/turn-queue.js'
import { buildFixtureIndex } from '../../helpers/build-fixture.js'

const DUROV = encodeURIComponent('Дурову')
const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'
const ADMIN_AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` }

/** Just enough of a coordinator for the admin routes to answer: the limits are under test, not rebuilds. */
function idleCoordinator (): RebuildCoordinator {
  let seq = 0
  return {
    status: () => ({ state: 'idle', build: null, current: null, lastSuccess: null, lastError: null, changes: { logged: seq, lastSeq: seq } }),
    changeDocument: async () => ({ seq: ++seq, existed: false })
  } as unknown as RebuildCoordinator
}

async function appWith (operations: Partial<OperationsOptions> = {}, extra: Partial<AppOptions> = {}) {
  const { snapshot } = await buildFixtureIndex()
  const metrics = operations.metrics ?? createMetrics()
  const app = await buildApp({ store: new IndexStore(snapshot), operations: { ...operations, metrics }, ...extra })
  onTestFinished(async () => await app.close())
  return { app, metrics }
}

describe('OpenAPI', () => {
  it('describes every route in a valid OpenAPI document, and serves the UI at /docs', async () => {
    const { app } = await appWith()
    const response = await app.inject({ url: '/docs/json' })
    expect(response.statusCode).toBe(200)
    const document = response.json()
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined()
    expect(Object.keys(document.paths).sort()).toEqual(['/', '/assets/{name}', '/documents/{id}', '/documents/{id}/related', '/health', '/metrics', '/search', '/suggest'])
    expect(document.paths['/search'].get.responses).toHaveProperty('400')
    const parameters = Object.fromEntries(document.paths['/search'].get.parameters.map((p: { name: string, required: boolean }) => [p.name, p.required]))
    expect(parameters).toMatchObject({ q: true, limit: false, offset: false, from: false, tag: false }) // defaults make limit and offset optional
    const ui = await app.inject({ url: '/docs' })
    expect(ui.statusCode).toBe(200)
    expect(ui.headers['content-type']).toContain('text/html')
  })

  it('fails validation when a document is broken (the check can fail)', async () => {
    const { app } = await appWith()
    const document = (await app.inject({ url: '/docs/json' })).json()
    document.paths['/search'].get.responses['200'] = { content: {} } // a response without its description
    await expect(SwaggerParser.validate(document)).rejects.toThrow()
  })
})

describe('GET /metrics', () => {
  it('counts requests and times them by route pattern, and reports the index and builds', async () => {
    const { app, metrics } = await appWith()
    await app.inject({ url: `/search?q=${DUROV}` })
    await app.inject({ url: `/search?q=${DUROV}` })
    await app.inject({ url: '/search' })
    await app.inject({ url: '/documents/n-1' })
    await app.inject({ url: '/documents/n-2' })
    metrics.recordBuild(1500, true)
    metrics.recordBuild(200, false)
    const response = await app.inject({ url: '/metrics' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('text/plain')
    const text = response.body
    expect(text).toContain('poisk_http_requests_total{method="GET",route="/search",status_code="200"} 2')
    expect(text).toContain('poisk_http_requests_total{method="GET",route="/search",status_code="400"} 1')
    expect(text).toContain('poisk_http_requests_total{method="GET",route="/documents/:id",status_code="200"} 2')
    expect(text).toMatch(/poisk_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/search"\} 3/)
    expect(text).toMatch(/poisk_http_request_duration_seconds_count\{method="GET",route="\/search"\} 3/)
    expect(text).toContain('poisk_index_documents 9')
    expect(text).toContain('poisk_index_loaded 1')
    expect(text).toContain('poisk_index_build_duration_seconds_count{result="ok"} 1')
    expect(text).toContain('poisk_index_build_failures_total 1')
    expect(text).toMatch(/nodejs_eventloop_lag_seconds \d/)
    expect(text).toMatch(/nodejs_eventloop_lag_p99_seconds \d/)
  })

  it('reports no documents before an index is loaded', async () => {
    const metrics = createMetrics()
    const app = await buildApp({ store: new IndexStore(), operations: { metrics } })
    onTestFinished(async () => await app.close())
    const text = (await app.inject({ url: '/metrics' })).body
    expect(text).toContain('poisk_index_documents 0')
    expect(text).toContain('poisk_index_loaded 0')
  })
})

describe('protection', () => {
  it('rate-limits a client with 429 and a JSON message', async () => {
    const { app } = await appWith({ rateLimitMax: 3, rateLimitWindowMs: 60_000 })
    const codes = []
    for (let i = 0; i < 5; i++) codes.push((await app.inject({ url: `/search?q=${DUROV}` })).statusCode)
    expect(codes).toEqual([200, 200, 200, 429, 429])
    const limited = await app.inject({ url: '/documents/n-1' })
    expect(limited.statusCode).toBe(429)
    expect(limited.headers['retry-after']).toBeDefined()
    expect(limited.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'POISK_RATE_LIMITED' })
    // Another client has its own budget.
    expect((await app.inject({ url: '/documents/n-1', remoteAddress: '10.0.0.7' })).statusCode).toBe(200)
  })

  it('never limits allow-listed addresses', async () => {
    const { app } = await appWith({ rateLimitMax: 2, adminRateLimitMax: 1, rateLimitAllowList: ['127.0.0.1'] }, { admin: { token: ADMIN_TOKEN, coordinator: idleCoordinator() } })
    for (let i = 0; i < 6; i++) expect((await app.inject({ url: '/documents/n-1' })).statusCode).toBe(200)
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/admin/status', headers: ADMIN_AUTH })).statusCode).toBe(200)
    const other = []
    for (let i = 0; i < 3; i++) other.push((await app.inject({ url: '/documents/n-1', remoteAddress: '10.0.0.8' })).statusCode)
    expect(other).toEqual([200, 200, 429])
  })

  it('never limits /health and /metrics, so a balancer probing from a busy address sees the server up', async () => {
    const { app } = await appWith({ rateLimitMax: 2 })
    for (let i = 0; i < 3; i++) await app.inject({ url: `/search?q=${DUROV}` })
    expect((await app.inject({ url: `/search?q=${DUROV}` })).statusCode).toBe(429)
    for (let i = 0; i < 5; i++) {
      const health = await app.inject({ url: '/health' })
      expect(health.statusCode).toBe(200)
      expect(health.headers['x-ratelimit-limit']).toBeUndefined()
      expect((await app.inject({ method: 'HEAD', url: '/health' })).statusCode).toBe(200)
      expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200)
    }
    // Still limited afterwards: the probes neither counted nor reset the bucket.
    expect((await app.inject({ url: `/search?q=${DUROV}` })).statusCode).toBe(429)
  })

  it('counts the admin routes in a bucket of their own, both ways', async () => {
    const { app } = await appWith({ rateLimitMax: 3, adminRateLimitMax: 2 }, { admin: { token: ADMIN_TOKEN, coordinator: idleCoordinator() } })
    const status = async (headers = ADMIN_AUTH, remoteAddress = '127.0.0.1') => (await app.inject({ url: '/admin/status', headers, remoteAddress })).statusCode
    const searchCodes = []
    for (let i = 0; i < 4; i++) searchCodes.push((await app.inject({ url: `/search?q=${DUROV}` })).statusCode)
    expect(searchCodes).toEqual([200, 200, 200, 429])
    expect([await status(), await status(), await status()]).toEqual([200, 200, 429])
    // Wrong tokens count too: the limit runs before the token check, so guesses are limited.
    const guess = { authorization: 'Bearer wrong-token-0123456789abcdef' }
    expect([await status(guess, '10.0.0.9'), await status(guess, '10.0.0.9'), await status(ADMIN_AUTH, '10.0.0.9')]).toEqual([401, 401, 429])

    const { app: other } = await appWith({ rateLimitMax: 3, adminRateLimitMax: 2 }, { admin: { token: ADMIN_TOKEN, coordinator: idleCoordinator() } })
    const put = async () => (await other.inject({ method: 'PUT', url: '/documents/x', headers: ADMIN_AUTH, payload: { title: 'Заголовок' } })).statusCode
    expect([await put(), await put(), await put()]).toEqual([201, 201, 429])
    const reads = []
    for (let i = 0; i < 3; i++) reads.push((await other.inject({ url: '/documents/n-1' })).statusCode)
    expect(reads).toEqual([200, 200, 200])
  })

  it('puts exactly the routes of routes/admin.ts in the admin bucket', async () => {
    const { app } = await appWith({ rateLimitMax: 50, adminRateLimitMax: 7 }, { admin: { token: ADMIN_TOKEN, coordinator: idleCoordinator() } })
    // Unauthenticated: every admin route answers 401 without reaching the coordinator, after the limit has counted it.
    const limitOf = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string) => (await app.inject({ method, url })).headers['x-ratelimit-limit']
    for (const [method, url] of [['POST', '/admin/reindex'], ['POST', '/admin/reload'], ['GET', '/admin/status'], ['PUT', '/documents/x'], ['DELETE', '/documents/n-1']] as const) {
      expect(await limitOf(method, url), `${method} ${url}`).toBe('7')
    }
    for (const url of [`/search?q=${DUROV}`, '/documents/n-1', '/suggest?q=du', '/', '/docs/json']) expect(await limitOf('GET', url), url).toBe('50')
  })

  it('by default lets one address send 3,000 requests a minute (an app server sending every search), and a CMS 50 changes a second', async () => {
    expect(defaultConfig.http.rateLimitMax).toBe(0) // off
    const { app } = await appWith({}, { admin: { token: ADMIN_TOKEN, coordinator: idleCoordinator() } })
    for (let i = 0; i < 3001; i++) {
      const response = await app.inject({ url: '/documents/n-1' })
      if (response.statusCode !== 200 || response.headers['x-ratelimit-limit'] !== undefined) {
        throw new Error(`request ${i}: ${response.statusCode}, limit ${String(response.headers['x-ratelimit-limit'])}`)
      }
    }
    const admin = await app.inject({ url: '/admin/status', headers: ADMIN_AUTH })
    expect(admin.statusCode).toBe(200)
    const perSecond = Number(admin.headers['x-ratelimit-limit']) / (defaultConfig.http.adminRateLimitWindowMs / 1000)
    expect(perSecond).toBeGreaterThanOrEqual(50)
  })

  it('sheds load with 503 while the event loop lags, and recovers', async () => {
    const { app } = await appWith({ maxEventLoopDelayMs: 50, pressureSampleIntervalMs: 50 })
    await app.ready()
    const status = async () => (await app.inject({ url: `/search?q=${DUROV}` })).statusCode
    await expect.poll(status, { timeout: 5000, interval: 100 }).toBe(200)
    // A stalled event loop, as a CPU-bound burst would cause. Whether the pressure sample
    // due during a stall sees it depends on the order libuv runs two expired timers (the
    // delay histogram's and the sampler's), so stall again until a sample has seen one.
    // Both requests start in the same tick, so both meet the state that sample left.
    const underStall = async (): Promise<[LightMyRequestResponse, LightMyRequestResponse]> =>
      await Promise.all([app.inject({ url: `/search?q=${DUROV}` }), app.inject({ url: '/health' })])
    let [shed, health] = await underStall()
    for (let stalls = 0; stalls < 10 && shed.statusCode !== 503; stalls++) {
      busyWait(300)
      await sleep(5)
      ;[shed, health] = await underStall()
    }
    expect(shed.statusCode).toBe(503)
    expect(shed.headers['retry-after']).toBe('5')
    expect(shed.json()).toMatchObject({ statusCode: 503, code: 'POISK_OVERLOADED' })
    expect(health.statusCode).toBe(503)
    expect(health.json()).toMatchObject({ code: 'POISK_OVERLOADED' })
    await expect.poll(status, { timeout: 5000, interval: 100 }).toBe(200)
  })

  it('sets security headers', async () => {
    const { app } = await appWith()
    const response = await app.inject({ url: `/search?q=${DUROV}` })
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN')
    expect(response.headers['content-security-policy']).toContain("default-src 'self'")
  })

  it('compresses large responses for clients that accept it', async () => {
    const { app } = await appWith()
    const gzip = await app.inject({ url: '/metrics', headers: { 'accept-encoding': 'gzip' } })
    expect(gzip.headers['content-encoding']).toBe('gzip')
    const plain = await app.inject({ url: '/metrics', headers: { 'accept-encoding': 'identity' } })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toContain('poisk_index_documents')
  })

  it('answers CORS only for configured origins', async () => {
    const { app } = await appWith({ corsOrigins: ['https://news.example'] })
    const allowed = await app.inject({ url: '/health', headers: { origin: 'https://news.example' } })
    expect(allowed.headers['access-control-allow-origin']).toBe('https://news.example')
    const other = await app.inject({ url: '/health', headers: { origin: 'https://evil.example' } })
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
    const { app: closed } = await appWith()
    const none = await closed.inject({ url: '/health', headers: { origin: 'https://news.example' } })
    expect(none.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('answers /health at once while clients search on fresh connections: searches take turns', async () => {
    const { app } = await appWith()
    // A route that holds the event loop as a search at 800,000 documents does, and takes turns as /search does.
    let finished = 0
    app.get('/held', { config: { takesTurn: true } }, async () => {
      busyWait(15)
      finished += 1
      return 'done'
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
    let running = true
    const client = async (): Promise<void> => {
      while (running) await fetchOnFreshConnection(`${url}/held`)
    }
    const clients = Array.from({ length: 8 }, client)
    await sleep(200)
    // Counted, not timed: how many searches ended while a probe waited. Without turns (or
    // without giving way to arriving connections) the probe waits in the accept queue
    // behind every client's search, 7 or 8 of them.
    const overtaken: number[] = []
    for (let probe = 0; probe < 8; probe += 1) {
      const before = finished
      expect(await fetchOnFreshConnection(`${url}/health`)).toBe(200)
      overtaken.push(finished - before)
      await sleep(20)
    }
    running = false
    await Promise.all(clients)
    overtaken.sort((a, b) => a - b)
    expect(overtaken[overtaken.length >> 1]).toBeLessThanOrEqual(2)
  })

  it('sheds a search with 503 while the first in line has waited longer than MAX_EVENT_LOOP_DELAY_MS, /health still answering', async () => {
    let now = 0
    const turns = new TurnQueue({ maxWaitMs: 1000, now: () => now })
    const { app } = await appWith({ turns })
    const waiting = turns.take()
    now = 1001
    const shed = await app.inject({ url: `/search?q=${DUROV}` })
    expect(shed.statusCode).toBe(503)
    expect(shed.headers['retry-after']).toBe('5')
    expect(shed.json()).toMatchObject({ statusCode: 503, code: 'POISK_OVERLOADED' })
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200)
    await waiting
    expect((await app.inject({ url: `/search?q=${DUROV}` })).statusCode).toBe(200)
  })

  it('logs shedding once a second at most, with how many requests were shed since the last line', async () => {
    let now = 0
    const clock = (): number => now
    const turns = new TurnQueue({ maxWaitMs: 1000, now: clock })
    const lines: string[] = []
    const stream = new Writable({ write (chunk, _encoding, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done() } })
    const { app } = await appWith({ turns, now: clock }, { logger: { level: 'info', stream } })
    const waiting = turns.take()
    const shedding = (): Array<{ shedSinceLastWarning: number }> => lines.map(line => JSON.parse(line)).filter(record => record.msg === 'shedding load')
    const shedSome = async (count: number): Promise<void> => {
      for (let at = 0; at < count; at += 1) expect((await app.inject({ url: `/search?q=${DUROV}` })).statusCode).toBe(503)
    }
    now = 1001
    await shedSome(5)
    expect(shedding().map(record => record.shedSinceLastWarning)).toEqual([1])
    now = 1500
    await shedSome(3)
    expect(shedding()).toHaveLength(1)
    now = 2001
    await shedSome(1)
    expect(shedding().map(record => record.shedSinceLastWarning)).toEqual([1, 8])
    expect(lines.filter(line => JSON.parse(line).statusCode === 503)).toHaveLength(9) // each still has its access line
    await waiting
  })

  it('refuses over-long URLs with 414 and queries of too many words with 400', async () => {
    const { app } = await appWith({ maxUrlLength: 200 })
    const long = await app.inject({ url: `/search?q=${'a'.repeat(300)}` })
    expect(long.statusCode).toBe(414)
    expect(long.json()).toMatchObject({ code: 'POISK_URL_TOO_LONG' })
    const { app: wide } = await appWith()
    const words = (n: number) => encodeURIComponent(Array.from({ length: n }, (_, i) => `слово${i}`).join(' '))
    expect((await wide.inject({ url: `/search?q=${words(32)}` })).statusCode).toBe(200)
    const tooMany = await wide.inject({ url: `/search?q=${words(33)}` })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json()).toMatchObject({ statusCode: 400, code: 'POISK_QUERY_TOO_LONG' })
  })
})

describe('request ids and logs', () => {
  it('gives every request an id, returns it, keeps a plain caller id, and logs one JSON line per request with it', async () => {
    const lines: string[] = []
    const stream = new Writable({ write (chunk, _encoding, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done() } })
    const { app } = await appWith({}, { logger: { level: 'info', stream } })
    const first = await app.inject({ url: '/health' })
    const id = first.headers['x-request-id']
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    const given = await app.inject({ url: '/health', headers: { 'x-request-id': 'lb-42.abc' } })
    expect(given.headers['x-request-id']).toBe('lb-42.abc')
    const forged = await app.inject({ url: '/health', headers: { 'x-request-id': 'x\n{"level":60}' } })
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const records = lines.map(line => JSON.parse(line) as { reqId?: string, msg?: string })
    // One line per request, when its response is sent (fastify's own two are replaced).
    expect(records.filter(record => record.reqId === id)).toEqual([expect.objectContaining({ msg: 'request', method: 'GET', url: '/health', statusCode: 200, ms: expect.any(Number) })])
    expect(records.some(record => record.reqId === 'lb-42.abc')).toBe(true)
  })
})

function busyWait (ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) { /* hold the event loop */ }
}

/** A GET on a connection of its own, as a balancer's probe or a client without keep-alive sends it: its status. */
async function fetchOnFreshConnection (url: string): Promise<number> {
  return await new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, response => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}
