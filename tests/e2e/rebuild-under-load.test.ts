import { readdir } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, adminFetch, reindex, waitForBuild } from '../helpers/admin-client.js'
import { runCli, startServerProcess } from '../helpers/cli.js'
import { corpusCopy } from '../helpers/corpus-copy.js'
import { tempDir } from '../helpers/temp-dir.js'

interface Sample { q: string, started: number, status: number, total: number }

/** Keeps `connections` search loops busy until stopped; records every answer and every failure. */
function searchLoad (url: string, queries: string[], connections: number) {
  const samples: Sample[] = []
  const failures: string[] = []
  let running = true
  const loop = async (n: number): Promise<void> => {
    for (let i = n; running; i += 1) {
      const q = queries[i % queries.length] as string
      const started = performance.now()
      try {
        const response = await fetch(`${url}/search?q=${encodeURIComponent(q)}&limit=5`)
        const body = await response.json() as { total: number }
        samples.push({ q, started, status: response.status, total: body.total })
      } catch (error) {
        failures.push(`${q}: ${(error as Error).message}`)
      }
    }
  }
  const loops = Array.from({ length: connections }, async (_, n) => await loop(n))
  return {
    samples,
    failures,
    stop: async () => {
      running = false
      await Promise.all(loops)
    }
  }
}

describe('rebuilds while serving', () => {
  it('swaps three rebuilds and a CLI build in under concurrent searches with no failed request', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    expect((await runCli(['index', '--quiet', '--corpus', corpus.dir, '--index', indexDir])).code).toBe(0)
    const server = await startServerProcess(['serve', '--index', indexDir, '--corpus', corpus.dir, '--port', '0'], { ADMIN_TOKEN, RATE_LIMIT_ALLOW_LIST: '127.0.0.1,::1' })
    const markers = ['alphaone', 'alphatwo', 'alphathree', 'alphafour']
    const load = searchLoad(server.url, ['Дуров', 'Лавров переговоры', 'ёлки', ...markers], 8)
    const switchedAt = new Map<string, number>()
    const buildIds = new Set<string>()
    try {
      for (const [round, marker] of markers.slice(0, 3).entries()) {
        await corpus.addArticle(`m-${round}`, `Сводка ${marker}`)
        await new Promise(resolve => setTimeout(resolve, 200)) // searches run on the old build meanwhile
        const { buildId } = await reindex(server.url)
        await waitForBuild(server.url, buildId)
        switchedAt.set(marker, performance.now())
        buildIds.add(buildId)
      }
      // A build published by `poisk index` into the served folder is picked up too.
      await corpus.addArticle('m-3', `Сводка ${markers[3] as string}`)
      const cli = await runCli(['index', '--quiet', '--corpus', corpus.dir, '--index', indexDir])
      expect(cli.code, cli.stderr).toBe(0)
      const cliBuild = /published build (\S+)/.exec(cli.stdout)?.[1] as string
      const reload = await (await adminFetch(`${server.url}/admin/reload`, { method: 'POST', body: '{}' })).json() as { buildId: string }
      expect(reload.buildId).toBe(cliBuild)
      switchedAt.set(markers[3] as string, performance.now())
      buildIds.add(cliBuild)
      const health = await (await fetch(`${server.url}/health`)).json() as { buildId: string, documents: number }
      expect(health).toMatchObject({ buildId: cliBuild, documents: 8 })
      await new Promise(resolve => setTimeout(resolve, 200))
    } finally {
      await load.stop()
    }

    expect(load.failures).toEqual([])
    expect(load.samples.filter(sample => sample.status !== 200)).toEqual([])
    expect(buildIds.size).toBe(4)
    for (const marker of markers) {
      const answers = load.samples.filter(sample => sample.q === marker)
      const at = switchedAt.get(marker) as number
      // Before its build went live a marker is found nowhere; every search begun after it is found.
      expect(answers.some(sample => sample.total === 0), marker).toBe(true)
      expect(answers.filter(sample => sample.started > at).map(sample => sample.total), marker).not.toContain(0)
      expect(answers.filter(sample => sample.started > at).length, marker).toBeGreaterThan(0)
    }

    const exited = new Promise(resolve => server.child.on('exit', resolve))
    server.child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect((await readdir(indexDir)).filter(name => name.includes('.tmp') || name === 'build.lock')).toEqual([])
  }, 120_000)

  it('keeps PUT and DELETE made over HTTP across a rebuild and a restart', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    expect((await runCli(['index', '--quiet', '--corpus', corpus.dir, '--index', indexDir])).code).toBe(0)
    const args = ['serve', '--index', indexDir, '--corpus', corpus.dir, '--port', '0']
    const first = await startServerProcess(args, { ADMIN_TOKEN })
    const put = await adminFetch(`${first.url}/documents/live-1`, { method: 'PUT', body: JSON.stringify({ title: 'Косатки у Камчатки', body: 'Стая косаток.' }) })
    expect(put.status).toBe(201)
    const { buildId } = await reindex(first.url)
    expect((await adminFetch(`${first.url}/documents/n-1`, { method: 'DELETE' })).status).toBe(200)
    await waitForBuild(first.url, buildId)
    const found = async (url: string, q: string) => (await (await fetch(`${url}/search?q=${encodeURIComponent(q)}`)).json() as { hits: Array<{ id: string }> }).hits.map(hit => hit.id)
    expect(await found(first.url, 'косатки')).toEqual(['live-1'])
    expect((await fetch(`${first.url}/documents/n-1`)).status).toBe(404)
    const exited = new Promise(resolve => first.child.on('exit', resolve))
    first.child.kill('SIGTERM')
    expect(await exited).toBe(0)

    const second = await startServerProcess(args, { ADMIN_TOKEN })
    expect(await found(second.url, 'косатки')).toEqual(['live-1'])
    expect((await fetch(`${second.url}/documents/n-1`)).status).toBe(404)
  }, 60_000)
})

describe('SIGTERM during a rebuild', () => {
  it('stops the build, finishes, exits 0 and leaves no temporary files or lock behind', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises')
    const { join } = await import('node:path')
    const root = await tempDir()
    const corpusDir = join(root, 'corpus')
    await mkdir(corpusDir)
    // Big enough that the build is still running when the signal arrives.
    const words = ['правительство', 'экономика', 'заявил', 'министр', 'регион', 'выборы', 'бюджет', 'компания', 'суд', 'погода']
    const lines = Array.from({ length: 6000 }, (_, i) => JSON.stringify({
      id: `g-${i}`,
      title: `Новость номер ${i} ${words[i % 10] as string}`,
      body: Array.from({ length: 80 }, (_, j) => `${words[(i * 7 + j) % 10] as string}${(i + j) % 97}`).join(' ')
    }))
    await writeFile(join(corpusDir, 'big.jsonl'), `${lines.join('\n')}\n`)
    const indexDir = join(root, 'index')
    await mkdir(indexDir)
    const server = await startServerProcess(['serve', '--index', indexDir, '--corpus', corpusDir, '--port', '0'], { ADMIN_TOKEN })
    // No index yet: the server rebuilds at start. Wait until the build is under way.
    const { adminStatus } = await import('../helpers/admin-client.js')
    const indexed = async () => ((await adminStatus(server.url)) as unknown as { build: { progress: { indexed: number } } | null }).build?.progress.indexed ?? 0
    await expect.poll(indexed, { timeout: 20_000, interval: 50 }).toBeGreaterThan(0)
    const exited = new Promise<number | null>(resolve => server.child.on('exit', resolve))
    server.child.kill('SIGTERM')
    expect(await exited).toBe(0)
    const left = await readdir(indexDir)
    expect(left.filter(name => name.includes('.tmp') || name === 'build.lock')).toEqual([])
    expect(server.output()).toMatch(/shutting down/)
    expect(server.output()).toMatch(/the build was stopped/)
  }, 60_000)
})
