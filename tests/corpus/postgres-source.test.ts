/**
 * A PostgreSQL table as a corpus, against a real throwaway server (skipped, saying so,
 * where PostgreSQL is not installed): the same events as a file corpus, the build and its
 * manifest, and connection strings never shown with their password.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import type { CorpusEvent } from '../../src/corpus/corpus-event.js'
import {
  corpusPathForLogs, databaseCorpus, databaseSourceOf, describeSource, parseDatabaseCorpus, readDatabaseCorpus, redactUri, sourceDigest
} from '../../src/corpus/postgres-source.js'
import { ConfigError, DatabaseSourceError } from '../../src/errors.js'
import { buildIndex } from '../../src/index/build-index.js'
import { indexFreshness } from '../../src/index/index-freshness.js'
import { buildPath, readCurrentBuildId } from '../../src/index/index-directory.js'
import { readManifest } from '../../src/index/manifest.js'
import { collect } from '../helpers/collect.js'
import { postgresInstalled, startPostgres, type TestPostgres } from '../helpers/postgres.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('a database corpus string', () => {
  it('carries the table or the query in the fragment, and reads back', () => {
    const table = databaseCorpus('postgresql://u:secret@db.example/news', { table: 'news.articles' })
    expect(parseDatabaseCorpus(table)).toEqual({ uri: 'postgresql://u:secret@db.example/news', table: 'news.articles' })
    const query = databaseCorpus('postgres://u@/news?host=/run/postgresql', { query: 'SELECT id, headline AS title FROM items WHERE a = \'x#y\';' })
    expect(parseDatabaseCorpus(query)).toEqual({ uri: 'postgres://u@/news?host=/run/postgresql', query: 'SELECT id, headline AS title FROM items WHERE a = \'x#y\'' })
  })

  it('refuses a corpus with neither or both, a bad table name, a non-SELECT, or mixed with files', () => {
    expect(() => parseDatabaseCorpus('postgresql://u@/db')).toThrow(ConfigError)
    expect(() => databaseCorpus('postgresql://u@/db', { table: 'a', query: 'SELECT 1' })).toThrow(/one of them/)
    expect(() => databaseCorpus('postgresql://u@/db', { table: 'a.b.c' })).toThrow(/table name/)
    expect(() => databaseCorpus('postgresql://u@/db', { query: 'DELETE FROM articles' })).toThrow(/SELECT/)
    expect(() => databaseCorpus('corpus/rt.jsonl', { table: 'articles' })).toThrow(/postgresql:\/\//)
    expect(() => databaseSourceOf(['corpus', databaseCorpus('postgresql://u@/db', { table: 'a' })])).toThrow(/only --corpus/)
    expect(databaseSourceOf(['corpus/rt.jsonl'])).toBeUndefined()
  })

  it('never shows the password', () => {
    expect(redactUri('postgresql://poisk:s3cr%40t@db:5432/news?sslmode=require')).toBe('postgresql://poisk:***@db:5432/news?sslmode=require')
    expect(redactUri('postgresql://poisk@/news?host=/run/pg&password=s3cret')).not.toContain('s3cret')
    const source = parseDatabaseCorpus(databaseCorpus('postgresql://poisk:s3cret@db/news', { table: 'articles' }))
    expect(describeSource(source)).toBe('postgresql://poisk:***@db/news table articles')
    expect(corpusPathForLogs(databaseCorpus('postgresql://poisk:s3cret@db/news', { table: 'articles' }))).not.toContain('s3cret')
    // The digest names the rows' source: another table is another corpus, another password is not.
    expect(sourceDigest(source)).toBe(sourceDigest({ ...source, uri: 'postgresql://poisk:other@db/news' }))
    expect(sourceDigest(source)).not.toBe(sourceDigest({ ...source, table: 'drafts' }))
  })
})

describe.skipIf(!postgresInstalled())('a PostgreSQL table as a corpus', () => {
  let pg: TestPostgres
  beforeAll(async () => {
    pg = await startPostgres()
    await pg.query(`CREATE TABLE articles (
      id integer PRIMARY KEY, title text, body text, date timestamptz, day date, url text, tags text[], source text,
      extra jsonb, updated_at timestamptz NOT NULL, deleted_at timestamptz)`)
    await pg.query(`INSERT INTO articles VALUES
      (1, 'Заседание Госдумы', '<p>Депутаты приняли закон</p>', '2019-06-26 14:00:00+03', '2019-06-26', 'https://example.ru/1', '{Политика,Общество}', 'rt', '{"a":1}', '2026-01-01 10:00:00.123456+00', NULL),
      (2, 'Удалённая статья', 'текст', NULL, NULL, NULL, NULL, NULL, NULL, '2026-01-01 10:00:01+00', '2026-01-02 00:00:00+00'),
      (3, '', 'без заголовка', NULL, NULL, NULL, NULL, NULL, NULL, '2026-01-01 10:00:02+00', NULL),
      (4, 'Без даты и тегов', 'просто текст', NULL, NULL, NULL, NULL, NULL, NULL, '2026-01-01 10:00:03.5+00', NULL)`)
    await pg.query('CREATE TABLE shaped (item_id text, headline text, content text, published date)')
    await pg.query(`INSERT INTO shaped VALUES ('a', 'Заголовок из запроса', 'Текст из запроса', '2020-02-03')`)
  })
  afterAll(async () => await pg?.destroy())

  it('yields the same events as a file: articles with ISO dates and tag arrays, skips with table and row, deleted rows left out', async () => {
    let position: string | undefined
    const events = await collect(readDatabaseCorpus(parseDatabaseCorpus(databaseCorpus(pg.uri, { table: 'articles' })), {
      onPosition: p => { position = p }
    }))
    const articles = events.filter((event): event is Extract<CorpusEvent, { type: 'article' }> => event.type === 'article')
    expect(articles.map(event => event.article.id).sort()).toEqual(['1', '4'])
    const first = articles.find(event => event.article.id === '1')?.article
    expect(first).toMatchObject({ title: 'Заседание Госдумы', body: 'Депутаты приняли закон', date: '2019-06-26T11:00:00.000Z', url: 'https://example.ru/1', tags: ['политика', 'общество'], source: 'rt' })
    const skip = events.find(event => event.type === 'skip')
    expect(skip).toMatchObject({ type: 'skip', reason: 'missing-title', location: { file: 'table articles' } })
    expect(skip?.type === 'skip' && skip.message).toMatch(/^id 3: /)
    // The newest updated_at of the snapshot read, as PostgreSQL prints it, microseconds and all.
    expect(position).toBe('2026-01-01 10:00:03.5+00')
  })

  it('reads another shape through --query, and a date column as the day it holds', async () => {
    const source = parseDatabaseCorpus(databaseCorpus(pg.uri, { query: 'SELECT item_id AS id, headline AS title, content AS body, published AS date FROM shaped' }))
    const events = await collect(readDatabaseCorpus(source))
    expect(events).toMatchObject([{ type: 'article', article: { id: 'a', title: 'Заголовок из запроса', date: '2020-02-03' }, location: { file: 'query', line: 1 } }])
  })

  it('builds and publishes an index whose manifest names the source without its password and where following starts', async () => {
    const indexDir = await tempDir()
    const corpus = databaseCorpus(pg.uri.replace('poisk@', 'poisk:unused-secret@'), { table: 'articles' })
    const skipped: string[] = []
    const result = await buildIndex({ corpusPaths: [corpus], indexDir, analyzer: createDefaultAnalyzer(), onSkip: event => skipped.push(`${event.location.file}:${event.location.line}`) })
    expect(result.manifest.documentCount).toBe(2)
    expect(result.manifest.summary).toMatchObject({ indexed: 2, skipped: 1 })
    expect(skipped).toHaveLength(1)
    expect(result.manifest.sourcePosition).toBe('2026-01-01 10:00:03.5+00')
    const manifest = await readManifest(buildPath(indexDir, await readCurrentBuildId(indexDir) as string))
    expect(JSON.stringify(manifest)).not.toContain('unused-secret')
    expect(manifest.corpusPaths).toEqual([`${redactUri(pg.uri.replace('poisk@', 'poisk:x@'))} table articles`])
    expect(await indexFreshness(indexDir, [corpus], createDefaultAnalyzer(), manifest.timeZone)).toMatchObject({ fresh: true })
    expect(await indexFreshness(indexDir, [databaseCorpus(pg.uri, { table: 'shaped' })], createDefaultAnalyzer(), manifest.timeZone)).toMatchObject({ fresh: false })
    expect(await readFile(join(indexDir, 'builds', result.buildId, 'manifest.json'), 'utf8')).not.toContain('unused-secret')
  })

  it('fails with the source named, password hidden, for a missing table or an unreachable server', async () => {
    const missing = parseDatabaseCorpus(databaseCorpus(pg.uri.replace('poisk@', 'poisk:hidden-pw@'), { table: 'nope' }))
    const error = await collect(readDatabaseCorpus(missing)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DatabaseSourceError)
    expect((error as Error).message).toMatch(/table nope: .*nope.* does not exist/)
    expect((error as Error).message).not.toContain('hidden-pw')
    const away = parseDatabaseCorpus(databaseCorpus('postgresql://poisk:hidden-pw@/postgres?host=/nonexistent-dir', { table: 'articles' }))
    const refused = await collect(readDatabaseCorpus(away)).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(DatabaseSourceError)
    expect((refused as Error).message).not.toContain('hidden-pw')
  })
})
