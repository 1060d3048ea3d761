import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import { IndexStore } from '../../src/live/index-store.js'
import { RebuildCoordinator } from '../../src/live/rebuild-coordinator.js'
import { bearerTokenMatches } from '../../src/server/admin-auth.js'
import { buildApp } from '../../src/server/app.js'
import { TurnQueue } from '../../src/server/turn-queue.js'
import { readSynonymsFile, SynonymsSource } from '../../src/search/synonyms.js'
import { corpusCopy } from '../helpers/corpus-copy.js'
import { tempDir } from '../helpers/temp-dir.js'

const TOKEN = 'test-admin-token-0123456789abcdef'
const auth = { authorization: `Bearer ${TOKEN}` }
const analyzer = createDefaultAnalyzer()
const silent = { info: () => {}, warn: () => {}, error: () => {} }

async function adminApp (withToken = true, synonyms?: SynonymsSource, turns?: TurnQueue, { servedWithCorpus = true } = {}) {
  const corpus = await corpusCopy()
  const indexDir = await tempDir()
  await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
  const store = new IndexStore(undefined, { retireAfterMs: 10 })
  const coordinator = new RebuildCoordinator({
    indexDir,
    // Without: a server started with --index alone.
    corpusPaths: servedWithCorpus ? [corpus.dir] : [],
    analyzer,
    store,
    logger: silent,
    watchIntervalMs: 0,
    runBuild: async job => ({ buildId: (await buildIndex({ ...job, analyzer })).buildId })
  })
  await coordinator.start()
  const app = await buildApp({ store, ...(synonyms === undefined ? {} : { synonyms }), ...(withToken ? { admin: { token: TOKEN, coordinator } } : {}), ...(turns === undefined ? {} : { operations: { turns } }) })
  onTestFinished(async () => {
    await app.close()
    await coordinator.close()
    await store.close()
  })
  return { app, coordinator, corpus, indexDir }
}

/** Turns whose searches wait at their first pause until released: a search held under way. */
class HeldTurns extends TurnQueue {
  pauses = 0
  private held: Promise<void>
  release: () => void = () => {}

  constructor () {
    super({ maxWaitMs: 0 })
    this.held = new Promise(resolve => { this.release = resolve })
  }

  override readonly pause = async (): Promise<void> => {
    this.pauses += 1
    await this.held
  }
}

describe('admin routes', () => {
  it('do not exist when no admin token is configured', async () => {
    const { app } = await adminApp(false)
    for (const [method, url] of [['POST', '/admin/reindex'], ['POST', '/admin/reload'], ['GET', '/admin/status'], ['DELETE', '/documents/n-1']] as const) {
      expect((await app.inject({ method, url, headers: auth })).statusCode).toBe(404)
    }
    expect((await app.inject({ method: 'PUT', url: '/documents/x', headers: auth, payload: { title: 'x' } })).statusCode).toBe(404)
  })

  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-0123456789abcdef' }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, 10)}` }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }]
  ])('answer 401 with %s', async (_name, headers) => {
    const { app } = await adminApp()
    for (const [method, url] of [['POST', '/admin/reindex'], ['GET', '/admin/status'], ['DELETE', '/documents/n-1']] as const) {
      const response = await app.inject({ method, url, headers })
      expect(response.statusCode).toBe(401)
      expect(response.json()).toMatchObject({ code: 'POISK_UNAUTHORIZED' })
    }
    // Nothing was changed by the refused DELETE.
    expect((await app.inject({ url: '/documents/n-1' })).statusCode).toBe(200)
  })

  it('compares tokens exactly', () => {
    expect(bearerTokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true)
    expect(bearerTokenMatches(`bearer   ${TOKEN}`, TOKEN)).toBe(true)
    expect(bearerTokenMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false)
    expect(bearerTokenMatches('Bearer ', TOKEN)).toBe(false)
    expect(bearerTokenMatches(undefined, TOKEN)).toBe(false)
  })

  it('reindex answers 202 with the build id, status reports it, health shows it once live', async () => {
    const { app, coordinator, corpus } = await adminApp()
    const before = (await app.inject({ url: '/health' })).json().buildId
    await corpus.addArticle('new-1', 'Моржи выбрались на лёд')
    const first = await app.inject({ method: 'POST', url: '/admin/reindex', headers: auth })
    const second = await app.inject({ method: 'POST', url: '/admin/reindex', headers: auth })
    expect(first.statusCode).toBe(202)
    expect(first.json()).toMatchObject({ joined: false, statusUrl: '/admin/status' })
    expect(second.json()).toEqual({ ...first.json(), joined: true })
    const status = (await app.inject({ url: '/admin/status', headers: auth })).json()
    expect(status).toMatchObject({ state: 'building', build: { buildId: first.json().buildId }, current: { buildId: before } })
    await coordinator.idle()
    const after = (await app.inject({ url: '/admin/status', headers: auth })).json()
    expect(after).toMatchObject({ state: 'idle', build: null, lastSuccess: { buildId: first.json().buildId, documents: 5 }, lastError: null })
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ buildId: first.json().buildId, documents: 5 })
    expect((await app.inject({ url: `/search?q=${encodeURIComponent('моржи')}` })).json().total).toBe(1)
  })

  it('PUT adds and replaces documents, DELETE removes them, at once', async () => {
    const { app } = await adminApp()
    const put = async (id: string, payload: object) => await app.inject({ method: 'PUT', url: `/documents/${encodeURIComponent(id)}`, headers: auth, payload })
    const created = await put('live 1', { title: 'Тюлени отдыхают на пирсе', body: 'Тюленей стало больше.', tags: ['природа'], date: '2026-11-29' })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({ id: 'live 1', created: true, seq: 1 })
    expect((await app.inject({ url: `/search?q=${encodeURIComponent('тюлени')}` })).json().hits[0]).toMatchObject({ id: 'live 1', date: '2026-11-29' })
    expect((await app.inject({ url: '/documents/live%201' })).json()).toMatchObject({ title: 'Тюлени отдыхают на пирсе', tags: ['природа'] })

    const replaced = await put('n-1', { title: 'Дуров вернулся', body: 'Новый текст.' })
    expect(replaced.statusCode).toBe(200)
    expect(replaced.json()).toMatchObject({ id: 'n-1', created: false, seq: 2 })
    expect((await app.inject({ url: `/search?q=${encodeURIComponent('Францию')}` })).json().hits.map((hit: { id: string }) => hit.id)).not.toContain('n-1')
    expect((await app.inject({ url: '/documents/n-1' })).json().body).toBe('Новый текст.')

    const deleted = await app.inject({ method: 'DELETE', url: '/documents/n-1', headers: auth })
    expect(deleted.json()).toMatchObject({ id: 'n-1', deleted: true, seq: 3 })
    expect((await app.inject({ url: '/documents/n-1' })).statusCode).toBe(404)
    expect((await app.inject({ method: 'DELETE', url: '/documents/n-1', headers: auth })).statusCode).toBe(404)
    expect((await app.inject({ url: '/admin/status', headers: auth })).json().changes).toEqual({ logged: 3, lastSeq: 3 })
  })

  it('applies a DELETE sent while a search is under way once the search has its answer, not in the middle of it', async () => {
    const turns = new HeldTurns()
    const { app } = await adminApp(true, undefined, turns)
    const searching = app.inject({ url: `/search?q=${encodeURIComponent('Францию')}` })
    while (turns.pauses === 0) await new Promise(resolve => setImmediate(resolve))
    let deletedAt = 0
    const deleting = app.inject({ method: 'DELETE', url: '/documents/n-1', headers: auth }).then(response => { deletedAt = performance.now(); return response })
    // Long enough for the change to be logged (an fsync) and applied, were it not waiting.
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(deletedAt).toBe(0)
    turns.release()
    const [found, deleted] = await Promise.all([searching, deleting])
    expect(found.statusCode).toBe(200)
    expect(found.json().hits.map((hit: { id: string }) => hit.id)).toContain('n-1')
    expect(deleted.json()).toMatchObject({ id: 'n-1', deleted: true })
    expect((await app.inject({ url: `/search?q=${encodeURIComponent('Францию')}` })).json().hits.map((hit: { id: string }) => hit.id)).not.toContain('n-1')
  })

  it.each([
    ['no title', { body: 'x' }],
    ['a blank title', { title: '   ' }],
    ['a wrong type', { title: 'x', tags: [{ a: 1 }] }],
    ['an unreadable date', { title: 'x', date: 'вчера' }]
  ])('PUT answers 400 for %s', async (_name, payload) => {
    const { app } = await adminApp()
    const response = await app.inject({ method: 'PUT', url: '/documents/x', headers: auth, payload })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toHaveProperty('message')
  })

  it('PUT answers 400 for a body that is not JSON', async () => {
    const { app } = await adminApp()
    const response = await app.inject({ method: 'PUT', url: '/documents/x', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"title":' })
    expect(response.statusCode).toBe(400)
  })
})

describe('PATCH /documents/:id', () => {
  const patch = (id: string, payload: object, headers: Record<string, string> = auth) => ({ method: 'PATCH' as const, url: `/documents/${id}`, headers, payload })

  it('merges the given fields into the stored document, live at once and kept in the log', async () => {
    const { app, coordinator } = await adminApp()
    const before = (await app.inject({ url: '/documents/n-1' })).json()
    const response = await app.inject(patch('n-1', { title: 'Дуров вернулся в Дубай', tags: ['дуров'] }))
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ id: 'n-1', created: false, seq: 1 })
    const after = (await app.inject({ url: '/documents/n-1' })).json()
    expect(after).toEqual({ ...before, title: 'Дуров вернулся в Дубай', tags: ['дуров'] })
    expect((await app.inject({ url: `/search?q=${encodeURIComponent('Дубай')}` })).json().hits.map((hit: { id: string }) => hit.id)).toEqual(['n-1'])
    expect(coordinator.status().changes).toEqual({ logged: 1, lastSeq: 1 })
  })

  it('answers 404 for an unknown document, 400 for an empty or invalid patch, 401 without the token', async () => {
    const { app } = await adminApp()
    expect((await app.inject(patch('no-such', { title: 'x' }))).json()).toMatchObject({ statusCode: 404, code: 'POISK_NO_DOCUMENT' })
    expect((await app.inject(patch('n-1', {}))).statusCode).toBe(400)
    expect((await app.inject(patch('n-1', { title: '' }))).statusCode).toBe(400)
    expect((await app.inject(patch('n-1', { date: '2024-13-45' }))).json()).toMatchObject({ statusCode: 400, code: 'POISK_CORPUS_RECORD' })
    expect((await app.inject(patch('n-1', { colour: 'red' }))).statusCode).toBe(400)
    expect((await app.inject(patch('n-1', { title: 'x' }, {}))).statusCode).toBe(401)
    expect((await app.inject({ url: '/documents/n-1' })).json().title).toBe('Павел Дуров покинул Францию')
  })
})

describe('reindex while another process builds', () => {
  it('answers 409 and starts nothing', async () => {
    const { acquireBuildLock } = await import('../../src/index/build-lock.js')
    const { app, coordinator, indexDir } = await adminApp()
    const lock = await acquireBuildLock(indexDir) // held by this (live) process, as `poisk index` would
    try {
      const response = await app.inject({ method: 'POST', url: '/admin/reindex', headers: auth })
      expect(response.statusCode).toBe(409)
      expect(response.json()).toMatchObject({ code: 'POISK_BUILD_LOCKED' })
      expect(coordinator.status().state).toBe('idle')
    } finally {
      await lock.release()
    }
    expect((await app.inject({ method: 'POST', url: '/admin/reindex', headers: auth })).statusCode).toBe(202)
    await coordinator.idle()
  })

  it('answers 409 and starts nothing when the server has no corpus: a build of the change log alone would drop the served documents', async () => {
    const { app, coordinator } = await adminApp(true, undefined, undefined, { servedWithCorpus: false })
    const served = (await app.inject({ url: '/health' })).json()
    const put = await app.inject({ method: 'PUT', url: '/documents/live-1', headers: auth, payload: { title: 'Моржи выбрались на лёд' } })
    expect(put.statusCode).toBe(201)
    const response = await app.inject({ method: 'POST', url: '/admin/reindex', headers: auth })
    expect(response.statusCode).toBe(409)
    expect(response.json()).toMatchObject({ code: 'POISK_NO_CORPUS', message: expect.stringMatching(/--corpus/) })
    expect(coordinator.status().state).toBe('idle')
    await coordinator.idle()
    // Still the served build, with the change in it.
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ buildId: served.buildId, documents: served.documents + 1 })
  })

  it('reload re-reads SYNONYMS_FILE, and keeps the old rules when the file no longer reads', async () => {
    const file = join(await tempDir(), 'synonyms.txt')
    await writeFile(file, 'морж, тюлень\n')
    const { app } = await adminApp(true, new SynonymsSource(readSynonymsFile(file)))
    const corrections = async () => (await app.inject({ url: `/search?q=${encodeURIComponent('глава')}` })).json().corrections
    expect(await corrections()).toBeUndefined()

    await writeFile(file, '# the head of a ministry\nглава => министр\n')
    const reload = await app.inject({ method: 'POST', url: '/admin/reload', headers: auth })
    expect(reload.statusCode).toBe(200)
    expect(reload.json()).toMatchObject({ synonymRules: 1 })
    expect(await corrections()).toEqual([{ from: 'глава', to: 'министр', kind: 'synonym' }])

    await writeFile(file, 'глава =>\n')
    const refused = await app.inject({ method: 'POST', url: '/admin/reload', headers: auth })
    expect(refused.statusCode).toBe(422)
    expect(refused.json()).toMatchObject({ code: 'POISK_CONFIG', message: expect.stringContaining(`${file}:1: an empty entry`) })
    expect(await corrections()).toEqual([{ from: 'глава', to: 'министр', kind: 'synonym' }])
  })
})
