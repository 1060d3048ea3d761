/**
 * Decides whether the live build can be served for a corpus: same index format, same
 * analyzer, same MiniSearch (the checks loadBuild makes), same corpus content. `npm start`
 * rebuilds when it cannot.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { corpusDigest, listCorpusFiles } from '../corpus/corpus-files.js'
import { DEFAULT_TIME_ZONE } from '../corpus/dates.js'
import { databaseSourceOf, sourceDigest } from '../corpus/postgres-source.js'
import { buildPath, readCurrentBuildId } from './index-directory.js'
import { INDEX_FORMAT_VERSION, readManifest } from './manifest.js'
import { minisearchVersion } from './versions.js'

export type Freshness = { fresh: true, buildId: string } | { fresh: false, reason: string }

/** `timeZone`: TIME_ZONE now; a build read in another zone holds other instants for the corpus's zone-less times. */
export async function indexFreshness (indexDir: string, corpusPaths: string[], analyzer: Analyzer, timeZone = DEFAULT_TIME_ZONE): Promise<Freshness> {
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
  // Builds from before TIME_ZONE read zone-less times as UTC: rebuilt, as for another zone.
  const builtIn = manifest.timeZone ?? 'UTC (before TIME_ZONE)'
  if (builtIn !== timeZone) return { fresh: false, reason: `TIME_ZONE changed (${builtIn} → ${timeZone})` }
  // A database corpus's digest names its source, not its rows: the build matches it, and `serve --follow` brings it current.
  const database = databaseSourceOf(corpusPaths)
  const digest = database === undefined ? await corpusDigest(await listCorpusFiles(corpusPaths)) : sourceDigest(database)
  if (manifest.corpusDigest !== digest) return { fresh: false, reason: 'the corpus changed' }
  return { fresh: true, buildId }
}
