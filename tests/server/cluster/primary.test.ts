import { createServer, request } from 'node:http'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { FIXTURE_CORPUS } from '../../helpers/build-fixture.js'
import { runCli, startServerProcess } from '../../helpers/cli.js'
import { tempDir } from '../../helpers/temp-dir.js'

interface Answer { worker: string | undefined, buildId: string, documents: number }

/** GET /health on a new connection each time, so the primary hands it to the next worker. */
async function health (url: string): Promise<Answer> {
  return await new Promise((resolve, reject) => {
    const req = request(`${url}/health`, { agent: false }, response => {
      let body = ''
      response.on('data', chunk => { body += String(chunk) })
      response.on('end', () => {
        const parsed = JSON.parse(body) as { buildId: string, documents: number }
        resolve({ worker: response.headers['x-poisk-worker'] as string | undefined, ...parsed })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

/** Asks until every one of `workers` workers has answered `predicate`-true at least once. */
async function untilEveryWorker (url: string, workers: number, predicate: (answer: Answer) => boolean, timeoutMs = 30_000): Promise<Map<string, Answer>> {
  const seen = new Map<string, Answer>()
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const answer = await health(url)
    if (answer.worker !== undefined) {
      if (predicate(answer)) seen.set(answer.worker, answer)
      else seen.delete(answer.worker)
    }
    if (seen.size >= workers) return seen
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`only workers ${[...seen.keys()].join(', ')} answered as expected`)
}

describe('poisk serve --workers', () => {
  it('serves one index from several workers, and every worker swaps to a newly published build', async () => {
    const indexDir = await tempDir()
    expect((await runCli(['index', '--quiet', '--corpus', FIXTURE_CORPUS, '--index', indexDir])).code).toBe(0)
    const server = await startServerProcess(['serve', '--index', indexDir, '--port', '0', '--workers', '2'])
    const first = await untilEveryWorker(server.url, 2, answer => answer.documents === 9)
    expect(first.size).toBe(2)
    const oldBuild = [...first.values()][0]?.buildId
    expect([...first.values()].every(answer => answer.buildId === oldBuild)).toBe(true)

    const corpus = join(await tempDir(), 'more.jsonl')
    await writeFile(corpus, [
      JSON.stringify({ id: 'x-1', title: 'Новая сборка индекса', body: 'Проверка переключения всех рабочих процессов.' }),
      JSON.stringify({ id: 'x-2', title: 'Вторая статья', body: 'Ещё один документ.' })
    ].join('\n') + '\n')
    const rebuilt = await runCli(['index', '--quiet', '--corpus', corpus, '--index', indexDir])
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    const newBuild = /published build (\S+)/.exec(rebuilt.stdout)?.[1]
    expect(newBuild).toBeDefined()
    const swapped = await untilEveryWorker(server.url, 2, answer => answer.buildId === newBuild)
    expect([...swapped.values()].map(answer => answer.documents)).toEqual([2, 2])
    expect(server.output()).toMatch(/"origin":"[a-z-]+","msg":"index live"|"msg":"index live"/)

    const exited = new Promise(resolve => server.child.on('exit', resolve))
    server.child.kill('SIGTERM')
    expect(await exited).toBe(0)
  }, 90_000)

  it('POST /admin/reload re-reads SYNONYMS_FILE in every worker, not only the one that took it', async () => {
    const indexDir = await tempDir()
    expect((await runCli(['index', '--quiet', '--corpus', FIXTURE_CORPUS, '--index', indexDir])).code).toBe(0)
    const synonymsFile = join(await tempDir(), 'synonyms.txt')
    await writeFile(synonymsFile, 'ЦБ, Центробанк\n')
    const token = 'cluster-reload-token-0123456789'
    const server = await startServerProcess(['serve', '--index', indexDir, '--port', '0', '--workers', '2'], { SYNONYMS_FILE: synonymsFile, ADMIN_TOKEN: token })
    await untilEveryWorker(server.url, 2, answer => answer.documents === 9)
    const found = async (): Promise<{ worker: string | undefined, total: number }> => await new Promise((resolve, reject) => {
      const req = request(`${server.url}/search?q=${encodeURIComponent('телеграмщик')}`, { agent: false }, response => {
        let body = ''
        response.on('data', chunk => { body += String(chunk) })
        response.on('end', () => resolve({ worker: response.headers['x-poisk-worker'] as string | undefined, total: (JSON.parse(body) as { total: number }).total }))
      })
      req.on('error', reject)
      req.end()
    })
    const totals = async (): Promise<Map<string, number>> => {
      const byWorker = new Map<string, number>()
      for (let ask = 0; ask < 40 && byWorker.size < 2; ask += 1) {
        const { worker, total } = await found()
        if (worker !== undefined) byWorker.set(worker, total)
      }
      return byWorker
    }
    expect([...(await totals()).values()]).toEqual([0, 0])

    await writeFile(synonymsFile, 'телеграмщик => Дуров\n')
    const reloaded = await fetch(`${server.url}/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(reloaded.status).toBe(200)
    const deadline = Date.now() + 20_000
    let after = await totals()
    while ([...after.values()].some(total => total === 0) && Date.now() < deadline) after = await totals()
    expect(after.size).toBe(2)
    expect([...after.values()].every(total => total > 0), JSON.stringify([...after])).toBe(true)
  }, 90_000)

  it('stops, exit 2, when a worker cannot listen (a busy port), instead of restarting workers forever', async () => {
    const indexDir = await tempDir()
    const busy = createServer()
    await new Promise<void>(resolve => busy.listen(0, '127.0.0.1', resolve))
    onTestFinished(async () => { await new Promise(resolve => busy.close(resolve)) })
    const port = (busy.address() as { port: number }).port
    const result = await runCli(['serve', '--index', indexDir, '--port', String(port), '--workers', '2'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`port ${port} is in use`)
  }, 90_000)

  it('refuses a bad worker count with a clear message', async () => {
    const result = await runCli(['serve', '--index', 'nowhere', '--workers', '0'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--workers must be an integer from 1 to 64, got «0»')
  })
})
