// @ts-check
/**
 * `npm run bench -- --shape lenta --docs 200000,400000,800000 [--swap]`: poisk on the
 * Lenta-shaped archive (lenta-shape.js) at each size, and on rt ×1 in the same run for
 * comparison: the build (time, peak RSS, folder) in a fresh process, as the scale curve
 * measures it, then a real `poisk serve` start (serve-start.js: listen, /health during the
 * load, live, longest stall, RSS and GET /search latency after 300 queries). `--swap` adds
 * POST /admin/reindex at the largest size while 16 clients search. Every row is printed with
 * its target (issue #16) and the plot goes to docs/bench-lenta.svg.
 */
import { rm } from 'node:fs/promises'
import { scaledCorpus } from './corpus.js'
import { lentaCorpus } from './lenta-shape.js'
import { measureServeStart, measureSwap } from './serve-start.js'
import { scalePlot } from './plot.js'

const MB = 1024 * 1024

/** The targets of issue #16, per measure: [label, key, unit, limit, scale to the unit]. */
export const LENTA_TARGETS = /** @type {const} */ ([
  ['build time', 'buildS', 's', 240],
  ['build peak RSS', 'buildPeakRssGb', 'GB', 3],
  ['build folder', 'folderGb', 'GB', 2.5],
  ['serve listens after', 'listenMs', 'ms', 1000],
  ['/health\'s longest answer during the load', 'healthMaxMs', 'ms', 100],
  ['longest event-loop stall since start', 'stallMaxMs', 'ms', 100],
  ['live after start', 'liveS', 's', 10],
  ['server RSS after load and 300 queries', 'rssGb', 'GB', 1],
  ['GET /search p99 (300 tag queries)', 'searchP99Ms', 'ms', 50],
  ['GET /search p50 (300 tag queries)', 'searchP50Ms', 'ms', 10]
])

/**
 * @param {import('./options.js').BenchOptions} options
 * @param {(task: Record<string, unknown>) => Promise<Record<string, number | string>>} child
 * @param {string[]} queries
 * @param {(message: string) => void} log
 */
export async function lentaBench (options, child, queries, log) {
  /** @type {{ label: string, documents: number, bytes: number, row: Record<string, number>, error?: string }[]} */
  const points = []
  const sizes = [{ label: 'rt ×1', documents: 0 }, ...options.docs.map(documents => ({ label: `lenta ${documents / 1000}k`, documents }))]
  /** @type {Record<string, number> | undefined} */
  let swap
  for (const size of sizes) {
    const corpus = size.documents === 0 ? await scaledCorpus(options.corpus, 1, options.workDir) : await lentaCorpus(options.corpus, size.documents)
    log(`${size.label}: ${corpus.documents} documents, ${(corpus.bytes / MB).toFixed(0)} MB of JSON lines (${corpus.path})`)
    const dir = `${options.workDir}/index/lenta-${corpus.documents}`
    try {
      log(`${size.label}: build`)
      const build = await child({ system: 'poisk', task: 'build', corpus: corpus.path, dir, skipHeap: true })
      log(`${size.label}: serve start`)
      const isLargest = size.documents === Math.max(...options.docs)
      const serveRun = await measureServeStart({ indexDir: dir, queries, keep: options.swap && isLargest, ...(options.swap && isLargest ? { corpus: corpus.path } : {}) })
      if (options.swap && isLargest) {
        const { url, stop } = /** @type {{ url: string, stop: () => Promise<void> }} */ (/** @type {unknown} */ (serveRun))
        try {
          log(`${size.label}: POST /admin/reindex while 16 clients search`)
          swap = await measureSwap({ url, indexDir: dir, queries })
        } finally {
          await stop()
        }
      }
      const started = /** @type {Record<string, number>} */ (/** @type {unknown} */ (serveRun))
      points.push({
        label: size.label,
        documents: corpus.documents,
        bytes: corpus.bytes,
        row: {
          buildS: Number(build.buildMs) / 1000,
          buildPeakRssGb: Number(build.peakRssMb) / 1024,
          folderGb: (Number(build.indexBytes) + Number(build.storeBytes)) / 2 ** 30,
          indexMb: Number(build.indexBytes) / MB,
          storeMb: Number(build.storeBytes) / MB,
          listenMs: started.listenMs,
          healthMaxMs: started.healthMaxMs,
          stallMaxMs: started.stallMaxMs,
          liveS: started.liveMs / 1000,
          readyS: started.readyMs / 1000,
          rssGb: started.rssMb / 1024,
          searchP99Ms: started.searchP99Ms,
          searchP50Ms: started.searchP50Ms
        }
      })
      log(`${size.label}: ${JSON.stringify(points.at(-1)?.row)}`)
    } catch (error) {
      log(`${size.label} failed: ${/** @type {Error} */ (error).message}`)
      points.push({ label: size.label, documents: corpus.documents, bytes: corpus.bytes, row: {}, error: /** @type {Error} */ (error).message.split('\n')[0] })
    } finally {
      if (!options.keep) await rm(dir, { recursive: true, force: true })
    }
  }
  return { points, swap }
}

/** The table: one row per measure, one column per size, the target and whether the largest meets it. @param {Awaited<ReturnType<typeof lentaBench>>} result */
export function lentaTable ({ points, swap }) {
  const header = ['measure', ...points.map(p => `${p.label} (${p.documents.toLocaleString('en')} docs)`), 'target', `met at ${points.at(-1)?.label ?? '–'}`]
  const rows = LENTA_TARGETS.map(([label, key, unit, limit]) => {
    const last = points.at(-1)?.row[key]
    return [`${label} (${unit})`, ...points.map(p => format(p.row[key])), `≤ ${limit} ${unit}`, last === undefined || !Number.isFinite(last) ? 'not measured' : last <= limit ? 'yes' : 'NO']
  })
  rows.push(['start-up work done (headline vocabulary), after start (s)', ...points.map(p => format(p.row.readyS)), 'none (reference)', '–'])
  rows.push(['index.bin, duplicates.bin and suggest.bin (MB)', ...points.map(p => format(p.row.indexMb)), 'none (reference)', '–'])
  rows.push(['docs.bin and docs.dict (MB)', ...points.map(p => format(p.row.storeMb)), 'none (reference)', '–'])
  rows.push(['JSON lines read (GB)', ...points.map(p => format(p.bytes / 2 ** 30)), 'none (reference)', '–'])
  /** @type {string[][]} */
  const swapRows = swap === undefined
    ? []
    : [
        ['failed requests', String(swap.failed), '0', swap.failed === 0 ? 'yes' : 'NO'],
        ['/health\'s longest answer, build to swap (ms)', format(swap.healthMaxMs), '≤ 100 ms', swap.healthMaxMs <= 100 ? 'yes' : 'NO'],
        ['… while the build runs (ms)', format(swap.healthMaxBuildMs), '≤ 100 ms', swap.healthMaxBuildMs <= 100 ? 'yes' : 'NO'],
        ['… from the build\'s end: load, checks, swap (ms)', format(swap.healthMaxSwapMs), '≤ 100 ms', swap.healthMaxSwapMs <= 100 ? 'yes' : 'NO'],
        ['longest event-loop stall, load to swap (ms)', format(swap.swapStallMaxMs), '≤ 100 ms', swap.swapStallMaxMs <= 100 ? 'yes' : 'NO'],
        ['load and swap took (s)', format(swap.swapWindowMs / 1000), 'none (reference)', '–'],
        ['search p99 during the load and swap (ms)', format(swap.swapP99Ms), 'reported', '–'],
        ['search p99 / p50 over the whole rebuild (ms)', `${format(swap.p99Ms)} / ${format(swap.p50Ms)}`, 'reported', '–'],
        ['requests during the rebuild, during the swap', `${swap.requests}, ${swap.swapRequests}`, '–', '–']
      ]
  return { main: { header, rows }, swap: { header: ['POST /admin/reindex at the largest size, 16 clients searching', 'value', 'target', 'met'], rows: swapRows } }
}

/** @param {Awaited<ReturnType<typeof lentaBench>>['points']} points */
export function lentaPlot (points) {
  const lenta = points.filter(p => p.label.startsWith('lenta'))
  const line = (/** @type {string} */ key, /** @type {string} */ label) => ({ system: 'poisk', label, points: lenta.map(p => ({ x: p.documents, y: p.row[key] ?? NaN })) })
  return scalePlot([
    { title: 'Build time', yLabel: 's', series: [line('buildS', 'poisk index')] },
    { title: 'Build peak RSS', yLabel: 'GB', series: [line('buildPeakRssGb', 'poisk index')] },
    { title: 'serve: live after start', yLabel: 's', series: [line('liveS', 'serve')] },
    { title: 'Longest event-loop stall', yLabel: 'ms', series: [line('stallMaxMs', 'serve')] },
    { title: 'GET /search p99', yLabel: 'ms', series: [line('searchP99Ms', 'serve')] }
  ])
}

function format (/** @type {number | undefined} */ value) {
  if (value === undefined || !Number.isFinite(value)) return '–'
  if (value >= 100) return value.toFixed(0)
  if (value >= 10) return value.toFixed(1)
  return value.toFixed(2)
}
