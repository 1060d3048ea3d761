/**
 * POST /documents/_bulk over HTTP (fastify.inject): items in the order of the records, a bad
 * record failing alone, both body forms, one fsync per batch, a full disk refusing the rest,
 * and every 2xx item searchable and kept across a restart.
 */
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import { readChangeLog } from '../../src/index/change-records.js'
import { corpusCopy } from '../helpers/corpus-copy.js'
import { liveServerOn } from '../helpers/live-server.js'
import { tempDir } from '../helpers/temp-dir.js'

const TOKEN = 'test-admin-token-0123456789abcdef'
const auth = { authorization: `Bearer ${TOKEN}` }
const analyzer = createDefaultAnalyzer()
const BODY_LIMIT = 4096
// (Load shedding is off: on a busy machine a test's first request can meet the lag of the build before it.)

async function indexOfFixture (): Promise<{ indexDir: string, corpusDir: string }> {
  const corpus = await corpusCopy()
  const indexDir = await tempDir()
  await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
  return { indexDir, corpusDir: corpus.dir }
}

async function serverOn ({ indexDir, corpusDir }: { indexDir: string, corpusDir: string }, admin = true) {
  return await liveServerOn({ indexDir, corpusDir, analyzer, ...(admin ? { token: TOKEN } : {}), operations: { bodyLimit: BODY_LIMIT, maxEventLoopDelayMs: 0 } })
}

const doc = (id: string, title = `Глиссер номер ${id}`) => ({ id, title, body: `${title}. Текст о речном глиссере.` })
const ndjson = (lines: Array<object | string>): string => lines.map(line => typeof line === 'string' ? line : JSON.stringify(line)).join('\n')
const bulk = (payload: string | Buffer, contentType = 'application/x-ndjson', headers: Record<string, string> = auth) =>
  ({ method: 'POST' as const, url: '/documents/_bulk', headers: { ...headers, 'content-type': contentType }, payload })

interface Item { id: string | null, status: number, error?: { code: string, message: string, position: number } }
const statuses = (items: Item[]) => items.map(item => [item.id, item.status, item.error?.code, item.error?.position])

describe('POST /documents/_bulk', () => {
  it('answers an item per record in line order; a bad record fails alone, and every good one is live and searchable', async () => {
    const { app } = await serverOn(await indexOfFixture())
    const body = [
      ndjson([doc('g-1'), '{"id": "broken", "title": ']),
      '',
      ndjson([{ title: 'Без идентификатора' }, { ...doc('g-2'), date: '2024-13-45' }, '[1, 2]', { ...doc('g-3'), body: 'ж'.repeat(BODY_LIMIT) }]),
      '   ',
      ndjson([doc('n-1', 'Дуров снова в Дубае'), doc('g-4'), doc('g-1', 'Глиссер номер один, исправлено')])
    ].join('\n')
    const invalidUtf8 = Buffer.concat([Buffer.from(`${body}\n{"id":"bad-bytes","title":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')])
    const response = await app.inject(bulk(invalidUtf8))
    expect(response.statusCode, response.body).toBe(200)
    const result = response.json<{ took: number, errors: boolean, items: Item[] }>()
    expect(result.errors).toBe(true)
    expect(result.took).toBeGreaterThanOrEqual(0)
    // Blank lines get no item, but count in the positions.
    expect(statuses(result.items)).toEqual([
      ['g-1', 201, undefined, undefined],
      [null, 400, 'POISK_BULK_INVALID_JSON', 2],
      [null, 400, 'POISK_BULK_NO_ID', 4],
      ['g-2', 400, 'POISK_CORPUS_RECORD', 5],
      [null, 400, 'POISK_CORPUS_RECORD', 6],
      [null, 400, 'POISK_BULK_RECORD_TOO_LARGE', 7],
      ['n-1', 200, undefined, undefined],
      ['g-4', 201, undefined, undefined],
      ['g-1', 200, undefined, undefined],
      [null, 400, 'POISK_BULK_INVALID_UTF8', 12]
    ])
    expect(result.items[3]?.error?.message).toMatch(/2024-13-45/)
    for (const id of ['g-1', 'g-4', 'n-1']) expect((await app.inject({ url: `/documents/${id}` })).statusCode, id).toBe(200)
    for (const id of ['g-2', 'g-3', 'broken']) expect((await app.inject({ url: `/documents/${id}` })).statusCode, id).toBe(404)
    expect((await app.inject({ url: '/documents/g-1' })).json().title).toBe('Глиссер номер один, исправлено')
    const hits = (await app.inject({ url: `/search?q=${encodeURIComponent('глиссер')}` })).json().hits.map((hit: { id: string }) => hit.id)
    expect(hits.sort()).toEqual(['g-1', 'g-4', 'n-1'])
  })

  it('logs a batch of 500 with one fsync, and answers only after it; the change log holds every good record once', async () => {
    const fixture = await indexOfFixture()
    const { app, file } = await serverOn(fixture)
    const ids = Array.from({ length: 1001 }, (_, i) => `b-${i}`)
    const syncsBefore = file.calls.filter(call => call === 'datasync').length
    const response = await app.inject(bulk(ndjson(ids.map(id => doc(id)))))
    expect(response.json<{ errors: boolean }>().errors).toBe(false)
    expect(file.calls.filter(call => call === 'datasync').length - syncsBefore).toBe(3)
    const { changes } = await readChangeLog(fixture.indexDir)
    expect(changes.map(change => change.id)).toEqual(ids)
    expect((await app.inject({ url: `/search?q=${encodeURIComponent('глиссер')}&limit=1` })).json().total).toBe(1001)
  })

  it('takes a JSON array the same way, element by element', async () => {
    const { app } = await serverOn(await indexOfFixture())
    const response = await app.inject(bulk(`[${JSON.stringify(doc('a-1'))}, {"id": "a-2", title}, ${JSON.stringify(doc('a-3'))}, 7]`, 'application/json; charset=utf-8'))
    expect(statuses(response.json<{ items: Item[] }>().items)).toEqual([
      ['a-1', 201, undefined, undefined],
      [null, 400, 'POISK_BULK_INVALID_JSON', 2],
      ['a-3', 201, undefined, undefined],
      [null, 400, 'POISK_CORPUS_RECORD', 4]
    ])
    // A body cut short keeps the elements before the cut, and says where it broke.
    const cut = await app.inject(bulk(`[${JSON.stringify(doc('a-4'))}, {"id": "a-5", "ti`, 'application/json'))
    expect(statuses(cut.json<{ items: Item[] }>().items)).toEqual([['a-4', 201, undefined, undefined], [null, 400, 'POISK_BULK_SYNTAX', 2]])
    const notArray = await app.inject(bulk(JSON.stringify(doc('a-6')), 'application/json'))
    expect(notArray.json<{ items: Item[] }>().items).toEqual([{ id: null, status: 400, error: expect.objectContaining({ code: 'POISK_BULK_SYNTAX', message: expect.stringContaining('must start with [') }) }])
    expect((await app.inject(bulk('[]', 'application/json'))).json()).toMatchObject({ errors: false, items: [] })
    for (const [id, found] of [['a-1', 200], ['a-3', 200], ['a-4', 200], ['a-5', 404], ['a-6', 404]] as const) {
      expect((await app.inject({ url: `/documents/${id}` })).statusCode, id).toBe(found)
    }
  })

  it('reads dates in TIME_ZONE and stores a bad URL as absent, saying so in the item, as a PUT does', async () => {
    const { app } = await serverOn(await indexOfFixture())
    const response = await app.inject(bulk(ndjson([
      { ...doc('z-1'), date: '2019-08-10 17:12:51', url: 'javascript:alert(1)' },
      { ...doc('z-2'), date: '01.04.2024' }
    ])))
    const { items } = response.json<{ items: Array<Item & { warnings?: Array<{ reason: string }> }> }>()
    expect(items.map(item => [item.id, item.status, item.warnings?.map(warning => warning.reason)])).toEqual([['z-1', 201, ['invalid-url']], ['z-2', 201, undefined]])
    const first = (await app.inject({ url: '/documents/z-1' })).json<{ date: string, url?: string }>()
    expect(first.date).toBe('2019-08-10T14:12:51.000Z') // 17:12:51 in Moscow
    expect(first.url).toBeUndefined()
    expect((await app.inject({ url: '/documents/z-2' })).json<{ date: string }>().date).toMatch(/^2024-04-01/)
  })

  it('reads a gzip-compressed body (content-encoding: gzip)', async () => {
    const { app } = await serverOn(await indexOfFixture())
    const response = await app.inject({ ...bulk(gzipSync(ndjson([doc('z-1'), doc('z-2')]))), headers: { ...auth, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' } })
    expect(statuses(response.json<{ items: Item[] }>().items)).toEqual([['z-1', 201, undefined, undefined], ['z-2', 201, undefined, undefined]])
  })

  it('answers 415 for another content type, 401 without the token, and does not exist without ADMIN_TOKEN', async () => {
    const fixture = await indexOfFixture()
    const { app } = await serverOn(fixture)
    const wrongType = await app.inject(bulk(ndjson([doc('t-1')]), 'text/plain'))
    expect(wrongType.statusCode).toBe(415)
    expect(wrongType.json()).toMatchObject({ code: 'POISK_BULK_MEDIA_TYPE', message: expect.stringContaining('application/x-ndjson') })
    expect((await app.inject(bulk(ndjson([doc('t-1')]), 'application/x-ndjson', {}))).statusCode).toBe(401)
    expect((await app.inject({ url: '/documents/t-1' })).statusCode).toBe(404)
    // PUT still parses JSON: the bulk route's parsers are its own.
    expect((await app.inject({ method: 'PUT', url: '/documents/t-2', headers: auth, payload: { title: 'Обычный PUT' } })).statusCode).toBe(201)
    const { app: readOnly } = await serverOn(fixture, false)
    expect((await readOnly.inject(bulk(ndjson([doc('t-1')])))).statusCode).toBe(404)
  })

  it('on a full disk answers 507 for the batch that could not be logged and every record after it, keeps the batches before, and applies nothing more', async () => {
    const fixture = await indexOfFixture()
    const first = await serverOn(fixture)
    const { app, file } = first
    // The disk is full for the second batch's write only: the third would fit, but is not tried.
    const write = file.write.bind(file)
    let writes = 0
    file.write = async data => {
      writes += 1
      file.full = writes === 2
      return await write(data)
    }
    const ids = Array.from({ length: 1100 }, (_, i) => `f-${i}`)
    const response = await app.inject(bulk(ndjson([...ids.slice(0, 600).map(id => doc(id)), '{"bad"', ...ids.slice(600).map(id => doc(id))])))
    const { items } = response.json<{ items: Item[] }>()
    expect(writes).toBe(2)
    expect(items).toHaveLength(1101)
    expect(items.slice(0, 500).every(item => item.status === 201)).toBe(true)
    const refused = items.slice(500).filter(item => item.status === 507)
    expect(refused).toHaveLength(600)
    expect(refused[0]).toMatchObject({ id: 'f-500', error: { code: 'POISK_DISK_FULL', position: 501 } })
    expect(refused.at(-1)).toMatchObject({ id: 'f-1099', error: { code: 'POISK_DISK_FULL', position: 1101 } })
    expect(items[600]).toMatchObject({ id: null, status: 400 })
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ writable: false })
    expect((await app.inject({ url: '/documents/f-499' })).statusCode).toBe(200)
    expect((await app.inject({ url: '/documents/f-500' })).statusCode).toBe(404)
    await first.close()

    const restarted = await serverOn(fixture)
    expect((await restarted.app.inject({ url: `/search?q=${encodeURIComponent('глиссер')}&limit=1` })).json().total).toBe(500)
    const { changes, damaged, tornBytes } = await readChangeLog(fixture.indexDir)
    expect({ changes: changes.length, damaged, tornBytes }).toEqual({ changes: 500, damaged: [], tornBytes: 0 })
  })
})
