// One build of a corpus with poisk's build path, and where its CPU time went: per thread, from
// /proc/self/task (Linux), the main thread named, the others largest first (the analysis worker,
// the corpus reader, then V8's and libuv's helpers), with the main thread's GC pauses by kind.
// On shared cores wall time follows the machine's load; per-thread CPU time much less so.
// Usage: npm run build && node bench/build-cpu.js [--corpus FILE] [--dir DIR] [--dist DIR]
// (--dist: another build's dist/ folder, e.g. a copy of main's, for a same-session comparison).
import { readdirSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { constants, PerformanceObserver } from 'node:perf_hooks'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '../shared/corpora/rt.jsonl.gz' },
    dir: { type: 'string', default: '.tmp/build-cpu' },
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname }
  }
})
const dist = pathToFileURL(resolve(values.dist)).href
const { buildIndex } = await import(`${dist}/index/build-index.js`)
const { createDefaultAnalyzer } = await import(`${dist}/analysis/default-analyzer.js`)
const dir = resolve(values.dir)
await rm(dir, { recursive: true, force: true })

const TICKS_PER_SECOND = 100
/** Thread id → CPU seconds, sampled while the build runs (a worker's counters vanish when it exits). */
const threads = new Map()
function sampleThreads () {
  for (const id of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      threads.set(id, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND)
    } catch {
      // the thread has just ended: its last sample stands
    }
  }
}
const gcMs = {}
const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak'
}
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[entry.detail?.kind] ?? String(entry.detail?.kind)
    gcMs[kind] = (gcMs[kind] ?? 0) + entry.duration
  }
}).observe({ entryTypes: ['gc'] })

const timer = setInterval(sampleThreads, 100)
const cpuBefore = process.cpuUsage()
const started = performance.now()
const result = await buildIndex({ corpusPaths: [resolve(values.corpus)], indexDir: dir, analyzer: createDefaultAnalyzer() })
const wallS = (performance.now() - started) / 1000
const cpu = process.cpuUsage(cpuBefore)
clearInterval(timer)
sampleThreads()
const main = String(process.pid)
const round = value => Math.round(value * 100) / 100
console.log(JSON.stringify({
  wallS: round(wallS),
  cpuS: round((cpu.user + cpu.system) / 1e6),
  mainThreadS: round(threads.get(main) ?? 0),
  otherThreadsS: [...threads].filter(([id, seconds]) => id !== main && seconds >= 0.1).map(([, seconds]) => round(seconds)).sort((a, b) => b - a),
  mainGcMs: Object.fromEntries(Object.entries(gcMs).map(([kind, ms]) => [kind, Math.round(ms)])),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  files: result.manifest.files.map(file => `${file.name} ${file.sha256.slice(0, 12)}`)
}))
