import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex, type BuildResult } from '../../src/index/build-index.js'
import { loadBuild, type Snapshot } from '../../src/index/open-index.js'
import { onTestFinished } from 'vitest'
import { tempDir } from './temp-dir.js'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export const FIXTURE_CORPUS = 'tests/fixtures/corpus'

/** Builds an index of `corpusPaths` in a temporary folder and loads it. */
export async function buildFixtureIndex (corpusPaths = [FIXTURE_CORPUS], indexDir?: string): Promise<{ indexDir: string, build: BuildResult, snapshot: Snapshot }> {
  const dir = indexDir ?? await tempDir('poisk-index-')
  const analyzer = createDefaultAnalyzer()
  const build = await buildIndex({ corpusPaths, indexDir: dir, analyzer })
  const snapshot = await loadBuild(dir, build.buildId, analyzer)
  onTestFinished(async () => await snapshot.documents.close())
  return { indexDir: dir, build, snapshot }
}

/** An index of `records` (corpus records, written as JSON lines into a temporary corpus), built and loaded. */
export async function indexOfArticles (records: readonly object[]): Promise<Snapshot> {
  const corpus = await tempDir('poisk-corpus-')
  await writeFile(join(corpus, 'articles.jsonl'), records.map(record => JSON.stringify(record)).join('\n') + '\n')
  return (await buildFixtureIndex([corpus])).snapshot
}
