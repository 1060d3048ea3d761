// @ts-check
/**
 * CPU per request, which decides how two worker processes scale on two cores shared with the
 * load generator: the server process's CPU (all its threads, from /proc, so Linux only) and
 * autocannon's own, per request at 50 connections after a warm-up with every tag query.
 *
 *   npm run build && node bench/http-cpu.js --index DIR [--snowball-index index.json] [--seconds N]
 *
 * `--snowball-index` (a saved MiniSearch + Snowball index, as the bench writes under
 * .tmp/bench/index/snowball-x1/index.json) also measures the bare fastify baseline.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { readTagQueries } from '../dist/eval/judgements.js'

const { values } = parseArgs({ options: { index: { type: 'string' }, 'snowball-index': { type: 'string' }, queries: { type: 'string', default: '../shared/eval/rt-tag-queries.tsv' }, seconds: { type: 'string', default: '8' } } })
if (values.index === undefined) throw new Error('give --index DIR (a built index folder)')
const queries = (await readTagQueries(values.queries)).map(judgement => judgement.query)
const paths = queries.map(q => `/search?q=${encodeURIComponent(q)}&limit=10`)

/** @param {string} name @param {string[]} args */
async function measure (name, args) {
  const port = 20000 + Math.floor(Math.random() * 20000)
  const child = spawn(process.execPath, [...args, String(port)], { env: { ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_ALLOW_LIST: '127.0.0.1,::1', MAX_EVENT_LOOP_DELAY_MS: '0' }, stdio: 'inherit' })
  try {
    for (let tries = 0; ; tries += 1) {
      if (tries > 600) throw new Error(`${name} did not start`)
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(response => response.ok, () => false)
      if (ok) break
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    let next = 0
    const run = async (/** @type {object} */ limit, /** @type {number} */ connections) => await autocannon({ url: `http://127.0.0.1:${port}`, connections, ...limit, requests: [{ setupRequest: request => ({ ...request, path: /** @type {string} */ (paths[next++ % paths.length]) }) }] })
    await run({ amount: paths.length }, 10)
    const serverCpu = () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      return (Number(fields[11]) + Number(fields[12])) * 10 // clock ticks of 10 ms: utime + stime
    }
    const server0 = serverCpu()
    const own0 = process.cpuUsage()
    const result = await run({ duration: Number(values.seconds) }, 50)
    const own = process.cpuUsage(own0)
    const requests = result.requests.total
    process.stdout.write(`${name}: ${Math.round(result.requests.average)} req/s, server CPU ${((serverCpu() - server0) / requests).toFixed(3)} ms/request, autocannon CPU ${((own.user + own.system) / 1000 / requests).toFixed(3)} ms/request, ${Math.round(result.throughput.total / requests)} bytes/response, non-2xx ${result.non2xx}\n`)
  } finally {
    child.kill('SIGTERM')
  }
}

await measure('poisk (1 worker)', ['bin/poisk.js', 'serve', '--index', values.index, '--workers', '1', '--port'])
if (values['snowball-index'] !== undefined) await measure('fastify + MiniSearch + Snowball', ['bench/fastify-minisearch-server.js', values['snowball-index']])
