// @ts-check
/**
 * PostgreSQL's `russian` full-text search as a baseline: a throwaway server from Debian's
 * `postgresql` package (initdb into a temporary folder, unix socket only, stopped after),
 * a GIN index over setweight(to_tsvector('russian', title), 'A') || setweight(… body, 'B'),
 * and websearch_to_tsquery + ts_rank_cd for queries. Absent PostgreSQL is reported, not fatal.
 */
import { execFile } from 'node:child_process'
import { readdir, mkdtemp, rm, chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { readDocs } from './corpus.js'
import { queryLatency } from './stats.js'

const run = promisify(execFile)
const BATCH = 500

/** The newest installed server's bin folder, or undefined. */
export async function findPostgres () {
  const versions = await readdir('/usr/lib/postgresql').catch(() => /** @type {string[]} */ ([]))
  const newest = versions.filter(v => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))[0]
  return newest === undefined ? undefined : `/usr/lib/postgresql/${newest}/bin`
}

/** Starts a private server; as root it runs as the `postgres` user (initdb refuses root). */
export async function startPostgres (/** @type {string} */ bin) {
  const dir = await mkdtemp(join(tmpdir(), 'poisk-bench-pg-'))
  await chmod(dir, 0o777)
  const data = join(dir, 'data')
  const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : []
  const exec = async (/** @type {string} */ cmd, /** @type {string[]} */ args) => {
    const [file, ...rest] = [...asUser, join(bin, cmd), ...args]
    return await run(/** @type {string} */ (file), rest, { maxBuffer: 16 * 1024 * 1024 })
  }
  await exec('initdb', ['-D', data, '-U', 'bench', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8'])
  await exec('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'server.log'), '-o', `-k ${dir} -c listen_addresses='' -c shared_buffers=256MB -c maintenance_work_mem=512MB`, 'start'])
  const client = new pg.Client({ host: dir, user: 'bench', database: 'postgres' })
  await client.connect()
  const { rows } = await client.query('show server_version')
  return {
    client,
    /** A libpq URI over the server's unix socket (for `poisk index --corpus`). */
    uri: `postgresql://bench@/postgres?host=${encodeURIComponent(dir)}`,
    version: /** @type {string} */ (rows[0].server_version),
    async stop () {
      await client.end().catch(() => {})
      await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => {})
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** Loads a corpus and builds the GIN index; the wall time covers both. @param {pg.Client} client @param {string} corpus */
export async function postgresBuild (client, corpus) {
  await client.query('drop table if exists docs')
  await client.query('create table docs (id text primary key, title text not null, body text not null)')
  const started = performance.now()
  let batch = []
  let documents = 0
  const flush = async () => {
    if (batch.length === 0) return
    const values = batch.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(',')
    await client.query(`insert into docs (id, title, body) values ${values}`, batch.flat())
    batch = []
  }
  for await (const doc of readDocs(corpus)) {
    batch.push([doc.id, doc.title, doc.body])
    documents += 1
    if (batch.length === BATCH) await flush()
  }
  await flush()
  await client.query(`alter table docs add column tsv tsvector generated always as
    (setweight(to_tsvector('russian', title), 'A') || setweight(to_tsvector('russian', body), 'B')) stored`)
  await client.query('create index docs_tsv on docs using gin (tsv)')
  await client.query('vacuum analyze docs')
  const buildMs = performance.now() - started
  const { rows } = await client.query(`select pg_total_relation_size('docs') as total, pg_relation_size('docs_tsv') as gin`)
  return { buildMs, documents, indexBytes: Number(rows[0].total), ginBytes: Number(rows[0].gin) }
}

/** Tag-query latency seen by a client on the same machine (as queryLatency measures it). @param {pg.Client} client @param {string[]} queries */
export async function postgresQuery (client, queries) {
  const sql = `select id, ts_rank_cd(tsv, q) as rank from docs, websearch_to_tsquery('russian', $1) q
    where tsv @@ q order by rank desc limit 10`
  return await queryLatency(queries, async q => await client.query({ name: 'search', text: sql, values: [q] }))
}
