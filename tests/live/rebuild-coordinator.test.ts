import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import type { BuildRunner } from '../../src/index/build-process.js'
import { readCurrentBuildId } from '../../src/index/index-directory.js'
import { IndexStore } from '../../src/live/index-store.js'
import { RebuildCoordinator } from '../../src/live/rebuild-coordinator.js'
import { search } from '../../src/search/search.js'
import { getDocument } from '../../src/search/get-document.js'
import { corpusCopy } from '../helpers/corpus-copy.js'
import { tempDir } from '../helpers/temp-dir.js'

const analyzer = createDefaultAnalyzer()

/** Builds in this process (the child-process runner is covered end to end); counts builds; can hold a finished build back. */
function inProcessRunner (hold?: () => Promise<void>) {
  let builds = 0
  const serving: Array<boolean | undefined> = []
  const runBuild: BuildRunner = async job => {
    builds += 1
    serving.push(job.serving)
    const result = await buildIndex({ corpusPaths: job.corpusPaths, indexDir: job.indexDir, buildId: job.buildId, analyzer, signal: job.signal, onProgress: job.onProgress })
    await hold?.()
    return { buildId: result.buildId }
  }
  return { runBuild, builds: () => builds, serving }
}

/** Holds a finished build back until opened; `reached` resolves once a build is waiting. */
function gate () {
  let open: () => void = () => {}
  let arrive: () => void = () => {}
  const opened = new Promise<void>(resolve => { open = resolve })
  const reached = new Promise<void>(resolve => { arrive = resolve })
  return { opened, open, reached, wait: async () => { arrive(); await opened } }
}

async function coordinatorFor (indexDir: string, corpusPaths: string[], runBuild: BuildRunner, watchIntervalMs = 0) {
  const store = new IndexStore(undefined, { retireAfterMs: 10 })
  const logs: string[] = []
  const logger = { info: (_: object, m: string) => logs.push(m), warn: (_: object, m: string) => logs.push(m), error: (_: object, m: string) => logs.push(m) }
  const coordinator = new RebuildCoordinator({ indexDir, corpusPaths, analyzer, store, logger, runBuild, watchIntervalMs })
  onTestFinished(async () => {
    await coordinator.close()
    await store.close()
  })
  await coordinator.start()
  return { coordinator, store, logs }
}

async function ids (store: IndexStore, q: string): Promise<string[]> {
  const snapshot = store.current()
  if (snapshot === undefined) throw new Error('no index live')
  return (await search(snapshot, { q, limit: 100, offset: 0 })).hits.map(hit => hit.id)
}

describe('the rebuild coordinator', () => {
  it('rebuilds when started without an index, then serves the new build', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    const runner = inProcessRunner()
    const { coordinator, store, logs } = await coordinatorFor(indexDir, [corpus.dir], runner.runBuild)
    expect(store.current()).toBeUndefined()
    expect(coordinator.status().state).toBe('building')
    await coordinator.idle()
    expect(store.current()?.buildId).toBe(await readCurrentBuildId(indexDir))
    expect(coordinator.status()).toMatchObject({ state: 'idle', lastSuccess: { origin: 'rebuild', documents: 4 }, lastError: null })
    expect(logs).toContain('no usable index: serving 503 while it is rebuilt from the corpus')
    // Nothing was served while it built: the build keeps the server's priority (build-process.ts).
    expect(runner.serving).toEqual([false])
    coordinator.requestRebuild()
    await coordinator.idle()
    expect(runner.serving).toEqual([false, true])
  })

  it('gives two rebuild requests at once one build', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    const runner = inProcessRunner()
    const { coordinator, store } = await coordinatorFor(indexDir, [corpus.dir], runner.runBuild)
    const first = coordinator.requestRebuild()
    const second = coordinator.requestRebuild()
    expect(first.joined).toBe(false)
    expect(second).toEqual({ buildId: first.buildId, joined: true })
    await coordinator.idle()
    expect(runner.builds()).toBe(1)
    expect(store.current()?.buildId).toBe(first.buildId)
    expect(await readdir(join(indexDir, 'builds'))).toHaveLength(2)
  })

  it('loses no PUT or DELETE made before or during a rebuild, and keeps them across a restart', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    const held = gate()
    const { coordinator, store } = await coordinatorFor(indexDir, [corpus.dir], inProcessRunner(held.wait).runBuild)
    const put = (id: string, title: string) => coordinator.changeDocument({ op: 'put', id, article: { id, kind: 'article', title, body: `${title} — текст`, tags: [] } })

    await put('live-1', 'Кашалоты вернулись в залив')
    expect(await ids(store, 'кашалоты')).toEqual(['live-1'])
    const { buildId } = coordinator.requestRebuild()
    // The build has read the log and published (live-1 is folded in); these arrive before it goes live.
    await held.reached
    await put('live-2', 'Нарвалы замечены у берега')
    await put('n-1', 'Павел Дуров сменил заголовок')
    await coordinator.changeDocument({ op: 'delete', id: 'n-2' })
    held.open()
    await coordinator.idle()

    const live = store.current()
    expect(live?.buildId).toBe(buildId)
    expect(live?.manifest.changesApplied).toBe(1) // live-1 folded in; the other three replayed at swap
    const check = async (s: IndexStore) => {
      expect(await ids(s, 'кашалоты')).toEqual(['live-1'])
      expect(await ids(s, 'нарвалы')).toEqual(['live-2'])
      expect(await ids(s, 'заголовок')).toEqual(['n-1'])
      expect(await ids(s, 'Анкаре')).toEqual([])
      const snapshot = s.current()
      if (snapshot === undefined) throw new Error('no index')
      expect(await getDocument(snapshot, 'n-2')).toBeUndefined()
      expect((await getDocument(snapshot, 'live-2'))?.title).toBe('Нарвалы замечены у берега')
      expect(snapshot.miniSearch.documentCount).toBe(4 + 2 - 1)
    }
    await check(store)

    await coordinator.close()
    const restarted = await coordinatorFor(indexDir, [corpus.dir], inProcessRunner().runBuild)
    await check(restarted.store)
    // …and the next rebuild folds every change in.
    restarted.coordinator.requestRebuild()
    await restarted.coordinator.idle()
    expect(restarted.store.current()?.manifest.changesApplied).toBe(4)
    await check(restarted.store)
  })

  it('keeps serving the current index when a build fails, and reports it', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    const first = await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    const { coordinator, store } = await coordinatorFor(indexDir, [join(corpus.dir, 'missing')], inProcessRunner().runBuild)
    const { buildId } = coordinator.requestRebuild()
    await coordinator.idle()
    expect(store.current()?.buildId).toBe(first.buildId)
    expect(coordinator.status().lastError).toMatchObject({ buildId, origin: 'rebuild', code: 'POISK_CORPUS_PATH' })
  })

  it('refuses a build that fails its canary checks and puts the live build back in CURRENT', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    const first = await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    const { coordinator, store } = await coordinatorFor(indexDir, [corpus.dir], inProcessRunner().runBuild)
    await writeFile(corpus.file, '{"title": ""}\n') // every record invalid: the build holds no documents
    const { buildId } = coordinator.requestRebuild()
    await coordinator.idle()
    expect(store.current()?.buildId).toBe(first.buildId)
    expect(coordinator.status().lastError).toMatchObject({ buildId, code: 'POISK_CANARY_FAILED' })
    expect(await readCurrentBuildId(indexDir)).toBe(first.buildId)
  })

  it('picks up a build published by another process', async () => {
    const corpus = await corpusCopy()
    const indexDir = await tempDir()
    await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    const { coordinator, store } = await coordinatorFor(indexDir, [corpus.dir], inProcessRunner().runBuild, 100)
    await corpus.addArticle('cli-1', 'Белуги вошли в реку')
    const published = await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
    await expect.poll(() => store.current()?.buildId, { timeout: 5000 }).toBe(published.buildId)
    expect(await ids(store, 'белуги')).toEqual(['cli-1'])
    expect(coordinator.status().lastSuccess).toMatchObject({ buildId: published.buildId, origin: 'reload' })
  })
})
