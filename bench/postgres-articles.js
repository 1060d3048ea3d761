// @ts-check
/**
 * An articles table as a newsroom CMS keeps one, for `poisk index --corpus postgresql://…
 * --table articles` and `serve --follow`: the article columns, `updated_at` (stamped by a
 * trigger on every write) and `deleted_at` (soft deletes). Used by the PostgreSQL source
 * bench and by hand (`node bench/postgres-articles.js URI [CORPUS]` loads rt).
 */
import pg from 'pg'
import { readDocs } from './corpus.js'

const BATCH = 500

export const ARTICLES_DDL = `
CREATE TABLE IF NOT EXISTS articles (
  id text PRIMARY KEY,
  title text,
  summary text,
  body text,
  date timestamptz,
  url text,
  tags text[],
  source text,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  deleted_at timestamptz
);
CREATE INDEX IF NOT EXISTS articles_updated ON articles (updated_at, id);
CREATE OR REPLACE FUNCTION articles_touch() RETURNS trigger AS $$
BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS articles_touch ON articles;
CREATE TRIGGER articles_touch BEFORE INSERT OR UPDATE ON articles FOR EACH ROW EXECUTE FUNCTION articles_touch();
`

/** Creates the table (empty) and loads a JSONL corpus into it. @param {pg.Client} client @param {string} corpus */
export async function loadArticles (client, corpus) {
  await client.query('DROP TABLE IF EXISTS articles')
  await client.query(ARTICLES_DDL)
  /** @type {unknown[][]} */
  let batch = []
  let rows = 0
  const flush = async () => {
    if (batch.length === 0) return
    const values = batch.map((_, i) => `(${Array.from({ length: 7 }, (_, j) => `$${i * 7 + j + 1}`).join(', ')})`).join(', ')
    await client.query(`INSERT INTO articles (id, title, summary, body, url, tags, source) VALUES ${values}`, batch.flat())
    batch = []
  }
  for await (const doc of readDocs(corpus)) {
    batch.push([doc.id, doc.title, doc.summary ?? null, doc.body, doc.url ?? null, doc.tags ?? [], 'rt'])
    rows += 1
    if (batch.length === BATCH) await flush()
  }
  await flush()
  await client.query('VACUUM ANALYZE articles')
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [uri, corpus = '../shared/corpora/rt.jsonl.gz'] = process.argv.slice(2)
  if (uri === undefined) {
    process.stderr.write('usage: node bench/postgres-articles.js postgresql://… [corpus.jsonl.gz]\n')
    process.exit(2)
  }
  const client = new pg.Client({ connectionString: uri })
  await client.connect()
  const rows = await loadArticles(client, corpus)
  await client.end()
  process.stdout.write(`loaded ${rows} articles into table articles\n`)
}
