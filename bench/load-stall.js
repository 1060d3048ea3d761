// Measures how long loading a built index blocks the event loop: the longest gap between
// ticks of a 1 ms timer, and monitorEventLoopDelay's max/p99, while `loadBuild` runs.
// Usage: npm run build && node bench/load-stall.js INDEX_DIR [runs]
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createDefaultAnalyzer } from '../dist/analysis/default-analyzer.js'
import { readCurrentBuildId } from '../dist/index/index-directory.js'
import { loadBuild } from '../dist/index/open-index.js'

const indexDir = process.argv[2]
const runs = Number(process.argv[3] ?? 3)
if (indexDir === undefined) {
  console.error('usage: node bench/load-stall.js INDEX_DIR [runs]')
  process.exit(2)
}
const buildId = await readCurrentBuildId(indexDir)
const analyzer = createDefaultAnalyzer()

for (let run = 1; run <= runs; run += 1) {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  let last = performance.now()
  let longestGap = 0
  const ticker = setInterval(() => {
    const now = performance.now()
    longestGap = Math.max(longestGap, now - last)
    last = now
  }, 1)
  histogram.enable()
  const started = performance.now()
  const snapshot = await loadBuild(indexDir, buildId, analyzer)
  const loadMs = performance.now() - started
  histogram.disable()
  clearInterval(ticker)
  console.log(JSON.stringify({
    run,
    buildId,
    documents: snapshot.miniSearch.documentCount,
    loadMs: Math.round(loadMs),
    longestGapMs: Math.round(longestGap),
    eventLoopDelayMaxMs: Math.round(histogram.max / 1e6),
    eventLoopDelayP99Ms: Math.round(histogram.percentile(99) / 1e6)
  }))
  await snapshot.documents.close()
}
