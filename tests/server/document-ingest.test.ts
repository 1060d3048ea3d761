/**
 * What PUT /documents/:id takes in with the default settings: every real rt article fits the
 * body limit, a body past it is refused naming BODY_LIMIT, dates are read as TIME_ZONE's, and a
 * bad URL is stored as absent with a warning in the answer, as a corpus build does.
 */
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createReadStream } from 'node:fs'
import { createGunzip } from 'node:zlib'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { defaultConfig } from '../../src/config.js'
import type { Article } from '../../src/corpus/article.js'
import { buildIndex } from '../../src/index/build-index.js'
import { IndexStore } from '../../src/live/index-store.js'
import { RebuildCoordinator } from '../../src/live/rebuild-coordinator.js'
import { buildApp, type AppOptions } from '../../src/server/app.js'
import { systemRequirement } from '../helpers/system-requirement.js'
import { tempDir } from '../helpers/temp-dir.js'

const TOKEN = 'test-admin-token-0123456789abcdef'
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
const analyzer = createDefaultAnalyzer()
const silent = { info: () => {}, warn: () => {}, error: () => {} }
const RT_CORPUS = '../shared/corpora/rt.jsonl.gz'

async function appOverSmallIndex (options: Partial<AppOptions> = {}) {
  const corpus = await tempDir()
  const indexDir = await tempDir()
  await writeFile(join(corpus, 'news.jsonl'), JSON.stringify({ id: 'seed', title: 'Первая новость', body: 'Текст первой новости.' }) + '\n')
  await buildIndex({ corpusPaths: [corpus], indexDir, analyzer })
  const store = new IndexStore()
  const coordinator = new RebuildCoordinator({
    indexDir,
    corpusPaths: [corpus],
    analyzer,
    store,
    logger: silent,
    watchIntervalMs: 0,
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    runBuild: async job => ({ buildId: (await buildIndex({ ...job, analyzer })).buildId })
  })
  await coordinator.start()
  const app = await buildApp({ store, writeState: coordinator.writeState, admin: { token: TOKEN, coordinator }, ...options })
  onTestFinished(async () => {
    await app.close()
    await coordinator.close()
    await store.close()
  })
  return app
}

async function * rtRecords (): AsyncGenerator<Record<string, unknown>> {
  const lines = createInterface({ input: createReadStream(RT_CORPUS).pipe(createGunzip()), crlfDelay: Infinity })
  for await (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as Record<string, unknown>
}

describe('PUT /documents/:id with the default settings', () => {
  it('takes every rt article (the largest is 70 KiB), with the default BODY_LIMIT of 1 MiB', async () => {
    if (!systemRequirement('the rt corpus', existsSync(RT_CORPUS), `${RT_CORPUS} is read when present (the shared corpora)`)) return
    expect(defaultConfig.http.bodyLimit).toBe(1024 * 1024)
    // The HTTP side of a PUT — body limit, schema, validation — with the change itself taken by a
    // stand-in coordinator: logging and applying 7,217 changes (an fsync each) is another test's subject.
    const changes: Array<{ id: string, article?: Article }> = []
    const coordinator = {
      changeDocument: async (operation: { id: string, article?: Article }) => {
        changes.push(operation)
        return { seq: changes.length, existed: false }
      }
    } as unknown as RebuildCoordinator
    // Only the admin rate limit (6,000 a minute) is lifted for this client: it is a separate knob, and 7,217 PUTs come faster.
    const app = await buildApp({ store: new IndexStore(), admin: { token: TOKEN, coordinator }, operations: { rateLimitAllowList: ['127.0.0.1'], maxEventLoopDelayMs: 0 } })
    onTestFinished(async () => await app.close())
    let largest = 0
    let warned = 0
    for await (const { id, ...fields } of rtRecords()) {
      const payload = JSON.stringify(fields)
      largest = Math.max(largest, Buffer.byteLength(payload))
      const response = await app.inject({ method: 'PUT', url: `/documents/${encodeURIComponent(String(id))}`, headers: auth, payload })
      expect(response.statusCode, `${String(id)}: ${response.body}`).toBe(201)
      if ((response.json() as { warnings?: unknown[] }).warnings !== undefined) warned += 1
    }
    expect(changes).toHaveLength(7217)
    expect(largest).toBeGreaterThan(16 * 1024) // the old default refused it
    expect(largest * 4).toBeLessThan(defaultConfig.http.bodyLimit)
    // rt's doubled URLs are stored as absent, each said so; no source is made from them.
    expect(warned).toBe(1265)
    expect(changes.filter(change => change.article?.url === undefined)).toHaveLength(1265)
    expect(new Set(changes.map(change => change.article?.source))).toEqual(new Set(['russian.rt.com', undefined]))
  }, 300_000)

  it('refuses a body past BODY_LIMIT with a 413 that names the setting and its value', async () => {
    const app = await appOverSmallIndex({ operations: { bodyLimit: 2048 } })
    const response = await app.inject({ method: 'PUT', url: '/documents/big', headers: auth, payload: JSON.stringify({ title: 'Большая', body: 'я'.repeat(2000) }) })
    expect(response.statusCode).toBe(413)
    expect(response.json()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'the request body is larger than BODY_LIMIT (2048 bytes); send a smaller document or raise BODY_LIMIT',
      code: 'POISK_BODY_TOO_LARGE'
    })
  })

  it('readies the loaded build\'s near-duplicate lookup in slices before the first change, and once', async () => {
    const app = await appOverSmallIndex()
    const snapshot = app.indexStore.current()
    if (snapshot === undefined) throw new Error('no live snapshot')
    const prepare = vi.spyOn(snapshot.duplicates, 'prepareChanges')
    const put = async (id: string): Promise<number> => (await app.inject({ method: 'PUT', url: `/documents/${id}`, headers: auth, payload: JSON.stringify({ title: 'Новость', body: 'Текст новости.' }) })).statusCode
    expect(await put('d1')).toBe(201)
    expect(prepare).toHaveBeenCalledTimes(1)
    expect(await put('d2')).toBe(201)
    await expect(prepare.mock.results[1]?.value).resolves.toBeUndefined() // the second call finds it ready
  })

  it('stores a bad URL as absent and says so; the document is indexed', async () => {
    const app = await appOverSmallIndex()
    const response = await app.inject({ method: 'PUT', url: '/documents/d1', headers: auth, payload: JSON.stringify({ title: 'Ссылка', body: 'Текст.', url: 'https://russian.rt.comhttps://russian.rt.com/a' }) })
    expect(response.statusCode).toBe(201)
    expect(response.json()).toMatchObject({ id: 'd1', created: true, warnings: [{ reason: 'invalid-url', message: expect.stringContaining('doubled URL') }] })
    const stored = (await app.inject({ url: '/documents/d1' })).json() as Record<string, unknown>
    expect(stored).toMatchObject({ id: 'd1', title: 'Ссылка' })
    expect(stored.url).toBeUndefined()
    expect(stored.source).toBeUndefined()
    const clean = await app.inject({ method: 'PUT', url: '/documents/d2', headers: auth, payload: JSON.stringify({ title: 'Ссылка', body: 'Текст.', url: 'https://russian.rt.com/a' }) })
    expect(clean.json()).not.toHaveProperty('warnings')
  })

  it('reads dates in TIME_ZONE and refuses an impossible one with a 400', async () => {
    const app = await appOverSmallIndex()
    const put = async (id: string, date: string) => await app.inject({ method: 'PUT', url: `/documents/${id}`, headers: auth, payload: JSON.stringify({ title: 'Дата', body: 'Текст.', date }) })
    expect((await put('moscow', '2019-08-10 17:12:51')).statusCode).toBe(201)
    expect((await app.inject({ url: '/documents/moscow' })).json()).toMatchObject({ date: '2019-08-10T14:12:51.000Z' })
    const impossible = await put('feb30', '30.02.2024')
    expect(impossible.statusCode).toBe(400)
    expect(impossible.json()).toMatchObject({ code: 'POISK_CORPUS_RECORD', message: expect.stringContaining('no such date «30.02.2024»') })
    expect((await app.inject({ url: '/documents/feb30' })).statusCode).toBe(404)

    const utc = await appOverSmallIndex({ timeZone: 'UTC' })
    await utc.inject({ method: 'PUT', url: '/documents/utc', headers: auth, payload: JSON.stringify({ title: 'Дата', body: 'Текст.', date: '2019-08-10 17:12:51' }) })
    expect((await utc.inject({ url: '/documents/utc' })).json()).toMatchObject({ date: '2019-08-10T17:12:51.000Z' })
    expect((await utc.inject({ url: '/search?q=дата' })).json()).toMatchObject({ timeZone: 'UTC' })
  })
})

describe('GET /search days', () => {
  it('answers 400 for a day that does not exist, and names its zone', async () => {
    const app = await appOverSmallIndex()
    const response = await app.inject({ url: '/search?q=новость&from=2024-02-30' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ code: 'POISK_BAD_DATE' })
    expect((await app.inject({ url: '/search?q=новость&from=2024-02-29' })).json()).toMatchObject({ timeZone: 'Europe/Moscow' })
  })
})
