/**
 * POST /documents/_bulk against the real server: with `--workers 2` (a batch forwarded to the
 * primary, logged once, served by every worker), and killed with SIGKILL in the middle of a
 * large import (every answered item is there after a restart, the log is not damaged, and
 * what the log holds is served).
 */
import { readdir } from 'node:fs/promises'
import { request } from 'node:http'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import { readChangeLog } from '../../src/index/change-records.js'
import { ADMIN_TOKEN } from '../helpers/admin-client.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { startServerProcess, type ServerProcess } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp-dir.js'

const analyzer = createDefaultAnalyzer()
const WORD = 'бакен'

interface Item { id: string | null, status: number, error?: { code: string } }
interface BulkAnswer { status: number, worker: string, body: { errors: boolean, items: Item[] } }

const line = (id: string): string => JSON.stringify({ id, title: `Речной ${WORD} номер ${id}`, body: `Заметка о ${WORD}е ${id} на фарватере.` })

/** POSTs an NDJSON body (a stream or text) on a connection of its own. */
async function postBulk (url: string, body: Readable | string): Promise<BulkAnswer> {
  return await new Promise((resolve, reject) => {
    const req = request(`${url}/documents/_bulk`, {
      method: 'POST',
      agent: false,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/x-ndjson' }
    }, response => {
      let text = ''
      response.on('data', chunk => { text += String(chunk) })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, worker: String(response.headers['x-poisk-worker']), body: JSON.parse(text) }))
    })
    req.on('error', reject)
    if (typeof body === 'string') req.end(body)
    else body.pipe(req)
  })
}

async function total (url: string): Promise<{ worker: string, total: number }> {
  const response = await fetch(`${url}/search?q=${encodeURIComponent(WORD)}&limit=1`, { headers: { connection: 'close' } })
  return { worker: String(response.headers.get('x-poisk-worker')), total: (await response.json() as { total: number }).total }
}

async function until<T> (probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined && done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out; last ${JSON.stringify(value)}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

async function serving (args: string[]): Promise<ServerProcess> {
  // Load shedding off: applying a batch of 500 on a machine busy with other tests can lag the event loop past the
  // 1 s default, and a shed 503 is not what these tests are about.
  const server = await startServerProcess(['serve', ...args, '--port', '0'], { ADMIN_TOKEN, MAX_EVENT_LOOP_DELAY_MS: '0' })
  // Each worker listens before its index is live (503 until then): wait until every one answers 200.
  const workers = Number(args[args.indexOf('--workers') + 1] ?? 1) || 1
  const live = new Set<string>()
  await until(async () => {
    const response = await fetch(`${server.url}/health`, { headers: { connection: 'close' } })
    if (response.status === 200) live.add(String(response.headers.get('x-poisk-worker')))
    return live.size
  }, size => size >= workers)
  return server
}

describe('POST /documents/_bulk on a real server', () => {
  it('with --workers 2: the batch is logged once, in order, and every worker serves every document', async () => {
    const indexDir = await tempDir()
    await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
    const server = await serving(['--index', indexDir, '--workers', '2'])
    const ids = Array.from({ length: 1200 }, (_, i) => `w-${i}`)
    const body = [...ids.slice(0, 700).map(line), '{"id":"half', ...ids.slice(700).map(line)].join('\n')
    const answers = await Promise.all([postBulk(server.url, body), postBulk(server.url, ids.slice(0, 10).map(line).join('\n'))])
    const [first, second] = answers as [BulkAnswer, BulkAnswer]
    expect(first.status).toBe(200)
    // (The ten documents of the concurrent request are created by whichever request comes first.)
    const outcome = (item: Item): string => item.status === 400 ? 'refused' : item.status === 200 || item.status === 201 ? 'stored' : String(item.status)
    expect(first.body.items.map(outcome)).toEqual([...ids.slice(0, 700).map(() => 'stored'), 'refused', ...ids.slice(700).map(() => 'stored')])
    expect(first.body.items.filter(item => item.status < 300).map(item => item.id)).toEqual(ids)
    expect(second.status, JSON.stringify(second.body)).toBe(200)
    expect(second.body.errors).toBe(false)
    // Both workers serve all of it, whichever took the request.
    const seen = new Map<string, number>()
    await until(async () => { const answer = await total(server.url); seen.set(answer.worker, answer.total); return seen }, () => seen.size === 2 && [...seen.values()].every(count => count === 1200))
    const { changes, damaged } = await readChangeLog(indexDir)
    expect(damaged).toEqual([])
    // 1,210 changes were logged, numbered in order; the primary compacts past 1,000 entries (the ten sent twice).
    const seqs = changes.map(change => change.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(seqs.at(-1)).toBe(1210)
    expect(new Set(changes.map(change => change.id)).size).toBe(1200)
    server.child.kill('SIGTERM')
    await new Promise(resolve => server.child.on('exit', resolve))
  }, 180_000)

  it('killed in the middle of a large import: every answered item is kept, the log is whole, and all it holds is served', async () => {
    const indexDir = await tempDir()
    await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
    const server = await serving(['--index', indexDir])
    const answered = Array.from({ length: 600 }, (_, i) => `a-${i}`)
    const first = await postBulk(server.url, answered.map(line).join('\n'))
    expect(first.body.items.every(item => item.status === 201)).toBe(true)

    // A second import, far larger, streamed; the server is killed once part of it is logged.
    const more = Array.from({ length: 20_000 }, (_, i) => `k-${i}`)
    const streamed = postBulk(server.url, Readable.from((function * () { for (const id of more) yield `${line(id)}\n` })())).catch((error: Error) => error)
    await until(async () => (await readChangeLog(indexDir)).changes.length, logged => logged >= answered.length + 500, 120_000)
    server.child.kill('SIGKILL')
    expect(await streamed).toBeInstanceOf(Error)

    const restarted = await serving(['--index', indexDir])
    const { changes, damaged } = await readChangeLog(indexDir)
    expect(damaged).toEqual([])
    expect((await readdir(indexDir)).filter(name => name.includes('.damaged-'))).toEqual([])
    const logged = new Set(changes.map(change => change.id))
    for (const id of answered) expect(logged.has(id), id).toBe(true)
    expect((await total(restarted.url)).total).toBe(logged.size)
    for (const id of [answered[0], answered.at(-1), [...logged].at(-1)]) {
      expect((await fetch(`${restarted.url}/documents/${id as string}`)).status, id).toBe(200)
    }
    restarted.child.kill('SIGTERM')
    await new Promise(resolve => restarted.child.on('exit', resolve))
  }, 240_000)
})
