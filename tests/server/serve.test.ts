import { createServer } from 'node:net'
import { Writable } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { ADMIN_TOKEN, reindex, waitForBuild } from '../helpers/admin-client.js'
import type { Snapshot } from '../../src/index/open-index.js'
import { expectInternals, treeRootOf, type TreeNode } from '../../src/index/minisearch-internals.js'
import { LazyTreeNode } from '../../src/index/term-tree.js'
import { tempDir } from '../helpers/temp-dir.js'

// The load is held at a gate the test opens: what the server answers while an index loads
// is then a matter of order, not of timing.
const gate = vi.hoisted(() => {
  let open: () => void = () => {}
  const opened = new Promise<void>(resolve => { open = resolve })
  return { opened, open: () => open(), reached: { value: false } }
})

vi.mock('../../src/index/open-index.js', async importOriginal => {
  const actual = await importOriginal<typeof import('../../src/index/open-index.js')>()
  return {
    ...actual,
    openNewestUsable: async (...args: Parameters<typeof actual.openNewestUsable>) => {
      gate.reached.value = true
      await gate.opened
      return await actual.openNewestUsable(...args)
    }
  }
})

const { serve } = await import('../../src/server/serve.js')

const TOKEN = 'serve-test-admin-token-0123456789'

async function freePort (): Promise<number> {
  const probe = createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const address = probe.address()
  await new Promise(resolve => probe.close(resolve))
  return typeof address === 'object' && address !== null ? address.port : 0
}

async function waitFor (condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 5))
}

describe('serve', () => {
  it('listens before the index is loaded: /health and searches answer 503 until it is live, then 200', async () => {
    const indexDir = await tempDir('poisk-index-')
    const analyzer = createDefaultAnalyzer()
    await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
    const port = await freePort()
    const started = serve({ indexDir, port, host: '127.0.0.1', analyzer, logLevel: 'silent', adminToken: TOKEN, coordinator: { watchIntervalMs: 0 } })
    let settled = false
    void started.then(() => { settled = true }, () => { settled = true })
    await waitFor(() => gate.reached.value)
    const url = `http://127.0.0.1:${port}`

    const loading = await fetch(`${url}/health`)
    expect(loading.status).toBe(503)
    expect(await loading.json()).toMatchObject({ status: 'starting', documents: 0, buildId: null })
    const search = await fetch(`${url}/search?q=${encodeURIComponent('Лаврова')}`)
    expect(search.status).toBe(503)
    expect(await search.json()).toMatchObject({ code: 'POISK_INDEX_NOT_READY' })
    expect(settled).toBe(false)

    gate.open()
    const server = await started
    try {
      const live = await fetch(`${url}/health`)
      expect(live.status).toBe(200)
      expect(await live.json()).toMatchObject({ status: 'ok', documents: 9 })
      expect((await fetch(`${url}/search?q=${encodeURIComponent('Лаврова')}`)).status).toBe(200)
      // Live, it finishes its start-up work (the headline vocabulary) in the background, and says when it is done.
      const vocabularyReady = async (): Promise<unknown> =>
        ((await (await fetch(`${url}/admin/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { current: { vocabularyReady: unknown } }).current.vocabularyReady
      await expect.poll(vocabularyReady, { timeout: 10_000 }).toBe(true)
      // Its route schemas, not compiled before it listened, are compiled in the background too.
      await expect.poll(() => server.app.deferredSchemas.left, { timeout: 10_000 }).toBe(0)
    } finally {
      await server.close()
    }
  }, 60_000)

  it('warms up after a start: searches its newest headlines\' most frequent words, and says so', async () => {
    const indexDir = await tempDir('poisk-index-')
    const analyzer = createDefaultAnalyzer()
    await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
    gate.open()
    const lines: Array<Record<string, unknown>> = []
    const logStream = new Writable({ write (chunk, _encoding, done) { lines.push(...String(chunk).split('\n').filter(Boolean).map(line => JSON.parse(line) as Record<string, unknown>)); done() } })
    const server = await serve({ indexDir, port: await freePort(), host: '127.0.0.1', analyzer, logLevel: 'info', logStream, coordinator: { watchIntervalMs: 0 } })
    try {
      await expect.poll(() => lines.some(line => line.msg === 'searches warmed up'), { timeout: 10_000 }).toBe(true)
      const warmed = lines.find(line => line.msg === 'searches warmed up') as { queries: string[] }
      expect(warmed.queries.length).toBeGreaterThan(4)
      // Made inside: no request of its own in the log.
      expect(lines.filter(line => line.msg === 'request')).toEqual([])
    } finally {
      await server.close()
    }
  }, 60_000)

  it('swaps in a rebuilt index with the term-tree nodes its searches reached already decoded', async () => {
    const indexDir = await tempDir('poisk-index-')
    const analyzer = createDefaultAnalyzer()
    await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
    gate.open()
    const server = await serve({
      indexDir, corpusPaths: [FIXTURE_CORPUS], port: await freePort(), host: '127.0.0.1', analyzer, logLevel: 'silent', adminToken: ADMIN_TOKEN, coordinator: { watchIntervalMs: 0 }
    })
    try {
      const url = server.url
      const treeOf = (): TreeNode => treeRootOf(expectInternals((server.app.indexStore.current() as Snapshot).miniSearch).termTree)
      const terms = analyzer.termsOf('зенитные')
      expect(terms.length).toBeGreaterThan(0)
      expect(terms.every(term => !decodedAlong(treeOf(), term))).toBe(true)
      expect((await fetch(`${url}/search?q=${encodeURIComponent('зенитные')}`)).status).toBe(200)
      expect(terms.every(term => decodedAlong(treeOf(), term))).toBe(true)

      const { buildId } = await reindex(url)
      await waitForBuild(url, buildId)

      expect(server.app.indexStore.current()?.buildId).toBe(buildId)
      expect(terms.every(term => decodedAlong(treeOf(), term))).toBe(true)
    } finally {
      await server.close()
    }
  }, 60_000)
})

/** Whether every node on the way to `term`, which the tree holds, has been decoded (looking decodes nothing more). */
function decodedAlong (root: TreeNode, term: string): boolean {
  let node = root
  for (let rest = term; ;) {
    if (node instanceof LazyTreeNode && !node.isDecoded) return false
    if (rest === '') return true
    const edge = [...node.keys()].find(label => label !== '' && rest.startsWith(label))
    if (edge === undefined) throw new Error(`the tree does not hold ${term}`)
    node = node.get(edge) as TreeNode
    rest = rest.slice(edge.length)
  }
}
