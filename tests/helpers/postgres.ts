/**
 * A throwaway PostgreSQL server for tests, from Debian's `postgresql` package (as
 * bench/postgres-baseline.js starts one): initdb into a temporary folder, a unix socket
 * there and no TCP, stopped and removed after. As root (CI) the server runs as the
 * `postgres` user (initdb refuses root). Where PostgreSQL is not installed, tests skip and
 * say so (`postgresInstalled`); .ci/run installs it.
 */
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { systemRequirement } from './system-requirement.js'

const run = promisify(execFile)

/** The newest installed server's bin folder (/usr/lib/postgresql/N/bin), if any. */
export function postgresBin (): string | undefined {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter(v => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : []
  return versions.map(v => join(root, v, 'bin')).find(bin => existsSync(join(bin, 'initdb')))
}

/** Whether the tests can start a server; says why not, or fails under POISK_REQUIRE_SYSTEM_TESTS=1. */
export function postgresInstalled (): boolean {
  const bin = postgresBin()
  const asRootWithoutUser = process.getuid?.() === 0 && !hasUser('postgres')
  return systemRequirement('PostgreSQL', bin !== undefined && !asRootWithoutUser,
    bin === undefined ? 'no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)' : 'running as root, and there is no postgres user to run it as')
}

function hasUser (name: string): boolean {
  return spawnSync('id', ['-u', name]).status === 0
}

export interface TestPostgres {
  /** A libpq URI over the unix socket: postgresql://poisk@/postgres?host=DIR. */
  uri: string
  /** The socket folder. */
  dir: string
  /** Runs one statement on a short-lived connection. */
  query: <Row extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]) => Promise<pg.QueryResult<Row>>
  /** Stops the server (fast shutdown: connections are cut), keeping its data. */
  stop: () => Promise<void>
  /** Starts it again after stop(). */
  start: () => Promise<void>
  /** Stops it and removes its folder. */
  destroy: () => Promise<void>
}

export async function startPostgres (): Promise<TestPostgres> {
  const bin = postgresBin()
  if (bin === undefined) throw new Error('PostgreSQL is not installed')
  const dir = await mkdtemp(join(tmpdir(), 'poisk-pg-'))
  await chmod(dir, 0o777)
  const data = join(dir, 'data')
  const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : []
  const exec = async (cmd: string, args: string[]): Promise<void> => {
    const [file, ...rest] = [...asUser, join(bin, cmd), ...args]
    await run(file as string, rest, { maxBuffer: 16 * 1024 * 1024 })
  }
  await exec('initdb', ['-D', data, '-U', 'poisk', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'])
  const start = async (): Promise<void> => {
    await exec('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'server.log'), '-o', `-k ${dir} -c listen_addresses='' -c fsync=off`, 'start'])
  }
  const stop = async (): Promise<void> => {
    await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
  }
  await start()
  const uri = `postgresql://poisk@/postgres?host=${encodeURIComponent(dir)}`
  const query = async <Row extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<pg.QueryResult<Row>> => {
    const client = new pg.Client({ host: dir, user: 'poisk', database: 'postgres' })
    await client.connect()
    try {
      return await client.query<Row>(sql, values)
    } finally {
      await client.end()
    }
  }
  return {
    uri,
    dir,
    query,
    stop,
    start,
    async destroy () {
      await stop().catch(() => {})
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** The articles table follow mode reads: the article columns, updated_at and deleted_at. */
export const ARTICLES_TABLE = `CREATE TABLE articles (
  id text PRIMARY KEY,
  title text,
  body text,
  date timestamptz,
  url text,
  tags text[],
  source text,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  deleted_at timestamptz
);
CREATE INDEX articles_updated ON articles (updated_at, id)`
