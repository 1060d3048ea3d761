/**
 * The follower against a real PostgreSQL (skipped, saying so, where it is not installed):
 * rows with equal updated_at across a page boundary, a row committed after a poll passed
 * its timestamp, deletes, resuming from the saved position, and an outage.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { configFromEnv } from '../../src/config.js'
import { databaseCorpus, parseDatabaseCorpus } from '../../src/corpus/postgres-source.js'
import type { ChangeOperation } from '../../src/index/change-records.js'
import { PostgresFollower, timestampMs, type PostgresFollowerOptions } from '../../src/live/postgres-follower.js'
import { ARTICLES_TABLE, postgresInstalled, startPostgres, type TestPostgres } from '../helpers/postgres.js'
import { tempDir } from '../helpers/temp-dir.js'
import pg from 'pg'

const quiet = { info: () => {}, warn: () => {}, error: () => {} }

describe('FOLLOW_INTERVAL_MS and FOLLOW_WINDOW_MS', () => {
  it('default to a second and ten, and take whole milliseconds only', () => {
    expect(configFromEnv({}).follow).toEqual({ intervalMs: 1000, windowMs: 10_000 })
    expect(configFromEnv({ FOLLOW_INTERVAL_MS: '250', FOLLOW_WINDOW_MS: '0' }).follow).toEqual({ intervalMs: 250, windowMs: 0 })
    expect(() => configFromEnv({ FOLLOW_INTERVAL_MS: 'soon' })).toThrow(/FOLLOW_INTERVAL_MS/)
    expect(() => configFromEnv({ FOLLOW_INTERVAL_MS: '0' })).toThrow(/FOLLOW_INTERVAL_MS/)
  })
})

describe('timestampMs', () => {
  it('reads PostgreSQL\'s UTC output, with or without fractions and zone', () => {
    expect(timestampMs('2026-12-06 02:30:00.123456+00')).toBe(Date.UTC(2026, 11, 6, 2, 30, 0, 123))
    expect(timestampMs('2026-12-06 02:30:00+00')).toBe(Date.UTC(2026, 11, 6, 2, 30, 0))
    expect(timestampMs('2026-12-06 02:30:00.5')).toBe(Date.UTC(2026, 11, 6, 2, 30, 0, 500))
  })
})

describe.skipIf(!postgresInstalled())('following a PostgreSQL table', () => {
  let db: TestPostgres
  beforeAll(async () => { db = await startPostgres() })
  afterAll(async () => await db?.destroy())
  beforeEach(async () => {
    await db.query('DROP TABLE IF EXISTS articles')
    await db.query(ARTICLES_TABLE)
  })

  function follower (indexDir: string, overrides: Partial<PostgresFollowerOptions> = {}): { follower: PostgresFollower, applied: ChangeOperation[], held: Set<string> } {
    const applied: ChangeOperation[] = []
    const held = new Set<string>()
    const instance = new PostgresFollower({
      source: parseDatabaseCorpus(databaseCorpus(db.uri, { table: 'articles' })),
      indexDir,
      intervalMs: 50,
      apply: async changes => {
        for (const change of changes) {
          applied.push(change)
          if (change.op === 'put') held.add(change.id)
          else held.delete(change.id)
        }
      },
      holds: id => held.has(id),
      livePosition: () => ({ live: true }),
      logger: quiet,
      ...overrides
    })
    onTestFinished(async () => await instance.stop())
    return { follower: instance, applied, held }
  }

  it('loses none of several rows with one updated_at split across pages', async () => {
    await db.query(`INSERT INTO articles (id, title, body, updated_at)
      SELECT 'r' || i, 'Статья ' || i, 'текст', '2026-01-01 00:00:00+00' FROM generate_series(1, 5) i`)
    const { follower: f, applied } = follower(await tempDir(), { pageSize: 2 })
    expect(await f.pollOnce()).toBe(5)
    expect(applied.map(change => change.id).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5'])
    expect(await f.pollOnce()).toBe(0)
  })

  it('applies a row committed after a poll passed its updated_at (the safety window), once', async () => {
    const { follower: f, applied } = follower(await tempDir(), { windowMs: 60_000 })
    // A writer stamps its row, and commits only after another writer's later row was polled.
    const slow = new pg.Client({ connectionString: db.uri })
    await slow.connect()
    onTestFinished(async () => await slow.end())
    await slow.query('BEGIN')
    await slow.query("INSERT INTO articles (id, title, body, updated_at) VALUES ('slow', 'Медленная', 'текст', now() - interval '2 seconds')")
    await db.query("INSERT INTO articles (id, title, body) VALUES ('fast', 'Быстрая', 'текст')")
    await f.pollOnce()
    expect(applied.map(change => change.id)).toEqual(['fast'])
    await slow.query('COMMIT')
    await f.pollOnce()
    expect(applied.map(change => change.id)).toEqual(['fast', 'slow'])
    // Re-read in the window, but not applied again.
    await f.pollOnce()
    expect(applied).toHaveLength(2)
  })

  it('misses such a row without the window (what the window is for)', async () => {
    const { follower: f, applied } = follower(await tempDir(), { windowMs: 0 })
    const slow = new pg.Client({ connectionString: db.uri })
    await slow.connect()
    onTestFinished(async () => await slow.end())
    await slow.query('BEGIN')
    await slow.query("INSERT INTO articles (id, title, body, updated_at) VALUES ('slow', 'Медленная', 'текст', now() - interval '2 seconds')")
    await db.query("INSERT INTO articles (id, title, body) VALUES ('fast', 'Быстрая', 'текст')")
    await f.pollOnce()
    await slow.query('COMMIT')
    await f.pollOnce()
    expect(applied.map(change => change.id)).toEqual(['fast'])
  })

  it('deletes rows whose deleted_at is set, and rows that can no longer be indexed', async () => {
    await db.query("INSERT INTO articles (id, title, body) VALUES ('a', 'Первая', 'текст'), ('b', 'Вторая', 'текст')")
    const { follower: f, applied, held } = follower(await tempDir())
    await f.pollOnce()
    await db.query("UPDATE articles SET deleted_at = now(), updated_at = clock_timestamp() WHERE id = 'a'")
    await db.query("UPDATE articles SET title = '', updated_at = clock_timestamp() WHERE id = 'b'")
    // A row deleted before it was ever indexed logs nothing.
    await db.query("INSERT INTO articles (id, title, body, deleted_at) VALUES ('c', 'Третья', 'текст', now())")
    await f.pollOnce()
    expect(applied.slice(2)).toEqual([{ op: 'delete', id: 'a' }, { op: 'delete', id: 'b' }])
    expect([...held]).toEqual([])
  })

  it('resumes from the position it saved, not from the live build\'s', async () => {
    const indexDir = await tempDir()
    await db.query("INSERT INTO articles (id, title, body, updated_at) VALUES ('old', 'Давняя', 'текст', now() - interval '1 hour')")
    await db.query("INSERT INTO articles (id, title, body) VALUES ('a', 'Первая', 'текст')")
    const first = follower(indexDir, { windowMs: 0 })
    await first.follower.pollOnce()
    await first.follower.stop()
    expect(first.applied.map(change => change.id)).toEqual(['old', 'a'])
    await db.query("INSERT INTO articles (id, title, body) VALUES ('b', 'Вторая', 'текст')")
    // The live build knows nothing of a position: without the saved one, every row would be read again.
    // The row at the position itself is read again (a row committed later may share its updated_at).
    const second = follower(indexDir, { windowMs: 0 })
    await second.follower.pollOnce()
    expect(second.applied.map(change => change.id)).toEqual(['a', 'b'])
    expect(second.follower.status().lastSeenUpdatedAt).not.toBeNull()
  })

  it('keeps going through an outage: one error logged, the status says so, and it catches up', async () => {
    const errors: string[] = []
    const { follower: f, applied } = follower(await tempDir(), { logger: { ...quiet, error: (_details, message) => errors.push(message) }, maxRetryMs: 200 })
    f.start()
    await expect.poll(() => f.status().lastPollAt, { timeout: 10_000 }).not.toBeNull()
    await db.stop()
    try {
      await expect.poll(() => f.status().lastError, { timeout: 10_000 }).toBeDefined()
      await new Promise(resolve => setTimeout(resolve, 1000))
      // Read while the database is down: once it is back, the next poll (200 ms at most) catches up and the lag drops.
      expect(f.status().lagMs).toBeGreaterThanOrEqual(1000)
    } finally {
      await db.start()
    }
    expect(errors).toHaveLength(1)
    await db.query("INSERT INTO articles (id, title, body) VALUES ('after', 'После сбоя', 'текст')")
    await expect.poll(() => applied.map(change => change.id), { timeout: 15_000 }).toContain('after')
    await expect.poll(() => f.status().lastError, { timeout: 5000 }).toBeUndefined()
    expect(errors).toHaveLength(1)
  })
})
