import { fork } from 'node:child_process'
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import { buildLockHolder, lockPath } from '../../src/index/build-lock.js'
import type { BuildWorkerRequest } from '../../src/index/build-process.js'
import { buildPath, readCurrentBuildId } from '../../src/index/index-directory.js'
import { openNewestUsable } from '../../src/index/open-index.js'
import { ADMIN_TOKEN, adminStatus, reindex, waitForBuild } from '../helpers/admin-client.js'
import { startServerProcess } from '../helpers/cli.js'
import { corpusCopy } from '../helpers/corpus-copy.js'
import { tempDir } from '../helpers/temp-dir.js'

const WORKER = 'dist/index/build-worker.js'
const analyzer = createDefaultAnalyzer()

/** Runs the real build child with a crash point; resolves with the signal that ended it. */
async function crashingBuild (request: BuildWorkerRequest, crashAt: string): Promise<NodeJS.Signals | null> {
  const child = fork(WORKER, [], { env: { ...process.env, POISK_CRASH_AT: crashAt }, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] })
  child.send(request)
  return await new Promise(resolve => child.on('exit', (_code, signal) => resolve(signal)))
}

async function healthOf (url: string) {
  const response = await fetch(`${url}/health`)
  return { ...(await response.json() as { buildId: string | null, documents: number }), httpStatus: response.status }
}

describe('an indexer killed while writing', () => {
  it('leaves the previous index serving, and the next rebuild succeeds', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    const good = await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    await corpus.addArticle('late-1', 'Поздняя новость про дельфинов')

    for (const stage of ['locked', 'corpus-read', 'renamed', 'documents-written', 'index-written', 'manifest-written']) {
      const signal = await crashingBuild({ corpusPaths: [corpus.dir], indexDir, buildId: `20261129T000000000Z-${stage.length.toString(16).padStart(6, '0')}` }, stage)
      expect(signal, stage).toBe('SIGKILL')
      expect(await readCurrentBuildId(indexDir), stage).toBe(good.buildId)
      const { snapshot } = await openNewestUsable(indexDir, analyzer)
      expect(snapshot?.buildId, stage).toBe(good.buildId)
      await snapshot?.documents.close()
    }
    // The killed indexer left its lock (a dead pid) and temporary folders behind.
    expect(await readFile(lockPath(indexDir), 'utf8')).toMatch(/"pid"/)
    expect(await buildLockHolder(indexDir)).toBeUndefined()
    expect((await readdir(indexDir)).some(name => name.startsWith('.tmp-'))).toBe(true)

    // The server, started with a crash point its build child inherits, keeps serving through a killed rebuild…
    const crashing = await startServerProcess(['serve', '--index', indexDir, '--corpus', corpus.dir, '--port', '0'], { ADMIN_TOKEN, POISK_CRASH_AT: 'index-written' })
    expect(crashing.output()).toContain('removed unfinished builds left by an interrupted indexer')
    const killed = await reindex(crashing.url)
    await expect(waitForBuild(crashing.url, killed.buildId)).rejects.toThrow(/died \(SIGKILL\)/)
    expect((await adminStatus(crashing.url)).lastError).toMatchObject({ buildId: killed.buildId })
    expect(await healthOf(crashing.url)).toMatchObject({ httpStatus: 200, buildId: good.buildId, documents: 4 })
    expect((await fetch(`${crashing.url}/search?q=${encodeURIComponent('Дуров')}`)).status).toBe(200)
    crashing.child.kill('SIGTERM')
    await new Promise(resolve => crashing.child.on('exit', resolve))

    // …and without it the next rebuild reclaims the dead lock and succeeds.
    const server = await startServerProcess(['serve', '--index', indexDir, '--corpus', corpus.dir, '--port', '0'], { ADMIN_TOKEN })
    expect(await healthOf(server.url)).toMatchObject({ buildId: good.buildId })
    const next = await reindex(server.url)
    await waitForBuild(server.url, next.buildId)
    expect(await healthOf(server.url)).toMatchObject({ httpStatus: 200, buildId: next.buildId, documents: 5 })
    expect((await readdir(indexDir)).filter(name => name.startsWith('.tmp-') || name === 'build.lock')).toEqual([])
  }, 90_000)
})

describe('a damaged index at start', () => {
  it.each([
    ['truncated', async (dir: string) => { await truncate(join(dir, 'index.bin'), 100) }],
    ['bit-flipped', async (dir: string) => {
      const data = await readFile(join(dir, 'index.bin'))
      const at = Math.floor(data.length / 2)
      data[at] = (data[at] ?? 0) ^ 0x10
      await writeFile(join(dir, 'index.bin'), data)
    }],
    ['foreign', async (dir: string) => { await writeFile(join(dir, 'index.bin'), 'PK\u0003\u0004 not an index at all') }]
  ])('is detected when %s: the previous build serves and the log says why', async (_name, damage) => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    const older = await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    const newer = await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    await damage(buildPath(indexDir, newer.buildId))
    const server = await startServerProcess(['serve', '--index', indexDir, '--port', '0'])
    expect(await healthOf(server.url)).toMatchObject({ httpStatus: 200, buildId: older.buildId })
    expect(server.output()).toMatch(new RegExp(`"buildId":"${newer.buildId}".*index build not usable`))
  })

  it('is rebuilt from the corpus when no build is usable, with 503 meanwhile', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    const only = await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    await truncate(join(buildPath(indexDir, only.buildId), 'docs.bin'), 10)
    const server = await startServerProcess(['serve', '--index', indexDir, '--corpus', corpus.dir, '--port', '0'])
    expect(server.output()).toContain('no usable index: serving 503 while it is rebuilt from the corpus')
    await expect.poll(async () => (await healthOf(server.url)).httpStatus, { timeout: 30_000, interval: 100 }).toBe(200)
    expect((await healthOf(server.url)).buildId).not.toBe(only.buildId)
  })

  it('with no usable index and no corpus, the server starts and answers 503', async () => {
    const indexDir = await tempDir()
    await writeFile(join(indexDir, 'CURRENT'), 'garbage\n')
    const server = await startServerProcess(['serve', '--index', indexDir, '--corpus', join(indexDir, 'no-corpus'), '--port', '0'], { ADMIN_TOKEN })
    await expect.poll(async () => (await adminStatus(server.url)).lastError?.message ?? '', { timeout: 30_000, interval: 100 }).toMatch(/no-corpus/)
    expect((await fetch(`${server.url}/search?q=x`)).status).toBe(503)
    expect(server.child.exitCode).toBeNull()
  })
})
