/**
 * The fault matrix (docs/OPERATIONS.md, «What poisk guarantees»): each case starts the
 * real server, in one process and with --workers 2, and checks that no acknowledged write
 * is lost and no index but the configured one is ever served:
 * - a full disk, on a real small filesystem (tmpfs: needs root, as CI runs);
 * - a change log damaged in the middle and at the end;
 * - an unusable only build, with and without a corpus;
 * - a misspelt --index;
 * - a damaged CURRENT.
 * The kill -9 cases are in crash-and-corruption.test.ts and rebuild-under-load.test.ts.
 */
import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import { lockPath } from '../../src/index/build-lock.js'
import { changeLogPath, readChangeLog } from '../../src/index/change-records.js'
import { buildPath, readCurrentBuildId } from '../../src/index/index-directory.js'
import { ChangeLog } from '../../src/live/change-log.js'
import { ADMIN_TOKEN, adminFetch, reindex } from '../helpers/admin-client.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { runCli, startServerProcess, type ServerProcess } from '../helpers/cli.js'
import { canMountTmpfs, fillUpTo, smallFilesystem } from '../helpers/small-filesystem.js'
import { systemRequirement } from '../helpers/system-requirement.js'
import { tempDir } from '../helpers/temp-dir.js'

const analyzer = createDefaultAnalyzer()
const FIXTURE_DOCUMENTS = 9
const MODES = [['one process', []], ['--workers 2', ['--workers', '2']]] as const
const TMPFS = systemRequirement('mounting a tmpfs (root)', canMountTmpfs(), 'the disk-full cases run as root, as CI does')

async function serveIndex (indexDir: string, extra: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  return await startServerProcess(['serve', '--index', indexDir, '--port', '0', ...extra], { ADMIN_TOKEN, ...env })
}

async function stop (server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return
  server.child.kill('SIGTERM')
  await new Promise(resolve => server.child.on('exit', resolve))
}

async function json (response: Response): Promise<Record<string, unknown>> {
  return await response.json() as Record<string, unknown>
}

/** Polls /health until `check` holds (every worker answers in turn on new connections). */
async function healthUntil (url: string, check: (body: Record<string, unknown>, status: number) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/health`)
    const body = await json(response)
    if (check(body, response.status)) return body
    last = { status: response.status, body }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`health never matched: ${JSON.stringify(last)}`)
}

const BODY = 'Строители закончили укладку асфальта на главной улице города, движение открыто. '.repeat(40)

describe.skipIf(!TMPFS).each(MODES)('a full disk (%s)', (_mode, extra) => {
  it('never acknowledges a change it did not write, answers 507 and writable: false, keeps searching, and loses none of 500 PUTs', async () => {
    const indexDir = await smallFilesystem(3 * 1024 * 1024)
    await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
    const filler = await fillUpTo(indexDir, 600 * 1024)
    let server = await serveIndex(indexDir, [...extra, '--corpus', FIXTURE_CORPUS])
    await healthUntil(server.url, body => body.documents === FIXTURE_DOCUMENTS)

    const acknowledged: string[] = []
    const refused: string[] = []
    let sawUnwritable = false
    for (let i = 0; i < 500; i += 1) {
      if (i === 300) {
        expect(refused.length, 'the disk filled up').toBeGreaterThan(0)
        // While full: searches answer, /health says why writes fail, and a rebuild fails without leaving its lock.
        expect((await fetch(`${server.url}/search?q=${encodeURIComponent('асфальт')}`)).status).toBe(200)
        // (With --workers the builder worker runs it: its log, which every worker shares, says how it ended.)
        const failedBuild = await reindex(server.url)
        await expect.poll(() => server.output(), { timeout: 30_000 }).toMatch(new RegExp(`"buildId":"${failedBuild.buildId}"[^\n]*new index not made live`))
        await expect.poll(() => existsSync(lockPath(indexDir)), { timeout: 10_000, message: 'build.lock after a failed build' }).toBe(false)
        expect((await readdir(indexDir)).filter(name => name.startsWith('.tmp-'))).toEqual([])
        await filler.free()
        await healthUntil(server.url, body => body.writable === true)
      }
      const id = `full-${i}`
      const response = await adminFetch(`${server.url}/documents/${id}`, { method: 'PUT', body: JSON.stringify({ title: `Улица номер ${i}`, body: BODY }) })
      const body = await json(response)
      if (response.status === 201) {
        acknowledged.push(id)
      } else {
        expect(response.status, JSON.stringify(body)).toBe(507)
        expect(body).toMatchObject({ code: 'POISK_DISK_FULL', message: expect.stringContaining(indexDir) })
        refused.push(id)
        if (!sawUnwritable) {
          sawUnwritable = true
          await healthUntil(server.url, health => health.writable === false && health.status === 'ok')
        }
      }
    }
    expect(acknowledged.length).toBeGreaterThan(200)
    expect(refused.length).toBeGreaterThan(50)

    // A hard kill, then a restart: every acknowledged change is there, no refused one is.
    server.child.kill('SIGKILL')
    await new Promise(resolve => server.child.on('exit', resolve))
    server = await serveIndex(indexDir, extra)
    await healthUntil(server.url, body => body.documents === FIXTURE_DOCUMENTS + acknowledged.length)
    const { changes, damaged, tornBytes } = await readChangeLog(indexDir)
    expect({ damaged, tornBytes }).toEqual({ damaged: [], tornBytes: 0 })
    expect(changes.map(change => change.id)).toEqual(acknowledged)
    for (const id of [acknowledged[0], acknowledged.at(-1), refused[0]]) {
      const status = (await fetch(`${server.url}/documents/${String(id)}`)).status
      expect(status, String(id)).toBe(refused.includes(String(id)) ? 404 : 200)
    }
    await stop(server)
  }, 120_000)
})

/** A folder with one build of the fixture and a change log of `ids` (each a PUT). */
async function indexWithChanges (ids: string[]): Promise<string> {
  const indexDir = await tempDir()
  await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
  const { log } = await ChangeLog.open(indexDir)
  for (const id of ids) await log.append({ op: 'put', id, article: { id, kind: 'article', title: `Заметка ${id} о ледоколах`, body: 'Ледокол вышел в рейс.', tags: [] } })
  await log.close()
  return indexDir
}

describe.each(MODES)('a damaged change log (%s)', (_mode, extra) => {
  it('skips a damaged record in the middle, applies every intact one after it, and keeps a copy', async () => {
    const indexDir = await indexWithChanges(['c1', 'c2', 'c3', 'c4'])
    const data = await readFile(changeLogPath(indexDir))
    const at = data.indexOf('Заметка c2')
    data[at + 2] = (data[at + 2] as number) ^ 1
    await writeFile(changeLogPath(indexDir), data)
    const server = await serveIndex(indexDir, extra)
    await healthUntil(server.url, body => body.documents === FIXTURE_DOCUMENTS + 3)
    for (const [id, status] of [['c1', 200], ['c2', 404], ['c3', 200], ['c4', 200]] as const) {
      expect((await fetch(`${server.url}/documents/${id}`)).status, id).toBe(status)
    }
    expect(server.output()).toMatch(/damaged records.*copied aside/)
    expect((await readdir(indexDir)).filter(name => name.startsWith('changes.jsonl.damaged-'))).toHaveLength(1)
    expect((await readChangeLog(indexDir)).changes.map(change => change.id)).toEqual(['c1', 'c3', 'c4'])
    await stop(server)
  })

  it('cuts only a torn last record, saying it was never acknowledged', async () => {
    const indexDir = await indexWithChanges(['t1', 't2'])
    const whole = (await readFile(changeLogPath(indexDir))).length
    await writeFile(changeLogPath(indexDir), Buffer.concat([await readFile(changeLogPath(indexDir)), Buffer.from('{"op":"put","id":"t3","art')]))
    const server = await serveIndex(indexDir, extra)
    await healthUntil(server.url, body => body.documents === FIXTURE_DOCUMENTS + 2)
    expect(server.output()).toMatch(/torn last record.*never acknowledged/)
    expect((await readFile(changeLogPath(indexDir))).length).toBe(whole)
    await stop(server)
  })
})

/** Damages the only build's index file: it fails its checksum. */
async function damageOnlyBuild (indexDir: string): Promise<string> {
  const buildId = await readCurrentBuildId(indexDir) as string
  const file = join(buildPath(indexDir, buildId), 'index.bin')
  const data = await readFile(file)
  data[Math.floor(data.length / 2)] = (data[Math.floor(data.length / 2)] as number) ^ 0xff
  await writeFile(file, data)
  return buildId
}

describe.each(MODES)('an unusable only build (%s)', (_mode, extra) => {
  it('without a corpus: 503 POISK_INDEX_NOT_READY saying why, and nothing else is built or named in CURRENT', async () => {
    const indexDir = await tempDir()
    await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
    const damaged = await damageOnlyBuild(indexDir)
    // The working folder holds corpus/, the bundled sample: it must not stand in.
    const server = await serveIndex(indexDir, extra)
    const health = await healthUntil(server.url, (_body, status) => status === 503)
    expect(health).toMatchObject({ status: 'unavailable', documents: 0, reason: expect.stringContaining('fails its checksum') })
    const search = await fetch(`${server.url}/search?q=${encodeURIComponent('Дуров')}`)
    expect(search.status).toBe(503)
    expect(await json(search)).toMatchObject({ code: 'POISK_INDEX_NOT_READY', message: expect.stringContaining('no corpus to build one from') })
    await new Promise(resolve => setTimeout(resolve, 500))
    expect((await fetch(`${server.url}/health`)).status).toBe(503)
    expect(await readCurrentBuildId(indexDir)).toBe(damaged)
    expect(await readdir(join(indexDir, 'builds'))).toEqual([damaged])
    await stop(server)
  })

  it('with a corpus: builds that corpus and serves it', async () => {
    const indexDir = await tempDir()
    await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
    const damaged = await damageOnlyBuild(indexDir)
    const server = await serveIndex(indexDir, [...extra, '--corpus', FIXTURE_CORPUS])
    const health = await healthUntil(server.url, (body, status) => status === 200 && body.documents === FIXTURE_DOCUMENTS, 60_000)
    expect(health.buildId).not.toBe(damaged)
    expect(await readCurrentBuildId(indexDir)).toBe(health.buildId)
    await stop(server)
  })
})

describe.each(MODES)('a misspelt --index (%s)', (_mode, extra) => {
  it('exits 2 with one line naming it, and creates no folder', async () => {
    const parent = await tempDir()
    const missing = join(parent, 'indx')
    const result = await runCli(['serve', '--index', missing, '--port', '0', ...extra])
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(`--index ${missing}: no such folder`)])
    expect(existsSync(missing)).toBe(false)
    const file = await runCli(['serve', '--index', 'README.md', '--port', '0', ...extra])
    expect(file.code).toBe(2)
    expect(file.stderr).toContain('--index README.md: not a folder')
  })
})

describe.each(MODES)('a damaged CURRENT (%s)', (_mode, extra) => {
  it.each([['garbage', 'n0t-a-build\u0000\u0001'], ['empty', ''], ['a path', '../../etc']])('holding %s: reported, the newest usable build served, and CURRENT rewritten to it', async (_what, text) => {
    const indexDir = await tempDir()
    const build = await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
    await writeFile(join(indexDir, 'CURRENT'), text)
    const server = await serveIndex(indexDir, extra)
    await healthUntil(server.url, body => body.buildId === build.buildId)
    await expect.poll(async () => await readCurrentBuildId(indexDir), { timeout: 10_000 }).toBe(build.buildId)
    expect(server.output()).toMatch(/CURRENT was damaged: rewritten to name the build served/)
    await stop(server)
  })
})
