// @ts-check
/**
 * One measurement in a fresh process, so heap and peak RSS belong to that system alone:
 *   node --expose-gc bench/child.js '{"system":"poisk","task":"build",...}'
 * Prints one JSON line with the results. poisk is reached only through its stable entry
 * points (buildIndex, openNewestUsable, search), so the bench survives changes inside.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readDocs } from './corpus.js'
import { createMiniSearch, loadMiniSearch, searchTopTen } from './minisearch-baseline.js'
import { queryLatency, stallMonitor } from './stats.js'

const MB = 1024 * 1024

/** @typedef {{ system: string, task: 'build' | 'query', corpus?: string, dir: string, queries?: string[], skipHeap?: boolean }} Task */

const task = /** @type {Task} */ (JSON.parse(process.argv[2] ?? '{}'))

function heapAfterGc () {
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc)
  if (gc === undefined) throw new Error('run with --expose-gc')
  gc()
  gc()
  return process.memoryUsage().heapUsed / MB
}

function peakRssMb () {
  return process.resourceUsage().maxRSS / 1024
}

/** Samples heap use while a build runs (only when the build lets timers run). */
function heapSampler () {
  let peak = process.memoryUsage().heapUsed
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed) }, 50)
  return { stop () { clearInterval(timer); return Math.max(peak, process.memoryUsage().heapUsed) / MB } }
}

async function poiskModules () {
  const [{ buildIndex }, { openNewestUsable }, { search, rankAll }, { createDefaultAnalyzer }] = await Promise.all([
    import('../dist/index/build-index.js'),
    import('../dist/index/open-index.js'),
    import('../dist/search/search.js'),
    import('../dist/analysis/default-analyzer.js')
  ])
  return { buildIndex, openNewestUsable, search, rankAll, createDefaultAnalyzer }
}

async function poiskBuild () {
  const poisk = await poiskModules()
  const analyzer = poisk.createDefaultAnalyzer()
  await rm(task.dir, { recursive: true, force: true })
  const sampler = heapSampler()
  const started = performance.now()
  const result = await poisk.buildIndex({ corpusPaths: [/** @type {string} */ (task.corpus)], indexDir: task.dir, analyzer })
  const buildMs = performance.now() - started
  const peakHeapMb = sampler.stop()
  const peakRssDuringBuildMb = peakRssMb()
  // The built index held in memory, as a server holds it: load what was just published
  // (skipped where the server's own start is measured instead: the Lenta-shaped bench).
  let heapMb = NaN
  if (task.skipHeap !== true) {
    const { snapshot } = await poisk.openNewestUsable(task.dir, analyzer)
    heapMb = heapAfterGc()
    await snapshot?.documents.close()
  }
  // The search index apart from the document store (full texts, for snippets), which MiniSearch's JSON does not hold.
  const files = /** @type {{ name: string, bytes: number }[]} */ (result.manifest.files)
  const isStore = (/** @type {{ name: string }} */ file) => file.name.startsWith('docs.')
  const total = (/** @type {{ bytes: number }[]} */ list) => list.reduce((sum, file) => sum + file.bytes, 0)
  return { buildMs, documents: result.manifest.documentCount, heapMb, peakHeapMb, peakRssMb: peakRssDuringBuildMb, indexBytes: total(files.filter(file => !isStore(file))), storeBytes: total(files.filter(isStore)) }
}

async function poiskQuery () {
  const poisk = await poiskModules()
  const analyzer = poisk.createDefaultAnalyzer()
  const stall = stallMonitor()
  const started = performance.now()
  const { snapshot } = await poisk.openNewestUsable(task.dir, analyzer)
  const loadMs = performance.now() - started
  if (snapshot === undefined) throw new Error(`no usable index in ${task.dir}`)
  // Searchable from here; the documents file (when within the memory budget) goes on being read
  // into memory in the background. The stall is watched until that is done too, and queries are
  // timed after it: the steady state a server reaches a moment after a load.
  const documentsInMemory = await snapshot.documents.inMemoryReady
  const documentsReadyMs = performance.now() - started
  const stallMs = stall.stop()
  // Like the baselines' top ten (ids, scores, stored fields): the query analysed, planned, scored and ranked.
  const ranked = async (/** @type {string} */ q) => { (await poisk.rankAll(snapshot, { q })).results.top(10) }
  // What GET /search returns besides: the ten documents read from the store, snippets and marked titles.
  const page = async (/** @type {string} */ q) => { await poisk.search(snapshot, { q, limit: 10, offset: 0 }) }
  const latency = await timeQueries(ranked)
  const pageLatency = await timeQueries(page)
  await snapshot.documents.close()
  return { loadMs, loadStallMs: stallMs, documentsInMemory, documentsReadyMs, ...latency, pageP50Ms: pageLatency.p50Ms, pageP95Ms: pageLatency.p95Ms, pageP99Ms: pageLatency.p99Ms }
}

/** @param {'minisearch' | 'snowball'} variant */
async function miniSearchBuild (variant) {
  const sampler = heapSampler()
  const started = performance.now()
  const index = createMiniSearch(variant)
  let documents = 0
  for await (const doc of readDocs(/** @type {string} */ (task.corpus))) {
    index.add({ id: doc.id, title: doc.title, body: doc.body })
    documents += 1
  }
  const buildMs = performance.now() - started
  const peakHeapMb = sampler.stop()
  const heapMb = heapAfterGc()
  const peakRss = peakRssMb()
  await mkdir(task.dir, { recursive: true })
  let indexBytes = NaN
  let saveError
  try {
    const json = JSON.stringify(index)
    await writeFile(join(task.dir, 'index.json'), json)
    indexBytes = Buffer.byteLength(json)
  } catch (error) {
    saveError = /** @type {Error} */ (error).message // JSON.stringify past V8's string limit
  }
  return { buildMs, documents, heapMb, peakHeapMb, peakRssMb: peakRss, indexBytes, ...(saveError === undefined ? {} : { saveError }) }
}

/** @param {'minisearch' | 'snowball'} variant */
async function miniSearchQuery (variant) {
  const json = await readFile(join(task.dir, 'index.json'), 'utf8')
  const stall = stallMonitor()
  const started = performance.now()
  const index = loadMiniSearch(variant, json)
  const loadMs = performance.now() - started
  await new Promise(resolve => setTimeout(resolve, 5))
  const stallMs = stall.stop()
  const latency = await timeQueries(async q => { searchTopTen(index, q) })
  return { loadMs, loadStallMs: stallMs, ...latency }
}

/** @param {(q: string) => Promise<void>} run */
async function timeQueries (run) {
  return await queryLatency(task.queries ?? [], run)
}

const TASKS = {
  'poisk:build': poiskBuild,
  'poisk:query': poiskQuery,
  'minisearch:build': () => miniSearchBuild('minisearch'),
  'minisearch:query': () => miniSearchQuery('minisearch'),
  'snowball:build': () => miniSearchBuild('snowball'),
  'snowball:query': () => miniSearchQuery('snowball')
}

const run = TASKS[/** @type {keyof typeof TASKS} */ (`${task.system}:${task.task}`)]
if (run === undefined) throw new Error(`no task ${task.system}:${task.task}`)
const result = await run()
process.stdout.write(`${JSON.stringify(result)}\n`)
