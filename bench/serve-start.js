// @ts-check
/**
 * A real `poisk serve` start, measured from outside: how soon it listens, how long /health
 * takes to answer while the index loads (probed every 20 ms on fresh connections), when
 * the index is live (the first 200), the longest event-loop stall since start (prom-client's
 * nodejs_eventloop_lag_max_seconds, scraped once after the load: it holds the maximum since
 * the last scrape), its RSS after the load and a run of GET /search queries, and their
 * latency. `measureSwap` does the same for POST /admin/reindex while clients search.
 *
 *   npm run build && node bench/serve-start.js INDEX_DIR [--cpu-prof DIR] [--workers N] [--load SECONDS] [--flip] [--corpus FILE --swap]
 */
import { spawn } from 'node:child_process'
import { readFile, readdir, rename, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { parseArgs } from 'node:util'
import { tagQueries } from './corpus.js'
import { percentile } from './stats.js'

const TOKEN = 'bench-admin-token-0123456789abcdef'

export async function freePort () {
  const probe = createServer()
  await new Promise(resolve => probe.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = probe.address()
  await new Promise(resolve => probe.close(resolve))
  return typeof address === 'object' && address !== null ? address.port : 0
}

/**
 * One GET on a fresh connection. `status` 0: refused or failed.
 * @param {string} url @param {Record<string, string>} [headers] @param {string} [method]
 * @returns {Promise<{ status: number, ms: number, body: string }>}
 */
export async function get (url, headers = {}, method = 'GET') {
  const started = performance.now()
  return await new Promise(resolve => {
    const req = request(url, { agent: false, headers, method }, response => {
      let body = ''
      response.on('data', chunk => { body += String(chunk) })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, body }))
    })
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started, body: '' }))
    req.end()
  })
}

const sleep = (/** @type {number} */ ms) => new Promise(resolve => setTimeout(resolve, ms))

/** @param {string} text @param {string} name */
function metric (text, name) {
  const line = text.split('\n').find(row => row.startsWith(`${name} `) || row.startsWith(`${name}{`))
  return line === undefined ? NaN : Number(line.split(' ').pop())
}

/**
 * Starts a server and measures its start.
 * @param {{ indexDir: string, queries: string[], corpus?: string, workers?: number, cpuProfDir?: string, searches?: number, keep?: boolean }} options
 */
export async function measureServeStart (options) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const nodeFlags = options.cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir]
  const args = [...nodeFlags, 'bin/poisk.js', 'serve', '--index', options.indexDir, '--port', String(port), '--workers', String(options.workers ?? 1),
    ...(options.corpus === undefined ? [] : ['--corpus', options.corpus])]
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn', RATE_LIMIT_ALLOW_LIST: '127.0.0.1,::1', MAX_EVENT_LOOP_DELAY_MS: '0' },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr?.on('data', chunk => { stderr += String(chunk) })
  let listenMs = NaN
  let liveMs = NaN
  let healthMaxMs = 0
  let probes = 0
  /** @type {Record<string, number>} */
  const answers = {}
  process.once('exit', () => child.kill('SIGKILL'))
  const fail = (/** @type {string} */ message) => {
    child.kill('SIGKILL')
    return new Error(message)
  }
  while (Number.isNaN(liveMs)) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr.slice(-2000)}`)
    if (performance.now() - started > 900_000) throw fail('server not live after 15 min')
    const probe = await get(`${url}/health`)
    if (probe.status !== 0) {
      if (Number.isNaN(listenMs)) listenMs = performance.now() - started - probe.ms
      probes += 1
      healthMaxMs = Math.max(healthMaxMs, probe.ms)
      const status = probe.status === 200 ? 'ok' : (JSON.parse(probe.body || '{}').status ?? String(probe.status))
      answers[status] = (answers[status] ?? 0) + 1
      if (probe.status === 200) liveMs = performance.now() - started
      if (status === 'unavailable') throw fail(`the server has no usable index: ${probe.body}`)
    }
    await sleep(20)
  }
  // A server goes live before its start-up work is done: the headline vocabulary is prepared in
  // the background (/admin/status current.vocabularyReady), and searches made meanwhile compete
  // with it. The queries are measured once it is done, as a started server answers them; the
  // stall covers the whole of it. What the documents file's read into memory adds comes shortly after live.
  const auth = { authorization: `Bearer ${TOKEN}` }
  let readyMs = NaN
  while (Number.isNaN(readyMs)) {
    if (performance.now() - started > 900_000) throw fail('vocabulary not prepared after 15 min')
    const status = await get(`${url}/admin/status`, auth)
    if (status.status === 200 && JSON.parse(status.body).current?.vocabularyReady === true) readyMs = performance.now() - started
    else await sleep(100)
  }
  await sleep(2000)
  const metrics = await get(`${url}/metrics`)
  const stallMaxMs = metric(metrics.body, 'nodejs_eventloop_lag_max_seconds') * 1000
  const latencies = []
  const searches = options.searches ?? 300
  for (let i = 0; i < searches; i += 1) {
    const q = options.queries[i % options.queries.length] ?? 'Путин'
    const answer = await get(`${url}/search?q=${encodeURIComponent(q)}&limit=10`)
    if (answer.status !== 200) throw fail(`search ${q} answered ${answer.status}`)
    latencies.push(answer.ms)
  }
  const after = await get(`${url}/metrics`)
  const result = {
    listenMs,
    liveMs,
    readyMs,
    healthMaxMs,
    healthProbes: probes,
    healthAnswers: answers,
    stallMaxMs,
    rssMb: metric(after.body, 'process_resident_memory_bytes') / 1048576,
    searchP50Ms: percentile(latencies, 50),
    searchP99Ms: percentile(latencies, 99)
  }
  const stop = async () => {
    const exited = new Promise(resolve => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  if (options.keep === true) return { ...result, url, stop }
  await stop()
  return result
}

/**
 * POST /admin/reindex on a live server while `clients` search without pause: every request's
 * latency and status, p99 over the whole run and over the window from the build's end to the
 * swap (the load, the checks and the swap), the longest stall in that time, and /health's
 * longest answer, over all and in either part.
 * @param {{ url: string, indexDir: string, queries: string[], clients?: number }} options
 */
export async function measureSwap (options) {
  const { url, queries } = options
  const auth = { authorization: `Bearer ${TOKEN}` }
  const before = JSON.parse((await get(`${url}/health`)).body).buildId
  /** @type {{ at: number, ms: number, status: number }[]} */
  const requests = []
  let running = true
  let next = 0
  const client = async () => {
    while (running) {
      const q = queries[next++ % queries.length] ?? 'Путин'
      const answer = await get(`${url}/search?q=${encodeURIComponent(q)}&limit=10`)
      requests.push({ at: performance.now(), ms: answer.ms, status: answer.status })
    }
  }
  const clients = Array.from({ length: options.clients ?? 16 }, client)
  await get(`${url}/metrics`) // resets the stall maximum
  const started = await get(`${url}/admin/reindex`, auth, 'POST')
  if (started.status !== 202) throw new Error(`reindex answered ${started.status}: ${started.body}`)
  let builtAt = NaN
  let liveAt = NaN
  // /health's longest answer while the build runs (in its own process, beside the server),
  // and from the build's end to the swap (the server's own load, checks and swap).
  let healthMaxBuildMs = 0
  let healthMaxSwapMs = 0
  while (Number.isNaN(liveAt)) {
    await sleep(100)
    const health = await get(`${url}/health`)
    if (Number.isNaN(builtAt)) healthMaxBuildMs = Math.max(healthMaxBuildMs, health.ms)
    else healthMaxSwapMs = Math.max(healthMaxSwapMs, health.ms)
    // The build is published when CURRENT names it; the server's load and swap follow.
    if (Number.isNaN(builtAt) && (await readFile(`${options.indexDir}/CURRENT`, 'utf8').catch(() => before)).trim() !== before) {
      builtAt = performance.now()
      await get(`${url}/metrics`) // from here on: the load and the swap
    }
    const buildId = health.status === 200 ? JSON.parse(health.body).buildId : before
    if (buildId !== before) liveAt = performance.now()
  }
  await sleep(1000)
  const stallMaxMs = metric((await get(`${url}/metrics`)).body, 'nodejs_eventloop_lag_max_seconds') * 1000
  running = false
  await Promise.all(clients)
  const window = requests.filter(r => r.at >= builtAt && r.at - r.ms <= liveAt + 1000)
  return {
    requests: requests.length,
    failed: requests.filter(r => r.status !== 200).length,
    p50Ms: percentile(requests.map(r => r.ms), 50),
    p99Ms: percentile(requests.map(r => r.ms), 99),
    swapWindowMs: liveAt - builtAt,
    swapRequests: window.length,
    swapP99Ms: percentile(window.map(r => r.ms), 99),
    swapMaxMs: Math.max(...window.map(r => r.ms)),
    swapStallMaxMs: stallMaxMs,
    healthMaxMs: Math.max(healthMaxBuildMs, healthMaxSwapMs),
    healthMaxBuildMs,
    healthMaxSwapMs
  }
}

/**
 * `clients` search without pause for `seconds` on a live server while /health is probed
 * every 50 ms on fresh connections, as a load balancer probes: search and probe latency
 * (p50, p99, max) and the longest stall. A probe's answer waits behind whatever holds the
 * event loop, and before turns (server/turn-queue.ts) behind every client's search.
 * @param {{ url: string, queries: string[], clients?: number, seconds?: number, until?: () => Promise<boolean> }} options
 */
export async function measureUnderLoad (options) {
  const { url, queries } = options
  /** @type {number[]} */
  const searches = []
  let failed = 0
  let running = true
  let next = 0
  const client = async () => {
    while (running) {
      const answer = await get(`${url}/search?q=${encodeURIComponent(queries[next++ % queries.length] ?? 'Путин')}&limit=10`)
      if (answer.status === 200) searches.push(answer.ms)
      else failed += 1
    }
  }
  /** @type {number[]} */
  const probes = []
  const prober = async () => {
    while (running) {
      probes.push((await get(`${url}/health`)).ms)
      await sleep(50)
    }
  }
  await get(`${url}/metrics`) // resets the stall maximum
  const clients = [...Array.from({ length: options.clients ?? 16 }, client), prober()]
  await sleep((options.seconds ?? 30) * 1000)
  while (options.until !== undefined && !await options.until()) await sleep(100)
  const stallMaxMs = metric((await get(`${url}/metrics`)).body, 'nodejs_eventloop_lag_max_seconds') * 1000
  running = false
  await Promise.all(clients)
  return {
    searches: searches.length,
    failed,
    searchP50Ms: percentile(searches, 50),
    searchP99Ms: percentile(searches, 99),
    healthP50Ms: percentile(probes, 50),
    healthP99Ms: percentile(probes, 99),
    healthMaxMs: Math.max(...probes),
    stallMaxMs
  }
}

/**
 * The load and swap half of `measureSwap` without a build: CURRENT is pointed at another
 * build kept in the folder (as `poisk index` publishes one), while `clients` search. Needs
 * two builds under INDEX_DIR/builds (`--flip`).
 * @param {{ url: string, indexDir: string, queries: string[], clients?: number }} options
 */
export async function measureFlip (options) {
  const { url, indexDir } = options
  const current = (await readFile(`${indexDir}/CURRENT`, 'utf8')).trim()
  const other = (await readdir(`${indexDir}/builds`)).find(build => build !== current)
  if (other === undefined) throw new Error(`${indexDir}/builds holds no build but the current one`)
  let liveAt = NaN
  const load = measureUnderLoad({ ...options, seconds: 0, until: async () => {
    if (!Number.isNaN(liveAt)) return performance.now() - liveAt > 1000
    if (JSON.parse((await get(`${url}/health`)).body).buildId === other) liveAt = performance.now()
    return false
  } })
  const flippedAt = performance.now()
  await writeFile(`${indexDir}/CURRENT.flip`, `${other}\n`)
  await rename(`${indexDir}/CURRENT.flip`, `${indexDir}/CURRENT`)
  return { ...await load, swapWindowMs: liveAt - flippedAt }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'cpu-prof': { type: 'string' },
      workers: { type: 'string', default: '1' },
      queries: { type: 'string', default: '../shared/eval/rt-tag-queries.tsv' },
      corpus: { type: 'string' },
      swap: { type: 'boolean', default: false },
      load: { type: 'string' },
      flip: { type: 'boolean', default: false }
    }
  })
  const indexDir = positionals[0]
  if (indexDir === undefined) {
    console.error('usage: node bench/serve-start.js INDEX_DIR [--cpu-prof DIR] [--workers N] [--load SECONDS] [--flip] [--corpus FILE --swap]')
    process.exit(2)
  }
  await readFile(`${indexDir}/CURRENT`)
  const queries = await tagQueries(values.queries)
  const start = await measureServeStart({
    indexDir, queries, workers: Number(values.workers), keep: values.swap || values.flip || values.load !== undefined,
    ...(values['cpu-prof'] === undefined ? {} : { cpuProfDir: values['cpu-prof'] }),
    ...(values.corpus === undefined ? {} : { corpus: values.corpus })
  })
  const { stop, url, ...startResult } = /** @type {any} */ (start)
  console.log(JSON.stringify(startResult))
  if (values.swap || values.flip || values.load !== undefined) {
    try {
      if (values.load !== undefined) console.log(JSON.stringify({ underLoad: await measureUnderLoad({ url, queries, seconds: Number(values.load) }) }))
      if (values.flip) console.log(JSON.stringify({ flip: await measureFlip({ url, indexDir, queries }) }))
      if (values.swap) console.log(JSON.stringify(await measureSwap({ url, indexDir, queries })))
    } finally {
      await stop()
    }
  }
}
