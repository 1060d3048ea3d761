/**
 * Runs an index build for the command line: progress, one line per skipped record (up to a
 * limit, then a count) and a closing summary by reason.
 */
import { relative } from 'node:path'
import type { Analyzer } from '../analysis/analyzer.js'
import { DEFAULT_TIME_ZONE } from '../corpus/dates.js'
import { buildIndex, type BuildResult } from '../index/build-index.js'
import type { CorpusSummary } from '../index/manifest.js'
import { createProgressReporter } from './progress.js'

const MAX_SKIP_LINES = 50
const MAX_WARNING_LINES = 50

/** `timeZone`: TIME_ZONE, the zone of corpus dates written without one. */
export async function runBuild (corpusPaths: string[], indexDir: string, analyzer: Analyzer, quiet = false, timeZone = DEFAULT_TIME_ZONE): Promise<BuildResult> {
  const progress = createProgressReporter()
  const started = performance.now()
  let skipLines = 0
  let warningLines = 0
  let result: BuildResult
  try {
    result = await buildIndex({
      corpusPaths,
      indexDir,
      analyzer,
      timeZone,
      onProgress: quiet ? undefined : p => progress.update(p),
      onSkip: event => {
        skipLines += 1
        if (skipLines <= MAX_SKIP_LINES) {
          process.stderr.write(`skipped ${relative(process.cwd(), event.location.file)}:${event.location.line}: ${event.reason}: ${event.message}\n`)
        }
      },
      onWarning: (location, warning) => {
        warningLines += 1
        if (warningLines <= MAX_WARNING_LINES) {
          process.stderr.write(`warning ${relative(process.cwd(), location.file)}:${location.line}: ${warning.reason}: ${warning.message}\n`)
        }
      }
    })
  } finally {
    progress.stop()
  }
  if (skipLines > MAX_SKIP_LINES) process.stderr.write(`… and ${skipLines - MAX_SKIP_LINES} more skipped records\n`)
  if (warningLines > MAX_WARNING_LINES) process.stderr.write(`… and ${warningLines - MAX_WARNING_LINES} more warnings\n`)
  process.stdout.write(formatSummary(result.manifest.summary, result.buildId, result.dir, performance.now() - started))
  return result
}

export function formatSummary (summary: CorpusSummary, buildId: string, dir: string, elapsedMs: number): string {
  const reasons = Object.entries(summary.skippedByReason).map(([reason, count]) => `${reason} ${count}`).join(', ')
  const warnings = Object.entries(summary.warnedByReason ?? {}).map(([reason, count]) => `${reason} ${count}`).join(', ')
  return [
    `indexed ${summary.indexed} documents (${summary.articles} articles, ${summary.headlines} headlines) in ${(elapsedMs / 1000).toFixed(1)} s`,
    `skipped ${summary.skipped}${reasons === '' ? '' : ` (${reasons})`}; merged ${summary.mergedHeadlines} repeated headlines`,
    ...(summary.warned === undefined || summary.warned === 0 ? [] : [`indexed with warnings ${summary.warned} (${warnings}): the field was stored as absent`]),
    `published build ${buildId} at ${relative(process.cwd(), dir) || dir}`,
    ''
  ].join('\n')
}
