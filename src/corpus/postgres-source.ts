/**
 * A PostgreSQL table (or any SELECT) as a corpus: the same event stream as a file corpus
 * (`corpus-event.ts`), with "file" the table or query and "line" the row number. Rows are
 * read through a server-side cursor (pg-cursor) in one REPEATABLE READ transaction, so
 * memory is bounded and the rows, their count and the newest `updated_at` come from one
 * snapshot. Columns `id, title, body, date, url, tags, source` are read as a file record's
 * fields (absent ones allowed, extra ones ignored); a row whose `deleted_at` is set is a
 * deleted article and is not indexed.
 *
 * A database corpus travels as one corpus string, the URI with the table or query in its
 * fragment (`postgresql://u@/db?host=/run/postgresql#table=articles`), so it reaches a
 * rebuild's child process as a file path does. Connection strings are only ever shown
 * without their password (`describeSource`).
 */
import { createHash } from 'node:crypto'
import type pg from 'pg'
import type PgCursor from 'pg-cursor'
import { ConfigError, CorpusRecordError, DatabaseSourceError, PoiskError } from '../errors.js'
import { readArticle, type Article, type ArticleOptions, type RecordWarning } from './article.js'
import { articleEvent, skipEvent, type CorpusEvent } from './corpus-event.js'

export interface DatabaseSource {
  /** The libpq connection URI (TCP or `?host=SOCKET_DIR`), without the fragment. */
  uri: string
  /** A table, optionally schema-qualified (`news.articles`). */
  table?: string
  /** A SELECT yielding the article columns, when the table's shape is not the article's. */
  query?: string
}

/** A row as read: the article to put, or the id to delete, or why it cannot be indexed. */
export type RowChange =
  | { op: 'put', id: string, article: Article, warnings: RecordWarning[] }
  | { op: 'delete', id: string }
  | { op: 'skip', id: string | undefined, error: CorpusRecordError }

const SCHEME = /^postgres(?:ql)?:\/\//i
/** Rows fetched from the cursor at a time: a few MB of rt articles. */
const CURSOR_BATCH = 500

// Type ids (pg_type.oid) of the date and time types, read so no time zone of this process shifts them.
const DATE_OID = 1082
const TIMESTAMP_OID = 1114
const TIMESTAMPTZ_OID = 1184

export function isDatabaseCorpus (path: string): boolean {
  return SCHEME.test(path)
}

/** `--corpus URI` with `--table` or `--query` as one corpus string. */
export function databaseCorpus (uri: string, shape: { table?: string, query?: string }): string {
  if (!isDatabaseCorpus(uri)) throw new ConfigError(`--table and --query need a postgresql:// --corpus, got ${uri}`)
  const source = checkedSource({ uri: withoutFragment(uri), ...definedShape(shape) })
  const fragment = source.table !== undefined ? `table=${encodeURIComponent(source.table)}` : `query=${encodeURIComponent(source.query ?? '')}`
  return `${source.uri}#${fragment}`
}

/** The source a database corpus string names; a ConfigError when it names no table or query. */
export function parseDatabaseCorpus (path: string): DatabaseSource {
  const hash = path.indexOf('#')
  const uri = hash === -1 ? path : path.slice(0, hash)
  const fragment = new URLSearchParams(hash === -1 ? '' : path.slice(hash + 1))
  return checkedSource({ uri, ...definedShape({ table: fragment.get('table') ?? undefined, query: fragment.get('query') ?? undefined }) })
}

function checkedSource (source: DatabaseSource): DatabaseSource {
  const { table, query } = source
  if ((table === undefined) === (query === undefined)) {
    throw new ConfigError(`${redactUri(source.uri)}: give the rows to index with --table NAME or --query "SELECT …" (one of them)`)
  }
  if (table !== undefined) quoteTable(table)
  if (query !== undefined && !/^\s*(select|with|values|table)\b/i.test(query)) {
    throw new ConfigError(`--query must be a SELECT (or WITH … SELECT), got «${query.slice(0, 60)}»`)
  }
  return source
}

function definedShape (shape: { table?: string | undefined, query?: string | undefined }): { table?: string, query?: string } {
  return {
    ...(shape.table === undefined || shape.table === '' ? {} : { table: shape.table }),
    ...(shape.query === undefined || shape.query.trim() === '' ? {} : { query: shape.query.trim().replace(/;\s*$/, '') })
  }
}

function withoutFragment (uri: string): string {
  const hash = uri.indexOf('#')
  return hash === -1 ? uri : uri.slice(0, hash)
}

/** `"schema"."table"`: a name is quoted, never spliced in as SQL. */
export function quoteTable (table: string): string {
  const parts = table.split('.')
  if (parts.length > 2 || parts.some(part => part === '')) {
    throw new ConfigError(`--table ${table}: give a table name, optionally with its schema (news.articles)`)
  }
  return parts.map(part => `"${part.replace(/"/g, '""')}"`).join('.')
}

/** The URI without its password (in the user part or a `password=` parameter). */
export function redactUri (uri: string): string {
  const bare = withoutFragment(uri)
  try {
    const url = new URL(bare)
    if (url.password !== '') url.password = '***'
    if (url.searchParams.has('password')) url.searchParams.set('password', '***')
    return url.toString()
  } catch {
    return bare.replace(/(\/\/[^:/@]*):[^@]*@/, '$1:***@').replace(/password=[^&]*/gi, 'password=***')
  }
}

/** For logs, status and skip reports: the redacted URI and the table or the query. */
export function describeSource (source: DatabaseSource): string {
  return `${redactUri(source.uri)} ${source.table !== undefined ? `table ${source.table}` : `query «${source.query ?? ''}»`}`
}

/** A database corpus's digest (the manifest's corpusDigest): which rows, not their content, which follow mode keeps current. */
export function sourceDigest (source: DatabaseSource): string {
  return `postgresql:${createHash('sha256').update(describeSource(source)).digest('hex')}`
}

/** The SELECT whose rows are the corpus. */
export function sourceSql (source: DatabaseSource): string {
  return source.table !== undefined ? `SELECT * FROM ${quoteTable(source.table)}` : source.query ?? ''
}

/**
 * The driver, loaded on the first connection: a server or indexer without a database source
 * does not load it (60 ms of a server's start before it listens).
 */
async function driver (): Promise<{ pg: typeof pg, Cursor: typeof PgCursor, types: pg.CustomTypesConfig }> {
  const [{ default: pg }, { default: Cursor }] = await Promise.all([import('pg'), import('pg-cursor')])
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === DATE_OID) return (value: string) => value
      // Without a zone, as a file's `2019-06-26 14:00:00` is read: in TIME_ZONE, by the article's date validation.
      if (oid === TIMESTAMP_OID) return (value: string) => value
      if (oid === TIMESTAMPTZ_OID) return (value: string) => isoOr(pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text')(value) as Date, value)
      return pg.types.getTypeParser(oid, format ?? 'text')
    }) as pg.CustomTypesConfig['getTypeParser']
  }
  return { pg, Cursor, types }
}

/** A timestamp with time zone as ISO 8601; infinity and the like stay text, for validation to refuse. */
function isoOr (date: Date, raw: string): string {
  return Number.isNaN(date.getTime()) ? raw : date.toISOString()
}

/** A connected client, its session in UTC (so `updated_at::text` reads back as the same instant). */
export async function connectSource (source: DatabaseSource, connectionTimeoutMillis = 10_000): Promise<pg.Client> {
  const { pg, types } = await driver()
  const client = new pg.Client({ connectionString: source.uri, types, application_name: 'poisk', connectionTimeoutMillis })
  // An error on an idle connection (the server went away) is reported by the next query; unhandled, it would end the process.
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query("SET TIME ZONE 'UTC'")
  } catch (error) {
    await client.end().catch(() => {})
    throw databaseError(source, error)
  }
  return client
}

/** A failure as a DatabaseSourceError naming the source, never its password. */
export function databaseError (source: DatabaseSource, error: unknown): Error {
  // poisk's own errors (a full disk while applying followed rows) keep their code and message.
  if (error instanceof PoiskError) return error
  const { message, code } = error as { message?: string, code?: string }
  const text = (message ?? String(error)).split(source.uri).join(redactUri(source.uri))
  return new DatabaseSourceError(describeSource(source), `${text}${code === undefined ? '' : ` (${code})`}`, { cause: error })
}

/** The columns the source's rows have. */
export async function columnsOf (client: pg.Client, source: DatabaseSource): Promise<Set<string>> {
  const result = await client.query(`SELECT * FROM (${sourceSql(source)}) q LIMIT 0`)
  return new Set(result.fields.map(field => field.name))
}

export interface ReadHooks {
  /** UTF-8 bytes of the row values read, and the estimated total (exact once every row is read). */
  onBytes?: (read: number, estimatedTotal: number) => void
  /** The newest `updated_at` of the snapshot read (as the database prints it), or undefined without the column: where following starts. */
  onPosition?: (position: string | undefined) => void
  /** How records are read (TIME_ZONE), as for a file corpus. */
  article?: ArticleOptions
}

/**
 * Every row as a corpus event, through a server-side cursor in one read-only snapshot.
 * Rows with `deleted_at` set are left out, as are the skipped records of a file corpus'
 * deleted lines would be.
 */
export async function * readDatabaseCorpus (source: DatabaseSource, hooks: ReadHooks = {}): AsyncGenerator<CorpusEvent> {
  const label = sourceLabel(source)
  const client = await connectSource(source)
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const sql = sourceSql(source)
    const columns = await columnsOf(client, source)
    const live = columns.has('deleted_at') ? ' WHERE q.deleted_at IS NULL' : ''
    if (columns.has('updated_at')) {
      const { rows } = await client.query<{ position: string | null }>(`SELECT max(q.updated_at)::text AS position FROM (${sql}) q`)
      hooks.onPosition?.(rows[0]?.position ?? undefined)
    } else {
      hooks.onPosition?.(undefined)
    }
    const { rows: counted } = await client.query<{ rows: string }>(`SELECT count(*) AS rows FROM (${sql}) q${live}`)
    const totalRows = Number(counted[0]?.rows ?? 0)
    const { Cursor } = await driver()
    const cursor = client.query(new Cursor<Record<string, unknown>>(`SELECT q.* FROM (${sql}) q${live}`))
    let line = 0
    let bytes = 0
    for (;;) {
      const rows = await cursor.read(CURSOR_BATCH)
      if (rows.length === 0) break
      for (const row of rows) {
        line += 1
        bytes += rowBytes(row)
        yield rowEvent(row, label, line, hooks.article)
      }
      // Progress by rows, shown as bytes: the total is the average row so far times the rows counted.
      hooks.onBytes?.(bytes, Math.max(bytes, Math.round(bytes / line * totalRows)))
    }
    await cursor.close()
    await client.query('COMMIT')
  } catch (error) {
    throw databaseError(source, error)
  } finally {
    await client.end().catch(() => {})
  }
}

/** What skip reports name as the "file". */
export function sourceLabel (source: DatabaseSource): string {
  return source.table !== undefined ? `table ${source.table}` : 'query'
}

function rowEvent (row: Record<string, unknown>, label: string, line: number, options?: ArticleOptions): CorpusEvent {
  const change = rowChange(row, options)
  if (change.op === 'put') return articleEvent(label, line, change)
  if (change.op === 'skip') return skipEvent(label, line, change.error.reason, `${change.id === undefined ? '' : `id ${change.id}: `}${change.error.message}`)
  // Not reached from readDatabaseCorpus, which selects live rows only.
  return skipEvent(label, line, 'wrong-type', `id ${change.id}: deleted`)
}

/** A row as a change: put when it is a valid article, delete when `deleted_at` is set, else skip with the reason. */
export function rowChange (row: Record<string, unknown>, options: ArticleOptions = {}): RowChange {
  const id = rowId(row)
  if (id !== undefined && row.deleted_at !== undefined && row.deleted_at !== null) return { op: 'delete', id }
  try {
    const { article, warnings } = readArticle(row, options)
    return { op: 'put', id: article.id, article, warnings }
  } catch (error) {
    if (error instanceof CorpusRecordError) return { op: 'skip', id, error }
    throw error
  }
}

/** The row's id as articleFromRecord reads it (numbers and bigint strings alike), if it has one. */
export function rowId (row: Record<string, unknown>): string | undefined {
  const id = row.id
  if (typeof id === 'string' && id.trim() !== '') return id.trim()
  if (typeof id === 'number' && Number.isFinite(id)) return String(id)
  return undefined
}

function rowBytes (row: Record<string, unknown>): number {
  let bytes = 0
  for (const value of Object.values(row)) {
    if (typeof value === 'string') bytes += Buffer.byteLength(value)
    else if (Array.isArray(value)) bytes += value.reduce<number>((sum, item) => sum + (typeof item === 'string' ? Buffer.byteLength(item) : 8), 0)
    else if (value !== null && value !== undefined) bytes += 8
  }
  return bytes
}

/** The database corpus among corpus paths, if it is one; a ConfigError when it is mixed with files. */
export function databaseSourceOf (corpusPaths: readonly string[]): DatabaseSource | undefined {
  const databases = corpusPaths.filter(isDatabaseCorpus)
  if (databases.length === 0) return undefined
  if (corpusPaths.length > 1) throw new ConfigError('a postgresql:// corpus must be the only --corpus')
  return parseDatabaseCorpus(databases[0] as string)
}

/** The table's size on disk (an estimate of the corpus's bytes, which decides the analysis threads); undefined for a query. */
export async function sourceBytes (source: DatabaseSource): Promise<number | undefined> {
  if (source.table === undefined) return undefined
  const client = await connectSource(source)
  try {
    const { rows } = await client.query<{ bytes: string }>('SELECT pg_total_relation_size($1::regclass) AS bytes', [quoteTable(source.table)])
    return Number(rows[0]?.bytes ?? 0)
  } catch (error) {
    throw databaseError(source, error)
  } finally {
    await client.end().catch(() => {})
  }
}

/** A corpus path as logs may show it: a database corpus without its password. */
export function corpusPathForLogs (path: string): string {
  return isDatabaseCorpus(path) ? redactUri(path) + (path.includes('#') ? path.slice(path.indexOf('#')) : '') : path
}
