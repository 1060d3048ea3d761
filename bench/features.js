// GET /search latency with the query features on versus off, on one index (rt), in one run.
//
//   npm run bench:features -- --index <rt index folder> [--rounds 3]
//   (build one with: npx poisk index --corpus ../shared/corpora/rt.jsonl.gz --index <folder>)
//
// Two servers over the same loaded snapshot listen on loopback: one with every query
// feature on (the default), one with them all off (plain keyword search). Each query is
// sent to both, alternately, so both see the same machine noise. Queries: the tag queries
// of ../shared/eval/rt-tag-queries.tsv (every 9th), plus each of them typed in the wrong layout, in
// Latin letters and with a typo, plus phrase, exclusion and title: forms, plus 100
// known-item headlines. Reports median, p95 and p99 per mode and query kind.
import { readFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { createAnalyzer } from '../dist/analysis/analyzer.js'
import { IndexStore } from '../dist/live/index-store.js'
import { openNewestUsable } from '../dist/index/open-index.js'
import { buildApp } from '../dist/server/app.js'
import { defaultQueryOptions, plainQueryOptions } from '../dist/search/query-options.js'
import { ruToEn } from '../dist/search/query/keyboard-layout.js'
import { cyrillicToLatin } from '../dist/search/query/transliterate.js'

const { values } = parseArgs({ options: { index: { type: 'string' }, rounds: { type: 'string', default: '3' }, eval: { type: 'string', default: '../shared/eval' } } })
if (values.index === undefined) throw new Error('--index <folder> is required')

const { snapshot } = await openNewestUsable(values.index, createAnalyzer())
if (snapshot === undefined) throw new Error(`no usable index in ${values.index}`)
// Every 9th query keeps the run to a few minutes on a shared machine.
const tagQueries = (await readFile(`${values.eval}/rt-tag-queries.tsv`, 'utf8')).split('\n').map(line => line.split('\t')[0]).filter(Boolean).filter((_, at) => at % 9 === 0)
const headlines = (await readFile(`${values.eval}/rt-known-item.tsv`, 'utf8')).split('\n').map(line => line.split('\t')[1]).filter(Boolean).filter((_, at) => at % 10 === 0)

/** One typo: the two middle letters of the longest word swapped. */
function typo (query) {
  const words = query.split(' ')
  const longest = words.reduce((best, word) => word.length > best.length ? word : best, '')
  if (longest.length < 5) return undefined
  const at = Math.floor(longest.length / 2)
  const changed = longest.slice(0, at - 1) + longest[at] + longest[at - 1] + longest.slice(at + 1)
  return words.map(word => word === longest ? changed : word).join(' ')
}

const queries = [
  ...tagQueries.map(q => ['plain', q]),
  ...tagQueries.map(q => ['layout', ruToEn(q)]),
  ...tagQueries.map(q => ['latin', cyrillicToLatin(q)]),
  ...tagQueries.flatMap(q => { const t = typo(q); return t === undefined ? [] : [['typo', t]] }),
  ...tagQueries.filter(q => q.includes(' ')).map(q => ['syntax', `"${q}"`]),
  ...tagQueries.filter(q => q.includes(' ')).map(q => ['syntax', q.replace(/ (\S+)$/, ' -$1')]),
  ...tagQueries.map(q => ['syntax', `title:${q.split(' ')[0]}`]),
  ...headlines.map(q => ['headline', q])
]

const store = new IndexStore(snapshot)
const servers = {}
for (const [mode, queryOptions] of [['on', defaultQueryOptions], ['off', plainQueryOptions]]) {
  const app = await buildApp({ store, queryOptions })
  servers[mode] = { app, url: await app.listen({ port: 0, host: '127.0.0.1' }) }
}

const timings = { on: new Map(), off: new Map() }
async function timeOne (mode, kind, q) {
  const started = performance.now()
  const response = await fetch(`${servers[mode].url}/search?${new URLSearchParams({ q: q.slice(0, 500), limit: '10' })}`)
  await response.arrayBuffer()
  const ms = performance.now() - started
  if (response.status !== 200) throw new Error(`${response.status} for ${q}`)
  for (const key of [kind, 'all']) {
    if (!timings[mode].has(key)) timings[mode].set(key, [])
    timings[mode].get(key).push(ms)
  }
}

// Warm-up (vocabulary, analyzer caches, JIT), not measured.
for (const [kind, q] of queries.slice(0, 100)) for (const mode of ['on', 'off']) await fetch(`${servers[mode].url}/search?${new URLSearchParams({ q, limit: '10' })}`).then(r => r.arrayBuffer())
const rounds = Number(values.rounds)
for (let round = 0; round < rounds; round += 1) {
  for (const [at, [kind, q]] of queries.entries()) {
    const order = (at + round) % 2 === 0 ? ['on', 'off'] : ['off', 'on']
    for (const mode of order) await timeOne(mode, kind, q)
  }
}

const quantile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]
const rows = []
for (const kind of ['all', 'plain', 'layout', 'latin', 'typo', 'syntax', 'headline']) {
  const cells = ['on', 'off'].map(mode => {
    const sorted = [...(timings[mode].get(kind) ?? [])].sort((a, b) => a - b)
    return { n: sorted.length, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99) }
  })
  rows.push(`| ${kind} | ${cells[0].n} | ${cells.map(c => `${c.median.toFixed(1)} / ${c.p95.toFixed(1)} / ${c.p99.toFixed(1)}`).join(' | ')} |`)
}
console.log(`${new Date().toISOString()} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model} · ${(totalmem() / 2 ** 30).toFixed(1)} GiB · index ${snapshot.manifest.documentCount} documents · ${rounds} rounds`)
console.log('| queries | requests per mode | features on: median / p95 / p99 ms | features off: median / p95 / p99 ms |')
console.log('| --- | ---: | ---: | ---: |')
for (const row of rows) console.log(row)

// GET /suggest, as typed: every prefix (2+ letters) of each sampled tag query's last word.
const suggestTimes = []
for (const q of tagQueries) {
  const words = q.split(' ')
  const last = words.pop() ?? ''
  for (let length = 2; length <= last.length; length += 1) {
    const typed = [...words, last.slice(0, length)].join(' ')
    const started = performance.now()
    const response = await fetch(`${servers.on.url}/suggest?${new URLSearchParams({ q: typed })}`)
    await response.arrayBuffer()
    suggestTimes.push(performance.now() - started)
  }
}
suggestTimes.sort((a, b) => a - b)
console.log(`\nGET /suggest: ${suggestTimes.length} requests, median ${quantile(suggestTimes, 0.5).toFixed(1)} ms, p95 ${quantile(suggestTimes, 0.95).toFixed(1)} ms, p99 ${quantile(suggestTimes, 0.99).toFixed(1)} ms`)
for (const { app } of Object.values(servers)) await app.close()
await store.close()
