// Search latency at rest and during a rebuild, in one run: starts `poisk serve` as a child
// process on 127.0.0.1, drives it with autocannon, then triggers POST /admin/reindex and
// drives it again until the new build is live.
// Usage: npm run build && node bench/rebuild-latency.js --index DIR --corpus FILE [--seconds 20] [--connections 4]
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    corpus: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '4' }
  }
})
if (values.index === undefined || values.corpus === undefined) {
  console.error('usage: node bench/rebuild-latency.js --index DIR --corpus FILE [--seconds 20] [--connections 4]')
  process.exit(2)
}
const TOKEN = 'bench-admin-token-0123456789abcdef'
const auth = { authorization: `Bearer ${TOKEN}` }
const QUERIES = ['Путин', 'санкции ЕС', 'Эрдоган', 'выборы в США', 'нефть', 'Сирия переговоры', 'НАТО', 'Зеленский', 'Китай экономика', 'Германия']

// Request logs at info level would cost the server time: run it at warn, on a port chosen here.
const port = await freePort()
const server = spawn(process.execPath, ['bin/poisk.js', 'serve', '--index', values.index, '--corpus', values.corpus, '--port', String(port)], {
  env: { ...process.env, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit']
})
process.on('exit', () => server.kill('SIGKILL'))
const url = `http://127.0.0.1:${port}`
await waitForHealth()

async function freePort () {
  const probe = createServer()
  await new Promise(resolve => probe.listen(0, '127.0.0.1', resolve))
  const { port: chosen } = probe.address()
  await new Promise(resolve => probe.close(resolve))
  return chosen
}

async function waitForHealth () {
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`)
    const ok = await fetch(`${url}/health`).then(response => response.ok, () => false)
    if (ok) return
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

function run (durationSeconds) {
  let i = 0
  return autocannon({
    url,
    connections: Number(values.connections),
    duration: durationSeconds,
    requests: [{ setupRequest: request => ({ ...request, path: `/search?limit=10&q=${encodeURIComponent(QUERIES[i++ % QUERIES.length])}` }) }]
  })
}

function summary (result) {
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts
  }
}

const seconds = Number(values.seconds)
await run(3) // warm-up
const atRest = summary(await run(seconds))
const reindex = await (await fetch(`${url}/admin/reindex`, { method: 'POST', headers: auth })).json()
const started = performance.now()
const during = []
let status
do {
  during.push(summary(await run(Math.min(seconds, 10))))
  status = await (await fetch(`${url}/admin/status`, { headers: auth })).json()
} while (status.state === 'building')
const buildSeconds = (performance.now() - started) / 1000
server.kill('SIGTERM')
// autocannon reports percentiles per run, not raw samples: report each window, and across
// windows the median and the worst of their p50 and p99.
const median = values => values.slice().sort((x, y) => x - y)[Math.floor(values.length / 2)]
const merged = {
  windows: during.length,
  requests: during.reduce((n, r) => n + r.requests, 0),
  p50: { median: median(during.map(r => r.p50)), worst: Math.max(...during.map(r => r.p50)) },
  p99: { median: median(during.map(r => r.p99)), worst: Math.max(...during.map(r => r.p99)) },
  max: Math.max(...during.map(r => r.max)),
  non2xx: during.reduce((n, r) => n + r.non2xx, 0),
  errors: during.reduce((n, r) => n + r.errors, 0),
  timeouts: during.reduce((n, r) => n + r.timeouts, 0)
}
console.log(JSON.stringify({
  date: new Date().toISOString(),
  connections: Number(values.connections),
  atRest,
  duringRebuild: { acrossWindows: merged, windows: during },
  rebuild: { buildId: reindex.buildId, live: status.current?.buildId, lastError: status.lastError, secondsUntilIdle: Math.round(buildSeconds) }
}, null, 2))
