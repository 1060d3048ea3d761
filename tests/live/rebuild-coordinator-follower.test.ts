import { readFile, writeFile } from 'node:fs/promises'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import type { Article } from '../../src/corpus/article.js'
import { buildIndex } from '../../src/index/build-index.js'
import { changeLogPath, type ChangeOperation } from '../../src/index/change-records.js'
import { ChangeLog } from '../../src/live/change-log.js'
import { IndexStore } from '../../src/live/index-store.js'
import { RebuildCoordinator, type RebuildAnswer } from '../../src/live/rebuild-coordinator.js'
import { getDocument } from '../../src/search/get-document.js'
import { corpusCopy } from '../helpers/corpus-copy.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

const analyzer = createDefaultAnalyzer()
const article = (id: string, title: string): Article => ({ id, kind: 'article', title, body: `${title}.`, tags: [] })

/**
 * A coordinator as a cluster worker runs it: `primary` stands in for the primary process,
 * logging each forwarded change and handing it back through applyCommitted.
 */
async function followerFor (indexDir: string, options: { rebuildWhenEmpty?: boolean, forwardRebuild?: () => Promise<RebuildAnswer> } = {}) {
  const { log: primary } = await ChangeLog.open(indexDir)
  const store = new IndexStore(undefined, { retireAfterMs: 10 })
  const logs: string[] = []
  const logger = { info: (_: object, m: string) => logs.push(m), warn: (_: object, m: string) => logs.push(m), error: (_: object, m: string) => logs.push(m) }
  const coordinator: RebuildCoordinator = new RebuildCoordinator({
    indexDir,
    // As in a real cluster, a follower has the builder's corpus; it never builds from it.
    corpusPaths: [FIXTURE_CORPUS],
    analyzer,
    store,
    logger,
    watchIntervalMs: 0,
    commitChange: async (operation: ChangeOperation) => {
      const change = await primary.append(operation)
      const { existed } = await coordinator.applyCommitted(change)
      return { seq: change.seq, existed }
    },
    ...(options.rebuildWhenEmpty === undefined ? {} : { rebuildWhenEmpty: options.rebuildWhenEmpty }),
    ...(options.forwardRebuild === undefined ? {} : { forwardRebuild: options.forwardRebuild })
  })
  onTestFinished(async () => {
    await coordinator.close()
    await store.close()
    await primary.close()
  })
  return { coordinator, store, primary, logs }
}

async function builtIndex (): Promise<string> {
  const corpus = await corpusCopy()
  const indexDir = await tempDir()
  await buildIndex({ corpusPaths: [corpus.dir], indexDir, analyzer })
  return indexDir
}

describe('the rebuild coordinator in a cluster worker', () => {
  it('has changes logged by the primary and applies them, answering whether the document existed', async () => {
    const indexDir = await builtIndex()
    const { coordinator, store } = await followerFor(indexDir)
    await coordinator.start()
    expect(await coordinator.changeDocument({ op: 'put', id: 'f-1', article: article('f-1', 'Первая версия') })).toEqual({ seq: 1, existed: false })
    expect(await coordinator.changeDocument({ op: 'put', id: 'f-1', article: article('f-1', 'Вторая версия') })).toEqual({ seq: 2, existed: true })
    expect(await coordinator.changeDocument({ op: 'delete', id: 'n-1' })).toEqual({ seq: 3, existed: true })
    const snapshot = store.current()
    if (snapshot === undefined) throw new Error('no index live')
    expect((await getDocument(snapshot, 'f-1'))?.title).toBe('Вторая версия')
    expect(await getDocument(snapshot, 'n-1')).toBeUndefined()
    expect(coordinator.status().changes).toEqual({ logged: 3, lastSeq: 3 })
  })

  it('skips a committed change the live build already replayed from the log, so changes never apply out of order', async () => {
    const indexDir = await builtIndex()
    const { coordinator, store, primary } = await followerFor(indexDir)
    const first = await primary.append({ op: 'put', id: 'f-1', article: article('f-1', 'Первая версия') })
    await primary.append({ op: 'put', id: 'f-1', article: article('f-1', 'Вторая версия') })
    await coordinator.start()
    // The primary's message for the first change arrives after the start replayed both.
    expect(await coordinator.applyCommitted(first)).toEqual({ existed: undefined })
    const snapshot = store.current()
    if (snapshot === undefined) throw new Error('no index live')
    expect((await getDocument(snapshot, 'f-1'))?.title).toBe('Вторая версия')
  })

  it('leaves the change log to the primary: a torn last line is not cut by a worker', async () => {
    const indexDir = await builtIndex()
    const { coordinator, primary } = await followerFor(indexDir)
    await primary.append({ op: 'delete', id: 'n-1' })
    await writeFile(changeLogPath(indexDir), `${await readFile(changeLogPath(indexDir), 'utf8')}{"seq":2,"op":"del`)
    await coordinator.start()
    expect(await readFile(changeLogPath(indexDir), 'utf8')).toMatch(/"op":"del$/)
    expect(coordinator.status().changes).toEqual({ logged: 1, lastSeq: 1 })
  })

  it('does not rebuild a missing index unless it is the builder, and skips changes until an index is live', async () => {
    const indexDir = await tempDir()
    const { coordinator, store, primary, logs } = await followerFor(indexDir, { rebuildWhenEmpty: false })
    await coordinator.start()
    expect(coordinator.status().state).toBe('idle')
    expect(logs).toContain('no usable index: serving 503 until another process publishes one')
    const change = await primary.append({ op: 'delete', id: 'n-1' })
    expect(await coordinator.applyCommitted(change)).toEqual({ existed: undefined })
    expect(store.current()).toBeUndefined()
  })

  it('hands a rebuild request to the builder when told how', async () => {
    const indexDir = await builtIndex()
    const answer: RebuildAnswer = { outcome: 'started', buildId: 'elsewhere', joined: true }
    const { coordinator } = await followerFor(indexDir, { forwardRebuild: async () => answer })
    await coordinator.start()
    expect(await coordinator.startRebuild()).toBe(answer)
    expect(coordinator.status().state).toBe('idle')
  })
})
