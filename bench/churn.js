// @ts-check
/**
 * Query latency before and after live changes, in one process on one index: rt's tag
 * queries through `search` (the whole GET /search page), on the index as built, after one
 * replace, and after 1,000 replaces and deletes (left unvacuumed, as MiniSearch leaves them
 * below 100 discarded documents and 10% of the index — the vacuum is stopped here so the
 * stale postings stay), then vacuumed. Every query must keep the flat scorer: fallbacks are
 * counted. (A term a live change touched is held as MiniSearch's Maps until the next build,
 * where an untouched one is read as typed arrays: the vacuumed row shows that part alone.)
 *
 *   npm run bench:churn -- --index DIR [--corpus rt.jsonl.gz] [--queries TSV] [--rounds N]
 */
import { gunzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createDefaultAnalyzer } from '../dist/analysis/default-analyzer.js'
import { articleFromRecord } from '../dist/corpus/article.js'
import { readTagQueries } from '../dist/eval/judgements.js'
import { openNewestUsable } from '../dist/index/open-index.js'
import { applyChange } from '../dist/live/apply-change.js'
import { search } from '../dist/search/search.js'
import { percentile } from './stats.js'

const { values } = parseArgs({ options: {
  index: { type: 'string' },
  corpus: { type: 'string', default: '../shared/corpora/rt.jsonl.gz' },
  queries: { type: 'string', default: '../shared/eval/rt-tag-queries.tsv' },
  rounds: { type: 'string', default: '3' }
} })
if (values.index === undefined) throw new Error('give --index DIR (an index of --corpus)')
const { snapshot } = await openNewestUsable(values.index, createDefaultAnalyzer())
if (snapshot === undefined) throw new Error(`no usable index in ${values.index}`)
await snapshot.documents.inMemoryReady
const records = gunzipSync(readFileSync(values.corpus)).toString('utf8').trim().split('\n').map(line => JSON.parse(line))
const queries = (await readTagQueries(values.queries)).map(judgement => judgement.query)
const rounds = Number(values.rounds)
let fallbacks = 0
const diagnostics = { onScoringFallback: () => { fallbacks += 1 } }

/** Per-query milliseconds over `rounds` passes of every query (after one warm-up pass). */
async function measure () {
  for (const q of queries) await search(snapshot, { q, limit: 10, offset: 0 }, undefined, undefined, diagnostics)
  const times = []
  for (let round = 0; round < rounds; round += 1) {
    for (const q of queries) {
      const started = performance.now()
      await search(snapshot, { q, limit: 10, offset: 0 }, undefined, undefined, diagnostics)
      times.push(performance.now() - started)
    }
  }
  return times
}

let seq = 0
function replace (record) {
  const article = articleFromRecord({ ...record, title: `${record.title} (обновлено)`, tags: undefined, summary: undefined })
  applyChange(snapshot, { op: 'put', id: article.id, article, seq: ++seq, at: '' })
}
// The vacuum would clean the stale postings in the background: measure the worst case, with them all in place.
const miniSearch = /** @type {any} */ (snapshot.miniSearch)
miniSearch._options.autoVacuum = false

const rows = []
const report = async (phase) => {
  fallbacks = 0
  const times = await measure()
  rows.push({ phase, p50: percentile(times, 50), p99: percentile(times, 99), fallbacks, dirt: snapshot.miniSearch.dirtCount })
}
await report('as built')
replace(records[0])
await report('after 1 replace')
for (let i = 1; i < 1000; i += 1) {
  const record = records[(i * 7) % records.length]
  if (i % 4 === 0) {
    if (snapshot.miniSearch.has(record.id)) { applyChange(snapshot, { op: 'delete', id: record.id, seq: ++seq, at: '' }) }
  } else {
    replace(record)
  }
}
await report('after 1,000 replaces and deletes')
await report('after 1,000 changes, measured again') // the machine's noise between two passes over one index
await snapshot.miniSearch.vacuum() // the stale postings gone; the changed terms stay MiniSearch's Maps
await report('after 1,000 changes, vacuumed')

console.log(`${queries.length} tag queries × ${rounds} rounds, GET /search's page in process; ${new Date().toISOString()}`)
console.log('| index | p50 ms | p99 ms | queries scored by MiniSearch | discarded postings left |')
console.log('| --- | --- | --- | --- | --- |')
for (const row of rows) console.log(`| ${row.phase} | ${row.p50.toFixed(2)} | ${row.p99.toFixed(2)} | ${row.fallbacks} | ${row.dirt} |`)
