// @ts-check
/**
 * PostgreSQL as the source of truth (`npm run bench:postgres`): rt in an articles table of a
 * throwaway server (postgres-baseline.js starts it), then
 *  1. the initial index of the table (`poisk index --corpus postgresql://… --table articles`)
 *     against the file build of the same corpus, each a fresh `poisk index` process, alternated;
 *  2. follow lag: `poisk serve --follow` while a writer commits `--rate` changes a second
 *     (updates, inserts, soft deletes, one transaction each) for `--seconds`; a change's lag is
 *     from its commit until /admin/status shows the follower's position at or past its
 *     updated_at (the position moves only once a change is live), read every 20 ms.
 * Usage: npm run bench:postgres -- [--corpus FILE] [--runs 3] [--rate 100] [--seconds 30]
 */
import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadArticles } from './postgres-articles.js'
import { findPostgres, startPostgres } from './postgres-baseline.js'
import { median, percentile } from './stats.js'

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '../shared/corpora/rt.jsonl.gz' },
    runs: { type: 'string', default: '3' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '30' }
  }
})
const TOKEN = 'bench-admin-token-0123456789abcdef'

const bin = await findPostgres()
if (bin === undefined) {
  console.log('PostgreSQL is not installed (/usr/lib/postgresql/*/bin): apt-get install postgresql')
  process.exit(0)
}
const pg = await startPostgres(bin)
const work = await mkdtemp(join(tmpdir(), 'poisk-bench-pgsource-'))
try {
  const rows = await loadArticles(pg.client, values.corpus)
  console.log(`PostgreSQL ${pg.version}: ${rows} articles in table articles`)
  const build = await buildTimes(Number(values.runs))
  // --runs 0: only the follow lag (the table's index is built once, untimed).
  if (Number(values.runs) === 0) await run(['index', '--quiet', '--corpus', pg.uri, '--table', 'articles', '--index', join(work, 'table-0')])
  else console.log(`initial index: file ${(build.fileMs / 1000).toFixed(1)} s, table ${(build.tableMs / 1000).toFixed(1)} s (median of ${values.runs}), ratio ${(build.tableMs / build.fileMs).toFixed(2)}`)
  const lag = await followLag(Number(values.rate), Number(values.seconds))
  console.log(`follow lag at ${lag.ratePerSecond.toFixed(0)} changes/s over ${values.seconds} s (FOLLOW_INTERVAL_MS 1000): p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms, ${lag.changes} changes`)
  console.log(JSON.stringify({ documents: rows, postgres: pg.version, build, lag }))
} finally {
  await rm(work, { recursive: true, force: true })
  await pg.stop()
}

/** Wall time of fresh `poisk index` processes, file and table alternated. @param {number} runs */
async function buildTimes (runs) {
  /** @type {number[]} */ const file = []
  /** @type {number[]} */ const table = []
  for (let i = 0; i < runs; i++) {
    file.push(await timedIndex(['--corpus', values.corpus], join(work, `file-${i}`)))
    table.push(await timedIndex(['--corpus', pg.uri, '--table', 'articles'], join(work, `table-${i}`)))
  }
  return { fileMs: Math.round(median(file)), tableMs: Math.round(median(table)), fileRunsMs: file.map(Math.round), tableRunsMs: table.map(Math.round) }
}

/** @param {string[]} corpus @param {string} index */
async function timedIndex (corpus, index) {
  const started = performance.now()
  await run(['index', '--quiet', ...corpus, '--index', index])
  return performance.now() - started
}

/** @param {string[]} args */
async function run (args) {
  const child = spawn(process.execPath, ['bin/poisk.js', ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', chunk => { stderr = (stderr + String(chunk)).slice(-4000) })
  const code = await new Promise(resolve => child.on('exit', resolve))
  if (code !== 0) throw new Error(`poisk ${args.join(' ')} exited with ${code}:\n${stderr}`)
}

/** @param {number} rate @param {number} seconds */
async function followLag (rate, seconds) {
  const index = join(work, 'table-0')
  const server = spawn(process.execPath, ['bin/poisk.js', 'serve', '--index', index, '--port', '0', '--corpus', pg.uri, '--table', 'articles', '--follow'], {
    env: { ...process.env, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  // POISK_BENCH_SERVER_LOG=FILE keeps the server's log (each poll's applied changes and time).
  if (process.env.POISK_BENCH_SERVER_LOG !== undefined) server.stdout.pipe(createWriteStream(process.env.POISK_BENCH_SERVER_LOG))
  try {
    const url = await new Promise((resolve, reject) => {
      let output = ''
      server.stdout.on('data', chunk => {
        output += String(chunk)
        const match = /Server listening at (http:\/\/[^"\s]+)/.exec(output)
        // Writing starts once the replica has started: its start-up work (the headline vocabulary) done, and following.
        if (match !== null && output.includes('"msg":"following from"') && output.includes('"msg":"vocabulary prepared"')) resolve(match[1])
      })
      server.on('exit', code => reject(new Error(`serve exited with ${code}`)))
    })
    const status = async () => {
      // A 503 (load shedding on a busy machine) is asked again.
      for (;;) {
        const answer = await (await fetch(`${url}/admin/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()
        if (answer.follow !== undefined) return /** @type {{ lastSeenUpdatedAt: string | null, lagMs: number | null }} */ (answer.follow)
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    }
    while ((await status()).lagMs === null) await new Promise(resolve => setTimeout(resolve, 100))
    /** @type {Array<{ at: number, committed: number, seen?: number }>} */
    const changes = []
    let writing = true
    const observer = (async () => {
      while (writing || changes.some(change => change.seen === undefined)) {
        const position = (await status()).lastSeenUpdatedAt
        const now = performance.now()
        const ms = position === null ? -Infinity : timestampMs(position)
        for (const change of changes) if (change.seen === undefined && change.at <= ms) change.seen = now
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    })()
    const started = performance.now()
    for (let i = 0; performance.now() - started < seconds * 1000; i++) {
      const due = started + i * 1000 / rate
      const wait = due - performance.now()
      if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
      const { rows } = await pg.client.query(changeSql(i), [])
      changes.push({ at: timestampMs(rows[0].at), committed: performance.now() })
    }
    const ratePerSecond = changes.length / ((performance.now() - started) / 1000)
    writing = false
    await observer
    const lags = changes.map(change => /** @type {number} */ (change.seen) - change.committed)
    return { changes: changes.length, ratePerSecond, p50Ms: Math.round(percentile(lags, 50)), p99Ms: Math.round(percentile(lags, 99)), maxMs: Math.round(Math.max(...lags)) }
  } finally {
    server.kill('SIGTERM')
  }
}

/** Updates 6 in 10, inserts 3, soft-deletes 1; each returns its updated_at. @param {number} i */
function changeSql (i) {
  const kind = i % 10
  const existing = `rt-${String((i * 7919) % 7000).padStart(5, '0')}`
  if (kind < 6) return `UPDATE articles SET title = title || ' (обновлено)', updated_at = clock_timestamp() WHERE id = '${existing}' RETURNING updated_at::text AS at`
  if (kind < 9) return `INSERT INTO articles (id, title, body) VALUES ('bench-${i}', 'Новая заметка ${i}', 'Текст заметки о бюджете и выборах') RETURNING updated_at::text AS at`
  return `UPDATE articles SET deleted_at = now(), updated_at = clock_timestamp() WHERE id = '${existing}' RETURNING updated_at::text AS at`
}

/** PostgreSQL's UTC timestamp text in ms (as src/live/postgres-follower.ts reads it). @param {string} text */
function timestampMs (text) {
  const iso = text.trim().replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')
  return Date.parse(/(?:Z|[+-]\d\d:\d\d)$/.test(iso) ? iso : `${iso}Z`)
}
