/**
 * What a PUT or DELETE promises over HTTP when the change log cannot be written: an answer
 * 2xx only once the change is on disk; a full disk answers 507 and applies nothing; /health
 * says so while searches go on; nothing acknowledged is lost across a restart.
 */
import { mkdir } from 'node:fs/promises'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { DiskFullError } from '../../src/errors.js'
import { buildIndex } from '../../src/index/build-index.js'
import { WriteState } from '../../src/live/write-state.js'
import { corpusCopy } from '../helpers/corpus-copy.js'
import { liveServerOn } from '../helpers/live-server.js'
import { tempDir } from '../helpers/temp-dir.js'

const TOKEN = 'test-admin-token-0123456789abcdef'
const auth = { authorization: `Bearer ${TOKEN}` }
const analyzer = createDefaultAnalyzer()

async function serverOn (indexDir: string, corpusDir: string, probeIntervalMs = 60_000) {
  return await liveServerOn({ indexDir, corpusDir, analyzer, token: TOKEN, probeIntervalMs })
}

const put = (id: string, title: string) => ({ method: 'PUT' as const, url: `/documents/${id}`, headers: auth, payload: { title, body: `${title}. Текст заметки.` } })

describe('live changes at the edges of the disk', () => {
  it('answers 507 POISK_DISK_FULL while the disk is full, applies nothing, keeps searching, and loses nothing acknowledged', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    const first = await serverOn(indexDir, corpus.dir)
    const { app, file } = first
    expect((await app.inject(put('acked-1', 'Дирижабль над Волгой'))).statusCode).toBe(201)
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok', writable: true })

    file.full = true
    const refused = await app.inject(put('refused', 'Субмарина под Невой'))
    expect(refused.statusCode).toBe(507)
    expect(refused.json()).toMatchObject({ code: 'POISK_DISK_FULL', message: expect.stringContaining(indexDir) })
    const deleteRefused = await app.inject({ method: 'DELETE', url: '/documents/acked-1', headers: auth })
    expect(deleteRefused.statusCode).toBe(507)
    const health = await app.inject({ url: '/health' })
    expect(health.statusCode).toBe(200)
    expect(health.json()).toMatchObject({ status: 'ok', writable: false, writeError: { code: 'POISK_DISK_FULL' } })
    // Searches go on, and nothing refused was applied.
    expect((await app.inject({ url: '/search?q=субмарина' })).json()).toMatchObject({ total: 0 })
    expect((await app.inject({ url: '/search?q=дирижабль' })).json()).toMatchObject({ total: 1 })

    file.full = false
    expect((await app.inject(put('acked-2', 'Субмарина под Невой'))).statusCode).toBe(201)
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ writable: true })
    await first.close()

    const restarted = await serverOn(indexDir, corpus.dir)
    for (const [id, found] of [['acked-1', 200], ['acked-2', 200], ['refused', 404]] as const) {
      expect((await restarted.app.inject({ url: `/documents/${id}` })).statusCode, id).toBe(found)
    }
  })

  it('acknowledges and applies a change only after its fsync', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    const { app, file } = await serverOn(indexDir, corpus.dir)
    let release: () => void = () => {}
    file.syncGate = new Promise(resolve => { release = resolve })
    let answered = false
    const pending = app.inject(put('synced', 'Стратостат над Камой')).then(response => { answered = true; return response })
    // Held at the gate: the append has reached its fsync (however long validation and the write took on a busy machine).
    await expect.poll(() => file.calls.at(-1), { timeout: 10_000 }).toBe('datasync')
    expect(answered).toBe(false)
    expect((await app.inject({ url: '/search?q=стратостат' })).json()).toMatchObject({ total: 0 })
    expect((await app.inject({ url: '/documents/synced' })).statusCode).toBe(404)
    release()
    expect((await pending).statusCode).toBe(201)
    expect((await app.inject({ url: '/search?q=стратостат' })).json()).toMatchObject({ total: 1 })
  })
})

describe('the write state', () => {
  it('clears once a probe can write again, without any client retrying', async () => {
    const parent = await tempDir()
    const indexDir = `${parent}/not-yet`
    const state = new WriteState(indexDir, { probeIntervalMs: 10, probeBytes: 1024 })
    onTestFinished(() => state.close())
    state.noteFailure(new DiskFullError(indexDir))
    expect(state.status()).toMatchObject({ writable: false, writeError: { code: 'POISK_DISK_FULL' } })
    await new Promise(resolve => setTimeout(resolve, 60))
    expect(state.status().writable).toBe(false) // the folder does not exist: every probe fails
    await mkdir(indexDir)
    await expect.poll(() => state.status().writable, { timeout: 2000 }).toBe(true)
  })

  it('ignores errors that are not write failures', () => {
    const state = new WriteState('/nonexistent')
    state.noteFailure(new Error('a bad request'))
    expect(state.status()).toEqual({ writable: true })
  })
})
