import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import { ChangeLog } from '../../src/live/change-log.js'
import { BuildAbortedError } from '../../src/errors.js'
import { readCurrentBuildId } from '../../src/index/index-directory.js'
import { search } from '../../src/search/search.js'
import { buildFixtureIndex, FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { newsText, withWordsReplaced } from '../fixtures/near-duplicate-texts.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('buildIndex', () => {
  it('indexes every format and writes a manifest', async () => {
    const { build, snapshot, indexDir } = await buildFixtureIndex()
    const { manifest } = build
    expect(manifest.documentCount).toBe(9)
    expect(manifest.summary).toMatchObject({ seen: 9, indexed: 9, articles: 7, headlines: 2, skipped: 0 })
    expect(manifest.analyzerVersion).toBe(createDefaultAnalyzer().version)
    expect(manifest.corpusDigest).toMatch(/^[0-9a-f]{64}$/)
    expect(manifest.files.map(file => file.name).sort()).toEqual(['docs.bin', 'docs.dict', 'duplicates.bin', 'index.bin', 'suggest.bin'])
    // The build's scratch files (its postings, kept out of memory) are not published with it.
    expect((await readdir(build.dir)).sort()).toEqual(['docs.bin', 'docs.dict', 'duplicates.bin', 'index.bin', 'manifest.json', 'suggest.bin'])
    expect(await readCurrentBuildId(indexDir)).toBe(build.buildId)
    expect(snapshot.miniSearch.documentCount).toBe(9)
  })

  it('folds logged changes in, with their word forms: a snippet marks the forms only a change brought', async () => {
    const indexDir = await tempDir()
    const { log } = await ChangeLog.open(indexDir)
    const title = 'Туристы шли пешком через перевал'
    await log.append({ op: 'put', id: 'live-1', article: { id: 'live-1', kind: 'article', title, body: `${title}. Они шли долго.`, tags: [] } })
    await log.close()
    const { build, snapshot } = await buildFixtureIndex([FIXTURE_CORPUS], indexDir)
    expect(build.manifest.changesApplied).toBe(1)
    const hit = (await search(snapshot, { q: 'идти', limit: 5, offset: 0 })).hits.find(found => found.id === 'live-1')
    expect(hit?.titleHtml).toBe('Туристы <mark>шли</mark> пешком через перевал')
  })

  it('folds logged changes into every part of the build: the index, the suggestions and the near-duplicate groups', async () => {
    const indexDir = await tempDir()
    const { log } = await ChangeLog.open(indexDir)
    const article = (id: string, title: string, body: string): { op: 'put', id: string, article: { id: string, kind: 'article', title: string, body: string, tags: string[] } } =>
      ({ op: 'put', id, article: { id, kind: 'article', title, body, tags: [] } })
    const text = newsText(41)
    await log.append(article('copy-1', 'Первая копия', text))
    await log.append(article('copy-2', 'Вторая копия', withWordsReplaced(text, 0.05)))
    await log.append(article('gone', 'Кратковременный ливень', 'Ливень прошёл.'))
    await log.append({ op: 'delete', id: 'gone' })
    await log.close()
    const { build, snapshot } = await buildFixtureIndex([FIXTURE_CORPUS], indexDir)
    expect(build.manifest.changesApplied).toBe(4)
    expect(build.manifest.documentCount).toBe(11)
    expect(snapshot.duplicates.membersOf('copy-2')).toEqual(['copy-1', 'copy-2'])
    expect(snapshot.suggestions?.form('копия')).toBeDefined()
    expect((await search(snapshot, { q: 'ливень', limit: 5, offset: 0 })).hits).toEqual([])
    expect(snapshot.miniSearch.has('copy-2')).toBe(true)
  })

  it('counts malformed and duplicate records as skipped, by reason', async () => {
    const corpus = await tempDir()
    await writeFile(join(corpus, 'a.jsonl'), [
      JSON.stringify({ id: '1', title: 'Первая' }),
      'не json',
      JSON.stringify({ id: '1', title: 'Повтор id' }),
      JSON.stringify({ id: '2', title: 'Вторая' })
    ].join('\n'))
    const { build } = await buildFixtureIndex([corpus])
    expect(build.manifest.summary).toMatchObject({ seen: 4, indexed: 2, skipped: 2, skippedByReason: { 'invalid-json': 1, 'duplicate-id': 1 } })
  })

  it('merges a headline listed in several pages, and one equal to an indexed article', async () => {
    const corpus = await tempDir()
    const page = (title: string, feed: string[]): string => [title, 'Текст.', 'Читайте также:', ...feed.map(item => `- ${item}`)].join('\n')
    await writeFile(join(corpus, 'a.txt'), page('Статья А', ['Общий заголовок', 'Статья Б']))
    await writeFile(join(corpus, 'b.txt'), page('Статья Б', ['Общий заголовок']))
    const { build } = await buildFixtureIndex([corpus])
    expect(build.manifest.summary).toMatchObject({ articles: 2, headlines: 1, mergedHeadlines: 2 })
  })

  it('leaves no temporary folder behind, and the previous build in place, when a build fails', async () => {
    const { indexDir, build } = await buildFixtureIndex()
    await expect(buildIndex({ corpusPaths: ['no/such/path'], indexDir, analyzer: createDefaultAnalyzer() })).rejects.toThrow()
    const failingCorpus = await tempDir()
    await writeFile(join(failingCorpus, 'a.jsonl'), JSON.stringify({ id: 'x', title: 'x' }))
    const failing = buildIndex({
      corpusPaths: [failingCorpus],
      indexDir,
      analyzer: createDefaultAnalyzer(),
      onProgress: () => { throw new Error('disk full (simulated)') }
    })
    await expect(failing).rejects.toThrow('disk full (simulated)')
    expect((await readdir(indexDir)).filter(name => name.startsWith('.tmp-'))).toEqual([])
    expect(await readCurrentBuildId(indexDir)).toBe(build.buildId)
  })

  it('is deterministic: two builds of one corpus give identical results', async () => {
    const { snapshot, build } = await buildFixtureIndex()
    const first = await search(snapshot, { q: 'Дуров Франция', limit: 10, offset: 0 })
    const { snapshot: reloaded } = await buildFixtureIndex(undefined, undefined)
    const second = await search(reloaded, { q: 'Дуров Франция', limit: 10, offset: 0 })
    expect(second.hits.map(hit => [hit.id, hit.score])).toEqual(first.hits.map(hit => [hit.id, hit.score]))
    expect(build.manifest.documentCount).toBe(reloaded.manifest.documentCount)
  })

  it('builds the same index files with analysis in worker threads as on the main thread', async () => {
    const fileHashes = async (analysisWorkers: number): Promise<Record<string, string>> => {
      const { manifest } = await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir: await tempDir(), analyzer: createDefaultAnalyzer(), analysisWorkers })
      return Object.fromEntries(manifest.files.map(file => [file.name, file.sha256]))
    }
    const inProcess = await fileHashes(0)
    expect(await fileHashes(2)).toEqual(inProcess)
  })

  it('builds the same index, summary and skip reports with the corpus read in a worker thread', async () => {
    const corpus = await tempDir()
    await writeFile(join(corpus, 'a.jsonl'), [
      JSON.stringify({ id: '1', title: 'Первая', body: 'Дуров прилетел во Францию.' }),
      'не json',
      JSON.stringify({ id: '2', body: 'без заголовка' }),
      JSON.stringify({ id: '3', title: 'Третья', body: 'Суд во Франции.' })
    ].join('\n'))
    const build = async (readInWorker: boolean): Promise<unknown> => {
      const skips: unknown[] = []
      const { manifest } = await buildIndex({
        corpusPaths: [FIXTURE_CORPUS, corpus], indexDir: await tempDir(), analyzer: createDefaultAnalyzer(), readInWorker, onSkip: skip => skips.push(skip)
      })
      return { files: manifest.files.map(file => [file.name, file.sha256]), summary: manifest.summary, skips }
    }
    const onMainThread = await build(false)
    expect(onMainThread).toMatchObject({ summary: { skipped: 2, skippedByReason: { 'invalid-json': 1, 'missing-title': 1 } } })
    expect(await build(true)).toEqual(onMainThread)
  })

  it('stops a build with analysis and reader threads when aborted, leaving nothing behind', async () => {
    const indexDir = await tempDir()
    const controller = new AbortController()
    const build = buildIndex({
      corpusPaths: [FIXTURE_CORPUS],
      indexDir,
      analyzer: createDefaultAnalyzer(),
      analysisWorkers: 2,
      readInWorker: true,
      signal: controller.signal,
      onProgress: progress => { if (progress.indexed >= 2) controller.abort() },
      progressIntervalMs: 0
    })
    await expect(build).rejects.toThrow(BuildAbortedError)
    expect((await readdir(indexDir)).filter(name => name.startsWith('.tmp-'))).toEqual([])
    expect(await readCurrentBuildId(indexDir)).toBeUndefined()
  })
})
