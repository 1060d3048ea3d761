// @ts-check
/**
 * HTTP throughput and latency with autocannon against servers in child processes (so the
 * load generator does not share their event loop): `poisk serve` with 1 and N workers, and
 * the bare fastify + MiniSearch + Snowball route. Requests cycle through the tag queries.
 */
import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { createServer } from 'node:net'
import autocannon from 'autocannon'

/** @typedef {{ name: string, workers: number, connections: number, requestsPerS: number, p50Ms: number, p99Ms: number, non2xx: number, errors: number }} HttpResult */

async function freePort () {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
    server.on('error', reject)
  })
}

/** @param {string} url @returns {Promise<{ status: number, worker?: string }>} */
async function probe (url) {
  return await new Promise(resolve => {
    const req = request(url, { agent: false }, response => {
      response.resume()
      response.on('end', () => resolve({ status: response.statusCode ?? 0, worker: /** @type {string | undefined} */ (response.headers['x-poisk-worker']) }))
    })
    req.on('error', () => resolve({ status: 0 }))
    req.end()
  })
}

/** Starts a server process and waits until `workers` distinct workers answer /health. */
async function startServer (/** @type {string[]} */ args, /** @type {number} */ port, /** @type {number} */ workers, /** @type {NodeJS.ProcessEnv} */ env = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', chunk => { stderr += String(chunk) })
  const deadline = Date.now() + 120_000
  const seen = new Set()
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`)
    const answer = await probe(`http://127.0.0.1:${port}/health`)
    if (answer.status === 200) {
      seen.add(answer.worker ?? 'single')
      if (seen.size >= workers) break
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  if (seen.size < workers) throw new Error(`server not ready: ${stderr}`)
  return {
    async stop () {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}

/**
 * Either `durationS` seconds, or `amount` requests (the warm-up).
 * @param {string} url @param {string[]} queries @param {number} connections @param {{ durationS?: number, amount?: number }} limit
 */
async function load (url, queries, connections, limit) {
  const paths = queries.map(q => `/search?q=${encodeURIComponent(q)}&limit=10`)
  let next = 0
  const result = await autocannon({
    url,
    connections,
    ...(limit.amount === undefined ? { duration: limit.durationS } : { amount: limit.amount }),
    requests: [{ setupRequest: (req) => ({ ...req, path: /** @type {string} */ (paths[next++ % paths.length]) }) }]
  })
  return {
    requestsPerS: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts
  }
}

/**
 * @param {{ poiskIndex?: string, snowballIndex?: string, queries: string[], connections: number[], durationS: number, workers: number }} options
 * @returns {Promise<HttpResult[]>}
 */
export async function httpBench (options) {
  /** @type {{ name: string, workers: number, args: (port: number) => string[], env?: NodeJS.ProcessEnv }[]} */
  const servers = []
  // Loopback is allow-listed and shedding is off: the bench measures capacity, not the limits.
  const poiskEnv = { LOG_LEVEL: 'warn', RATE_LIMIT_ALLOW_LIST: '127.0.0.1,::1', MAX_EVENT_LOOP_DELAY_MS: '0' }
  if (options.poiskIndex !== undefined) {
    for (const workers of [...new Set([1, options.workers])]) {
      const index = options.poiskIndex
      servers.push({ name: 'poisk', workers, args: port => ['bin/poisk.js', 'serve', '--index', index, '--port', String(port), '--workers', String(workers)], env: poiskEnv })
    }
  }
  if (options.snowballIndex !== undefined) {
    const index = options.snowballIndex
    servers.push({ name: 'fastify + MiniSearch + Snowball', workers: 1, args: port => ['bench/fastify-minisearch-server.js', index, String(port)] })
  }
  /** @type {HttpResult[]} */
  const results = []
  for (const server of servers) {
    const port = await freePort()
    process.stderr.write(`http: ${server.name} (${server.workers} worker${server.workers > 1 ? 's' : ''}) on port ${port}\n`)
    const running = await startServer(server.args(port), port, server.workers, server.env)
    try {
      // Warm-up: every query once per worker, the same for every server, so that what is
      // measured is a server that has seen its traffic (caches filled, code optimised).
      await load(`http://127.0.0.1:${port}`, options.queries, 10, { amount: options.queries.length * server.workers })
      for (const connections of options.connections) {
        const measured = await load(`http://127.0.0.1:${port}`, options.queries, connections, { durationS: options.durationS })
        results.push({ name: server.name, workers: server.workers, connections, ...measured })
      }
    } finally {
      await running.stop()
    }
  }
  return results
}
