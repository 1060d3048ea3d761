/**
 * Decides whether the live build can be served for a corpus: same index format, same
 * analyzer, same MiniSearch (the checks loadBuild makes), same corpus content. `npm start`
 * rebuilds when it cannot.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { corpusDigest, listCorpusFiles } from '../corpus/corpus-files.js'
import { buildPath, readCurrentBuildId } from './index-directory.js'
import { INDEX_FORMAT_VERSION, readManifest } from './manifest.js'
import { minisearchVersion } from './versions.js'

export type Freshness = { fresh: true, buildId: string } | { fresh: false, reason: string }

export async function indexFreshness (indexDir: string, corpusPaths: string[], analyzer: Analyzer): Promise<Freshness> {
  const buildId = await readCurrentBuildId(indexDir)
  if (buildId === undefined) return { fresh: false, reason: 'no index has been built yet' }
  let manifest
  try {
    manifest = await readManifest(buildPath(indexDir, buildId))
  } catch (error) {
    return { fresh: false, reason: `the live build's manifest is unreadable (${(error as Error).message})` }
  }
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) return { fresh: false, reason: 'the index format changed' }
  if (manifest.analyzerVersion !== analyzer.version) {
    return { fresh: false, reason: `the analyzer changed (${manifest.analyzerVersion} → ${analyzer.version})` }
  }
  if (manifest.minisearchVersion !== minisearchVersion) {
    return { fresh: false, reason: `MiniSearch changed (${String(manifest.minisearchVersion)} → ${minisearchVersion})` }
  }
  const digest = await corpusDigest(await listCorpusFiles(corpusPaths))
  if (manifest.corpusDigest !== digest) return { fresh: false, reason: 'the corpus changed' }
  return { fresh: true, buildId }
}
