/**
 * `serve --follow`: keeps the served index in step with a PostgreSQL table by polling it.
 * Every `intervalMs` it reads the rows changed since its position, in (updated_at, id)
 * order a page at a time, and applies them as live changes (a put per row, a delete per
 * row whose `deleted_at` is set), one batch per page through the coordinator's change
 * path: logged durably, then applied, exactly as PUT and DELETE /documents/:id are.
 *
 * Rows committed out of order: `updated_at` is stamped when a row is written, but the row
 * becomes visible when its transaction commits, so a row stamped before the position can
 * appear after a poll has passed it. Each poll therefore re-reads a safety window
 * (`windowMs`, 10 s by default) behind the position — as ids and digests only (the database
 * computes each row's md5), reading whole only the rows not applied with that digest — then
 * the rows after the position. A transaction that commits more than the window after it
 * stamped its rows is missed until the row is written again: keep the window above the
 * longest writing transaction.
 *
 * The position (the newest `updated_at` applied, as the database prints it) is saved in
 * the index folder after every poll that moved it (`follow-state.json`, write + fsync +
 * rename), so a restart resumes there; with no saved position it starts at the live
 * build's (`manifest.sourcePosition`, the newest row a database build read). When the
 * database is unreachable it logs once, keeps serving, retries with a growing delay and
 * catches up when it is back.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type pg from 'pg'
import type { Article, ArticleOptions } from '../corpus/article.js'
import { columnsOf, connectSource, databaseError, describeSource, rowChange, sourceDigest, sourceSql, type DatabaseSource } from '../corpus/postgres-source.js'
import { ConfigError } from '../errors.js'
import type { ChangeOperation } from '../index/change-records.js'
import { writeFileDurably } from '../index/durable-fs.js'
import type { Snapshot } from '../index/open-index.js'
import { getDocument } from '../search/get-document.js'
import type { CoordinatorLogger } from './rebuild-coordinator.js'

export const FOLLOW_STATE_FILE = 'follow-state.json'

/** The coordinator's logger: the follower logs through the same one. */
export type FollowerLogger = CoordinatorLogger

export interface PostgresFollowerOptions {
  source: DatabaseSource
  indexDir: string
  /** FOLLOW_INTERVAL_MS: the pause between polls. */
  intervalMs: number
  /** How far behind the position each poll re-reads (rows committed out of order). */
  windowMs?: number
  /** Rows read per query; a page is applied as one batch. */
  pageSize?: number
  /** The longest pause between retries while the database is unreachable. */
  maxRetryMs?: number
  /** Applies a page of changes (the coordinator's changeDocuments): logged, then live. */
  apply: (changes: readonly ChangeOperation[]) => Promise<unknown>
  /** Whether the live index holds a document (a delete of one it lacks is not logged). */
  holds: (id: string) => boolean
  /**
   * Whether the live index already holds this very article: a row re-read in the window, or
   * after a restart, whose content the index has is not logged and analysed again.
   */
  holdsSame?: (article: Article) => Promise<boolean>
  /** The live build's manifest position, when it was built from this source; undefined when no index is live yet. */
  livePosition: () => { live: boolean, position?: string }
  logger: FollowerLogger
  article?: ArticleOptions
}

export interface FollowStatus {
  source: string
  lastSeenUpdatedAt: string | null
  /** How long since this replica last held every row the table had: about the poll interval when in step; growing while the database is away. */
  lagMs: number | null
  lastPollAt: string | null
  lastError?: string
}

interface SavedState {
  source: string
  position: string
  savedAt: string
}

interface Row extends Record<string, unknown> {
  poisk_updated_at: string
  poisk_updated_ms: number
  poisk_digest: string
}

/** A row of the window as first read: its key and digest. */
interface WindowKey {
  id: unknown
  poisk_updated_at: string
  poisk_digest: string
}

const DEFAULT_WINDOW_MS = 10_000
const DEFAULT_PAGE_SIZE = 500
const DEFAULT_MAX_RETRY_MS = 30_000

export class PostgresFollower {
  private readonly windowMs: number
  private readonly pageSize: number
  private readonly digest: string
  private client: pg.Client | undefined
  /** The newest updated_at applied, as the database prints it; undefined: from the first row. */
  private position: string | undefined
  /** The position in milliseconds since the epoch, to keep it from moving back. */
  private positionMs = -Infinity
  private positionResolved = false
  private savedPosition: string | undefined
  /** Rows applied within the window: id → digest of what was applied. */
  private readonly seen = new Map<string, { ms: number, digest: string }>()
  private caughtUpAt: number | undefined
  private lastPollAt: number | undefined
  private lastError: string | undefined
  private outageSince: number | undefined
  private timer: NodeJS.Timeout | undefined
  private polling: Promise<void> | undefined
  private stopped = false

  constructor (private readonly options: PostgresFollowerOptions) {
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE
    this.digest = sourceDigest(options.source)
  }

  /** Starts polling (the first poll at once). */
  start (): void {
    this.options.logger.info({ source: describeSource(this.options.source), intervalMs: this.options.intervalMs, windowMs: this.windowMs }, 'following the database')
    this.schedule(0)
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.polling
    await this.closeClient()
  }

  status (): FollowStatus {
    return {
      source: describeSource(this.options.source),
      lastSeenUpdatedAt: this.position ?? null,
      lagMs: this.caughtUpAt === undefined ? null : Math.max(0, Date.now() - this.caughtUpAt),
      lastPollAt: this.lastPollAt === undefined ? null : new Date(this.lastPollAt).toISOString(),
      ...(this.lastError === undefined ? {} : { lastError: this.lastError })
    }
  }

  /**
   * One poll: every row changed since the position (and the window behind it) applied.
   * Returns how many changes were applied; 0 when no index is live yet.
   */
  async pollOnce (): Promise<number> {
    const started = Date.now()
    if (!await this.resolvePosition()) return 0
    const client = await this.connection()
    const timing = { readMs: 0 }
    let applied = await this.pollWindow(client, timing)
    let after: { at: string, id: unknown } | undefined
    for (;;) {
      const rows = await this.timed(timing, async () => await this.pageAhead(client, after))
      applied += await this.applyPage(rows, { movesPosition: true })
      const last = rows.at(-1)
      if (last === undefined || rows.length < this.pageSize) break
      after = { at: last.poisk_updated_at, id: last.id }
    }
    this.forgetOld()
    this.lastPollAt = Date.now()
    this.caughtUpAt = started
    await this.savePosition()
    if (applied > 0) this.options.logger.info({ applied, ms: Date.now() - started, readMs: timing.readMs, position: this.position }, 'table changes applied')
    return applied
  }

  private schedule (delayMs: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.polling = this.pollQuietly().finally(() => { this.polling = undefined })
    }, delayMs)
  }

  private async pollQuietly (): Promise<void> {
    const started = Date.now()
    let delay: number
    try {
      await this.pollOnce()
      if (this.outageSince !== undefined) {
        this.options.logger.info({ source: describeSource(this.options.source), outageMs: Date.now() - this.outageSince }, 'database reachable again: caught up')
      }
      this.outageSince = undefined
      this.lastError = undefined
      // Polls start every intervalMs (a poll that took longer is followed at once): the
      // interval bounds how long a change waits to be read, whatever a poll costs.
      delay = Math.max(0, this.options.intervalMs - (Date.now() - started))
    } catch (error) {
      const wrapped = databaseError(this.options.source, error)
      this.lastError = wrapped.message
      this.lastPollAt = Date.now()
      await this.closeClient()
      // One line per outage, not one per retry; the retries back off to maxRetryMs.
      if (this.outageSince === undefined) {
        this.outageSince = Date.now()
        this.options.logger.error({ err: wrapped }, 'cannot follow the database: still serving, retrying')
      }
      const outage = Date.now() - this.outageSince
      delay = Math.min(this.options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS, Math.max(this.options.intervalMs, outage / 2))
    }
    this.schedule(delay)
  }

  /** The saved position, else the live build's; false while no index is live. */
  private async resolvePosition (): Promise<boolean> {
    if (this.positionResolved) return true
    const live = this.options.livePosition()
    if (!live.live) return false
    const saved = await this.readState()
    this.setPosition(saved ?? live.position)
    this.savedPosition = saved
    this.positionResolved = true
    this.options.logger.info({ position: this.position ?? null, from: saved !== undefined ? FOLLOW_STATE_FILE : live.position !== undefined ? 'the live build' : 'the first row' }, 'following from')
    return true
  }

  private async connection (): Promise<pg.Client> {
    if (this.client !== undefined) return this.client
    const client = await connectSource(this.options.source)
    try {
      const columns = await columnsOf(client, this.options.source)
      const missing = ['id', 'updated_at'].filter(name => !columns.has(name))
      if (missing.length > 0) throw new ConfigError(`--follow needs the columns id and updated_at; ${describeSource(this.options.source)} has no ${missing.join(', ')}`)
    } catch (error) {
      await client.end().catch(() => {})
      throw error
    }
    this.client = client
    return client
  }

  private async closeClient (): Promise<void> {
    const client = this.client
    this.client = undefined
    await client?.end().catch(() => {})
  }

  /**
   * The rows of the safety window behind the position that were not applied with their
   * present content: their ids and digests are read first (a few bytes a row: at 100 changes
   * a second the window holds a thousand rows, re-read every poll), then only the rows whose
   * digest is new, in full. Returns how many changes were applied.
   */
  private async pollWindow (client: pg.Client, timing: { readMs: number }): Promise<number> {
    if (this.position === undefined || this.windowMs <= 0) return 0
    const sql = `SELECT q.id, q.updated_at::text AS poisk_updated_at, ${DIGEST_SQL} AS poisk_digest FROM (${sourceSql(this.options.source)}) q
      WHERE q.updated_at >= $1::timestamptz - make_interval(secs => $2) AND q.updated_at < $1::timestamptz`
    let applied = 0
    let after: { at: string, id: unknown } | undefined
    for (;;) {
      const keys = await this.timed(timing, async () => after === undefined
        ? (await client.query<WindowKey>(`${sql} ${orderBy(this.pageSize * KEY_PAGE_FACTOR)}`, [this.position, this.windowMs / 1000])).rows
        : (await client.query<WindowKey>(`${sql} AND (q.updated_at, q.id) > ($3, $4) ${orderBy(this.pageSize * KEY_PAGE_FACTOR)}`, [this.position, this.windowMs / 1000, after.at, after.id])).rows)
      const unseen = keys.filter(key => key.id != null && this.seen.get(String(key.id))?.digest !== key.poisk_digest).map(key => key.id)
      for (let at = 0; at < unseen.length; at += this.pageSize) {
        const ids = unseen.slice(at, at + this.pageSize)
        const rows = await this.timed(timing, async () => await this.rowsOf(client, `WHERE q.id = ANY($1) ${orderBy()}`, [ids]))
        applied += await this.applyPage(rows, { movesPosition: false })
      }
      const last = keys.at(-1)
      if (last === undefined || keys.length < this.pageSize * KEY_PAGE_FACTOR) return applied
      after = { at: last.poisk_updated_at, id: last.id }
    }
  }

  /**
   * The next page of rows changed since the position, in (updated_at, id) order: after a row,
   * or from the position — the rows at the position itself again, since a row committed
   * later may share its updated_at.
   */
  private async pageAhead (client: pg.Client, after: { at: string, id: unknown } | undefined): Promise<Row[]> {
    const order = orderBy(this.pageSize)
    if (after !== undefined) return await this.rowsOf(client, `WHERE (q.updated_at, q.id) > ($1, $2) ${order}`, [after.at, after.id])
    if (this.position !== undefined) return await this.rowsOf(client, `WHERE q.updated_at >= $1::timestamptz ${order}`, [this.position])
    return await this.rowsOf(client, `WHERE q.updated_at IS NOT NULL ${order}`, [])
  }

  /** Whole rows of the source, with their updated_at as printed and in ms, and their digest. */
  private async rowsOf (client: pg.Client, where: string, values: unknown[]): Promise<Row[]> {
    const select = `SELECT q.*, q.updated_at::text AS poisk_updated_at, extract(epoch FROM q.updated_at) * 1000 AS poisk_updated_ms, ${DIGEST_SQL} AS poisk_digest FROM (${sourceSql(this.options.source)}) q`
    const result = await client.query<Row>(`${select} ${where}`, values)
    return result.rows.map(row => ({ ...row, poisk_updated_ms: Number(row.poisk_updated_ms) }))
  }

  private async timed<T> (timing: { readMs: number }, read: () => Promise<T>): Promise<T> {
    const started = Date.now()
    try {
      return await read()
    } finally {
      timing.readMs += Date.now() - started
    }
  }

  /**
   * Applies a page's new rows as one batch; a page read ahead of the position moves it once
   * they are live (the window's rows lie behind it).
   */
  private async applyPage (rows: readonly Row[], { movesPosition }: { movesPosition: boolean }): Promise<number> {
    const changes = new Map<string, ChangeOperation>()
    const seenNow: Array<[string, { ms: number, digest: string }]> = []
    for (const row of rows) {
      const { poisk_updated_at: _at, poisk_updated_ms: ms, poisk_digest: digest, ...record } = row
      const change = rowChange(record, this.options.article)
      if (change.id === undefined) continue
      if (this.seen.get(change.id)?.digest === digest) continue
      seenNow.push([change.id, { ms, digest }])
      if (change.op === 'put') {
        changes.delete(change.id)
        if (!await this.options.holdsSame?.(change.article)) changes.set(change.id, { op: 'put', id: change.id, article: change.article })
      } else {
        if (change.op === 'skip') {
          this.options.logger.warn({ id: change.id, reason: change.error.reason, message: change.error.message }, 'a followed row cannot be indexed: its document is removed')
        }
        // A later row of the same page replaces an earlier change of the same id (Map order is first insertion: delete and re-add).
        changes.delete(change.id)
        if (this.holds(change.id, changes)) changes.set(change.id, { op: 'delete', id: change.id })
      }
    }
    const batch = [...changes.values()]
    if (batch.length > 0) await this.options.apply(batch)
    for (const [id, entry] of seenNow) this.seen.set(id, entry)
    const last = rows.at(-1)
    // Never back: the newest row may have been deleted outright since the last poll.
    if (movesPosition && last !== undefined && last.poisk_updated_ms >= this.positionMs) this.setPosition(last.poisk_updated_at, last.poisk_updated_ms)
    return batch.length
  }

  private holds (id: string, pending: Map<string, ChangeOperation>): boolean {
    return this.options.holds(id) || pending.has(id)
  }

  private setPosition (position: string | undefined, ms = position === undefined ? -Infinity : timestampMs(position)): void {
    this.position = position
    this.positionMs = ms
  }

  /** Digests of rows older than the window behind the position are no longer needed: those rows are not read again. */
  private forgetOld (): void {
    if (!Number.isFinite(this.positionMs)) return
    const horizon = this.positionMs - this.windowMs
    for (const [id, entry] of this.seen) if (entry.ms < horizon) this.seen.delete(id)
  }

  private async readState (): Promise<string | undefined> {
    let text: string
    try {
      text = await readFile(join(this.options.indexDir, FOLLOW_STATE_FILE), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    try {
      const state = JSON.parse(text) as Partial<SavedState>
      if (state.source === this.digest && typeof state.position === 'string') return state.position
      this.options.logger.warn({ file: FOLLOW_STATE_FILE }, 'the saved follow position is for another source: not used')
    } catch {
      this.options.logger.warn({ file: FOLLOW_STATE_FILE }, 'the saved follow position is unreadable: not used')
    }
    return undefined
  }

  private async savePosition (): Promise<void> {
    if (this.position === undefined || this.position === this.savedPosition) return
    const state: SavedState = { source: this.digest, position: this.position, savedAt: new Date().toISOString() }
    await writeFileDurably(join(this.options.indexDir, FOLLOW_STATE_FILE), `${JSON.stringify(state)}\n`)
    this.savedPosition = this.position
  }
}

/** A timestamp as PostgreSQL prints it in UTC (`2026-12-06 02:30:00.123456+00`, no zone for a timestamp without one), in ms. */
export function timestampMs (text: string): number {
  const iso = text.trim().replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')
  return Date.parse(/(?:Z|[+-]\d\d:\d\d)$/.test(iso) ? iso : `${iso}Z`)
}

/** The same stored content: every field an article has, in one order. */
function sameArticle (a: Article, b: Article): boolean {
  const fields = (article: Article): unknown[] => [article.kind, article.title, article.body, article.summary, article.date, article.url, article.tags, article.source]
  return JSON.stringify(fields(a)) === JSON.stringify(fields(b))
}

/**
 * A row's content digest, computed by the database over the row as it prints it: the window
 * is re-read as ids and digests, and a row is read whole only when its digest is new.
 */
const DIGEST_SQL = 'md5(q::text)'

/** The window's keys are read in pages this many times larger than pages of whole rows. */
const KEY_PAGE_FACTOR = 10

function orderBy (limit?: number): string {
  return `ORDER BY q.updated_at, q.id${limit === undefined ? '' : ` LIMIT ${limit}`}`
}

/** What `serve --follow` follows, and how often. */
export interface FollowConfig {
  source: DatabaseSource
  intervalMs: number
  windowMs: number
}

/** The parts of the coordinator and store a follower works through. */
export interface FollowTarget {
  changeDocuments: (changes: readonly ChangeOperation[]) => Promise<unknown>
  followStatus: (() => FollowStatus) | undefined
}

/**
 * Starts following `config.source` into a served index: changes go through the
 * coordinator's batch path (in a cluster worker, through the primary's change writer, so
 * every worker applies them), and /admin/status shows the follower's status.
 */
export function startFollowing (target: FollowTarget, store: { current: () => Snapshot | undefined }, indexDir: string, config: FollowConfig, logger: FollowerLogger, article?: ArticleOptions): PostgresFollower {
  const digest = sourceDigest(config.source)
  const follower = new PostgresFollower({
    source: config.source,
    indexDir,
    intervalMs: config.intervalMs,
    windowMs: config.windowMs,
    apply: async changes => await target.changeDocuments(changes),
    holds: id => store.current()?.miniSearch.has(id) ?? false,
    holdsSame: async article => {
      const live = store.current()
      if (live === undefined || !live.miniSearch.has(article.id)) return false
      const stored = await getDocument(live, article.id)
      return stored !== undefined && sameArticle(stored, article)
    },
    livePosition: () => {
      const live = store.current()
      if (live === undefined) return { live: false }
      // A build of this source knows where its rows end; any other build is followed from the table's first row.
      const position = live.manifest.corpusDigest === digest ? live.manifest.sourcePosition : undefined
      return { live: true, ...(position === undefined ? {} : { position }) }
    },
    logger,
    ...(article === undefined ? {} : { article })
  })
  target.followStatus = () => follower.status()
  follower.start()
  return follower
}
