/**
 * The analyzers poisk ships, found again by their version string: a worker thread cannot
 * be handed an analyzer (functions do not cross threads), so it is told the version and
 * builds the same analyzer itself. An analyzer not listed here (a test's own) is simply
 * not run in workers.
 */
import { createAnalyzer, type Analyzer } from './analyzer.js'
import { createDefaultAnalyzer } from './default-analyzer.js'

const FACTORIES: ReadonlyArray<() => Analyzer> = [createDefaultAnalyzer, createAnalyzer]

/** A fresh analyzer with this version, or undefined if poisk has none. */
export function analyzerForVersion (version: string): Analyzer | undefined {
  for (const create of FACTORIES) {
    const analyzer = create()
    if (analyzer.version === version) return analyzer
  }
  return undefined
}
