// @ts-check
/**
 * Bulk import against a build, in one run on the same file: `poisk index` of the corpus
 * (wall time of the command), then `poisk serve` over an index of one unrelated document and
 * the corpus POSTed to /documents/_bulk as NDJSON in requests of `--batch` documents, one
 * after another (wall time from the first request to the last answer). Then every document
 * must be live: GET /documents/:id answers 200 for every id, and the tag queries' totals
 * equal those of the built index. The server's RSS is sampled every 100 ms throughout.
 * A second measure streams `--stream-mb` of NDJSON in one request whose records all fail
 * validation (no title: read, parsed and answered, nothing applied), to show that the
 * server's memory does not follow the size of the request.
 *
 *   npm run bench:bulk [-- --corpus rt.jsonl.gz --batch 500 --workers 1 --stream-mb 50]
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { gunzipSync } from 'node:zlib'
import { createDefaultAnalyzer } from '../dist/analysis/default-analyzer.js'
import { openNewestUsable } from '../dist/index/open-index.js'
import { search } from '../dist/search/search.js'
import { tagQueries } from './corpus.js'

const { values } = parseArgs({ options: {
  corpus: { type: 'string', default: '../shared/corpora/rt.jsonl.gz' },
  queries: { type: 'string', default: '../shared/eval/rt-tag-queries.tsv' },
  batch: { type: 'string', default: '500' },
  workers: { type: 'string', default: '1' },
  'stream-mb': { type: 'string', default: '50' },
  // The first N documents only (both measures on the same file): a shorter run on a busy machine.
  documents: { type: 'string' },
  'work-dir': { type: 'string', default: '/tmp/poisk-bench-bulk' }
} })
const batchSize = Number(values.batch)
const workDir = values['work-dir']
const TOKEN = 'bench-admin-token-0123456789abcdef'
const log = (/** @type {string} */ message) => process.stderr.write(`[bench:bulk] ${message}\n`)

await rm(workDir, { recursive: true, force: true })
await mkdir(workDir, { recursive: true })
const lines = gunzipSync(readFileSync(values.corpus)).toString('utf8').split('\n').filter(line => line.trim() !== '')
  .slice(0, values.documents === undefined ? undefined : Number(values.documents))
const corpus = values.documents === undefined ? values.corpus : `${workDir}/corpus.jsonl`
if (corpus !== values.corpus) await writeFile(corpus, `${lines.join('\n')}\n`)
const ids = lines.map(line => String(JSON.parse(line).id))
log(`${lines.length} documents of ${values.corpus}; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`)

// 1. poisk index on the file.
const indexStarted = performance.now()
await run(process.execPath, ['bin/poisk.js', 'index', '--quiet', '--corpus', corpus, '--index', `${workDir}/built`])
const indexMs = performance.now() - indexStarted
log(`poisk index: ${(indexMs / 1000).toFixed(1)} s`)

// 2. A server over an index of one document that is not in the corpus.
await writeFile(`${workDir}/seed.jsonl`, `${JSON.stringify({ id: 'bench-seed', title: 'Затравка', body: 'Документ, с которого начинается пустой индекс.' })}\n`)
await run(process.execPath, ['bin/poisk.js', 'index', '--quiet', '--corpus', `${workDir}/seed.jsonl`, '--index', `${workDir}/live`])
const port = await freePort()
const url = `http://127.0.0.1:${port}`
// Records up to 1 MiB (rt's longest is 71 KB); load shedding off: the bench measures the import, not the shedding.
const server = spawn(process.execPath, [...(process.env.POISK_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), 'bin/poisk.js', 'serve', '--index', `${workDir}/live`, '--port', String(port), '--workers', values.workers], {
  env: { ...process.env, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'error', BODY_LIMIT: String(1024 * 1024), MAX_EVENT_LOOP_DELAY_MS: '0', ADMIN_RATE_LIMIT_MAX: '0' },
  stdio: ['ignore', 'inherit', 'inherit']
})
process.on('exit', () => server.kill('SIGKILL'))
await waitFor(async () => (await fetch(`${url}/health`)).ok)
const rss = rssSampler(/** @type {number} */ (server.pid))

// 3. The corpus through _bulk, `batchSize` documents a request.
const rssBefore = rss.now()
const bulkStarted = performance.now()
const statuses = new Map()
for (let start = 0; start < lines.length; start += batchSize) {
  const answer = await postBulk(lines.slice(start, start + batchSize).join('\n'))
  for (const item of answer.items) statuses.set(item.status, (statuses.get(item.status) ?? 0) + 1)
  log(`_bulk: ${Math.min(start + batchSize, lines.length)} of ${lines.length} at ${((performance.now() - bulkStarted) / 1000).toFixed(0)} s`)
}
const bulkMs = performance.now() - bulkStarted
const importPeakRss = rss.peak()
log(`_bulk in requests of ${batchSize}: ${(bulkMs / 1000).toFixed(1)} s; items ${JSON.stringify(Object.fromEntries(statuses))}`)

// 4. Every document live, and searched as the built index searches it.
let found = 0
for (const id of ids) if ((await fetch(`${url}/documents/${encodeURIComponent(id)}`)).status === 200) found += 1
const analyzer = createDefaultAnalyzer()
const { snapshot } = await openNewestUsable(`${workDir}/built`, analyzer)
if (snapshot === undefined) throw new Error('the built index does not load')
const queries = (await tagQueries(values.queries)).slice(0, 100)
let sameTotals = 0
for (const q of queries) {
  const built = await search(snapshot, { q, limit: 10, offset: 0 })
  const served = await (await fetch(`${url}/search?q=${encodeURIComponent(q)}&limit=10`)).json()
  if (served.total === built.total) sameTotals += 1
}
await snapshot.documents.close()
log(`GET /documents/:id 200 for ${found} of ${ids.length}; ${sameTotals} of ${queries.length} tag queries with the built index's total`)

// 5. A large request: memory against request size.
const streamMb = Number(values['stream-mb'])
rss.reset()
const streamRssBefore = rss.now()
// Records of 10 KB: few enough that their items (one each, with its error) stay small beside the body.
const record = JSON.stringify({ id: 'x', body: 'б'.repeat(5000) })
const recordsNeeded = Math.ceil(streamMb * 1024 * 1024 / (Buffer.byteLength(record) + 1))
const streamed = await postBulk((function * () {
  for (let i = 0; i < recordsNeeded; i += 1) yield `${record}\n`
})())
const streamPeakRss = rss.peak()
log(`${streamMb} MB in one request (${recordsNeeded} records, ${streamed.items.length} items): RSS ${mb(streamRssBefore)} → peak ${mb(streamPeakRss)} MB`)
rss.stop()
// A graceful stop, waited for: a server run with POISK_BENCH_SERVER_NODE_ARGS='--cpu-prof' writes its profile on exit.
const serverExited = new Promise(resolve => server.once('exit', resolve))
server.kill('SIGTERM')
await serverExited

const ratio = bulkMs / indexMs
const report = `| measure | value |
| --- | --- |
| \`poisk index\` of ${values.documents === undefined ? 'rt' : `rt's first ${lines.length} documents`} (${lines.length} documents; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores at the end) | ${(indexMs / 1000).toFixed(1)} s |
| _bulk of rt in requests of ${batchSize} (serve --workers ${values.workers}, over a one-document index) | ${(bulkMs / 1000).toFixed(1)} s |
| ratio _bulk / index (target ≤ 2) | **${ratio.toFixed(2)}** (${ratio <= 2 ? 'met' : 'NOT met'}) |
| items | ${[...statuses].map(([status, count]) => `${count} × ${status}`).join(', ')} |
| live after the import | GET /documents/:id 200 for ${found} of ${ids.length}; ${sameTotals} of ${queries.length} tag queries with the built index's total |
| server RSS during the import | ${mb(rssBefore)} MB before, ${mb(importPeakRss)} MB peak |
| one request of ${streamMb} MB (${recordsNeeded} records refused by validation) | RSS ${mb(streamRssBefore)} MB before, ${mb(streamPeakRss)} MB peak |`
process.stdout.write(`${report}\n`)
if (!process.argv.includes('--keep')) await rm(workDir, { recursive: true, force: true })
process.exit(0)

/** @param {Iterable<string> | string} body @returns {Promise<{ items: Array<{ status: number }> }>} */
async function postBulk (body) {
  const response = await fetch(`${url}/documents/_bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
    body: typeof body === 'string' ? body : /** @type {any} */ (ReadableStreamFrom(body)),
    // @ts-ignore Node's fetch needs it for a streamed body
    duplex: 'half'
  })
  if (!response.ok) throw new Error(`_bulk answered ${response.status}: ${await response.text()}`)
  return /** @type {any} */ (await response.json())
}

/** @param {Iterable<string>} lines */
function ReadableStreamFrom (lines) {
  const iterator = lines[Symbol.iterator]()
  const encoder = new TextEncoder()
  return new ReadableStream({
    pull (controller) {
      // About 64 KiB a pull.
      let chunk = ''
      for (let next = iterator.next(); ; next = iterator.next()) {
        if (next.done === true) {
          if (chunk !== '') controller.enqueue(encoder.encode(chunk))
          controller.close()
          return
        }
        chunk += next.value
        if (chunk.length >= 65536) break
      }
      controller.enqueue(encoder.encode(chunk))
    }
  })
}

/** Samples a process's resident set (and its children's, for --workers) every 100 ms. @param {number} pid */
function rssSampler (pid) {
  let peak = 0
  const now = () => {
    let total = 0
    for (const one of [pid, ...childrenOf(pid)]) {
      try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${one}/status`, 'utf8'))
        total += Number(match?.[1] ?? 0) * 1024
      } catch {}
    }
    return total
  }
  const timer = setInterval(() => { peak = Math.max(peak, now()) }, 100)
  return { now, peak: () => Math.max(peak, now()), reset: () => { peak = 0 }, stop: () => clearInterval(timer) }
}

/** @param {number} pid @returns {number[]} */
function childrenOf (pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}

function mb (/** @type {number} */ bytes) {
  return (bytes / 1048576).toFixed(0)
}

/** @param {string} command @param {string[]} args */
async function run (command, args) {
  // Its warnings (rt's records with doubled URLs) are shown only if it fails.
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', chunk => { stderr = (stderr + String(chunk)).slice(-4000) })
  const code = await new Promise(resolve => child.on('exit', resolve))
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${stderr}`)
}

async function freePort () {
  const probe = createServer()
  await new Promise(resolve => probe.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = /** @type {import('node:net').AddressInfo} */ (probe.address())
  await new Promise(resolve => probe.close(() => resolve(undefined)))
  return address.port
}

/** @param {() => Promise<boolean>} probe */
async function waitFor (probe) {
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`)
    if (await probe().catch(() => false)) return
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}
