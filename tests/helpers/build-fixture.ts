import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex, type BuildResult } from '../../src/index/build-index.js'
import { loadBuild, type Snapshot } from '../../src/index/open-index.js'
import { onTestFinished } from 'vitest'
import { tempDir } from './temp-dir.js'

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
