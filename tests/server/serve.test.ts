import { createServer } from 'node:net'
import { describe, expect, it, vi } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
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
})
