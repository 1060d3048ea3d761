import { execFile } from 'node:child_process'
import { Agent, request } from 'node:http'
import { promisify } from 'node:util'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURE_CORPUS } from '../../helpers/build-fixture.js'
import { ADMIN_TOKEN } from '../../helpers/admin-client.js'
import { startServerProcess, type ServerProcess } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/temp-dir.js'

const WORKERS = 2

interface Answer { worker: string, status: number, body: string }

/**
 * One request; by default on a new connection, so the primary hands successive ones to
 * different workers, or on `agent`'s one kept-alive connection, which stays with one worker.
 */
async function send (url: string, method: string, path: string, body?: object, agent: Agent | false = false): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  return await new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method,
      agent,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' })
      }
    }, response => {
      let text = ''
      response.on('data', chunk => { text += String(chunk) })
      response.on('end', () => resolve({ worker: String(response.headers['x-poisk-worker']), status: response.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path} got no answer in 10 s`)))
    req.end(payload)
  })
}

/** Asks `path` until every worker has answered it and all their latest answers pass `check`. */
async function everyWorker (url: string, path: string, check: (answer: Answer) => boolean, timeoutMs = 10_000): Promise<Map<string, Answer>> {
  const latest = new Map<string, Answer>()
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const answer = await send(url, 'GET', path)
    latest.set(answer.worker, answer)
    if (latest.size >= WORKERS && [...latest.values()].every(check)) return latest
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  throw new Error(`not every worker answered ${path} as expected: ${JSON.stringify([...latest.entries()])}`)
}

/** Serves `indexDir` (built from the fixture corpus when missing) until every worker serves `documents` documents. */
async function startCluster (indexDir: string, documents: number): Promise<ServerProcess> {
  const server = await startServerProcess(['serve', '--index', indexDir, '--port', '0', '--workers', String(WORKERS), '--corpus', FIXTURE_CORPUS], { ADMIN_TOKEN })
  await everyWorker(server.url, '/health', answer => answer.status === 200 && (JSON.parse(answer.body) as { documents: number }).documents === documents, 60_000)
  return server
}

async function stop (server: ServerProcess): Promise<void> {
  const exited = new Promise(resolve => server.child.on('exit', resolve))
  server.child.kill('SIGTERM')
  expect(await exited, server.output()).toBe(0)
}

async function until (condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

/** The pids of the primary's worker processes. */
async function workerPids (server: ServerProcess): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=', '--ppid', String(server.child.pid)])
  return stdout.split('\n').map(line => Number(line.trim())).filter(pid => pid > 0)
}

const article = (n: number): object => ({ title: `Кластерная статья номер ${n}`, body: `Текст про метеорологический зонд ${n}.` })

describe('document changes and builds under poisk serve --workers', () => {
  // One server lifetime covers it all (two cluster start-ups cost seconds on a shared machine).
  it('builds in one worker, logs every change once and in order, every worker serves it, and it survives a rebuild, a worker death and a restart', async () => {
    const indexDir = await tempDir()
    const server = await startCluster(indexDir, 9)
    // Only the builder worker rebuilt the missing index.
    expect(server.output().match(/"msg":"rebuild started"/g)).toHaveLength(1)

    // Concurrent writes on separate connections land on both workers.
    const puts = await Promise.all([1, 2, 3, 4, 5, 6].map(async n => await send(server.url, 'PUT', `/documents/cw-${n}`, article(n))))
    expect(puts.map(put => put.status)).toEqual([201, 201, 201, 201, 201, 201])
    expect(new Set(puts.map(put => put.worker)).size).toBe(WORKERS)
    const seqs = puts.map(put => (JSON.parse(put.body) as { seq: number }).seq)
    expect([...seqs].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6])

    // Read-your-writes: on one kept-alive connection (one worker), the next request sees the change.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const own = await send(server.url, 'PUT', '/documents/cw-own', article(0), agent)
    const ownRead = await send(server.url, 'GET', '/documents/cw-own', undefined, agent)
    expect([own.status, ownRead.status, ownRead.worker]).toEqual([201, 200, own.worker])
    expect((await send(server.url, 'DELETE', '/documents/cw-own', undefined, agent)).status).toBe(200)
    expect((await send(server.url, 'GET', '/documents/cw-own', undefined, agent)).status).toBe(404)
    agent.destroy()

    // Every worker serves every change, whichever worker took it.
    for (let n = 1; n <= 6; n++) {
      await everyWorker(server.url, `/documents/cw-${n}`, answer => answer.status === 200 && answer.body.includes(`номер ${n}`))
    }
    const replaced = await send(server.url, 'PUT', '/documents/cw-1', { title: 'Заменённая кластерная статья', body: 'Новый текст.' })
    expect(replaced.status).toBe(200)
    const deleted = await send(server.url, 'DELETE', '/documents/cw-2')
    expect(deleted.status).toBe(200)
    const changesServed = async (url: string): Promise<void> => {
      await everyWorker(url, '/documents/cw-1', answer => answer.status === 200 && answer.body.includes('Заменённая'))
      await everyWorker(url, '/documents/cw-2', answer => answer.status === 404)
      await everyWorker(url, `/search?q=${encodeURIComponent('метеорологический зонд')}`, answer => (JSON.parse(answer.body) as { total: number }).total === 4)
    }
    await changesServed(server.url)

    const log = (await readFile(join(indexDir, 'changes.jsonl'), 'utf8')).trim().split('\n').map(line => JSON.parse(line.split('\t')[0] as string) as { seq: number })
    expect(log.map(change => change.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])

    // Reindex requests taken by both workers start one build, in the builder; it folds the changes in.
    const requests = await Promise.all([1, 2, 3, 4].map(async () => await send(server.url, 'POST', '/admin/reindex')))
    expect(new Set(requests.map(answer => answer.worker)).size).toBe(WORKERS)
    expect(requests.map(answer => answer.status)).toEqual([202, 202, 202, 202])
    const accepted = requests.map(answer => JSON.parse(answer.body) as { buildId: string, joined: boolean })
    const buildIds = new Set(accepted.map(answer => answer.buildId))
    expect(buildIds.size).toBe(1)
    expect(accepted.filter(answer => !answer.joined)).toHaveLength(1)
    const [buildId] = buildIds
    await everyWorker(server.url, '/health', answer => (JSON.parse(answer.body) as { buildId: string }).buildId === buildId, 60_000)
    expect(server.output().match(/"msg":"rebuild started"/g)).toHaveLength(2)
    expect(server.output()).not.toContain('new index not made live')
    await changesServed(server.url)

    // A worker that dies is replaced, and the new one replays the log.
    const [victim] = await workerPids(server)
    process.kill(victim as number, 'SIGKILL')
    // Until the primary has seen the exit it may still hand the dead worker a connection, which then hangs.
    await until(() => server.output().includes('worker died'))
    const answers = await everyWorker(server.url, '/documents/cw-1', answer => answer.status === 200 && answer.body.includes('Заменённая'), 20_000)
    expect([...answers.keys()]).toContain(String(WORKERS + 1))
    await everyWorker(server.url, '/documents/cw-2', answer => answer.status === 404)

    await stop(server)
    const restarted = await startCluster(indexDir, 14)
    await changesServed(restarted.url)
    await everyWorker(restarted.url, '/documents/cw-6', answer => answer.status === 200)
    const next = await send(restarted.url, 'PUT', '/documents/cw-7', article(7))
    expect(JSON.parse(next.body)).toMatchObject({ seq: 11, created: true })
    await stop(restarted)
  }, 150_000)
})
