// @ts-check
/**
 * Two builds of poisk's search in one process, alternating per query, over the tag queries:
 * the fair way to compare a change on a shared machine (both sides see the same load).
 *   node bench/search-ab.js --base OTHER/dist --index INDEX_DIR [--queries TSV] [--passes 2]
 * OTHER/dist is another checkout's compiled output (e.g. `git archive main src tsconfig*.json
 * package.json | tar -x -C /tmp/base && (cd /tmp/base && ln -s $PWD/node_modules && npx tsc -p
 * tsconfig.build.json)`). Prints CPU and wall time per query (the last pass; the first warms
 * up) and how many responses (total, hits with scores and snippets) differ.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { tagQueries } from './corpus.js'
import { percentile } from './stats.js'

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    index: { type: 'string' },
    queries: { type: 'string', default: '../shared/eval/rt-tag-queries.tsv' },
    passes: { type: 'string', default: '2' }
  }
})
if (values.base === undefined || values.index === undefined) throw new Error('usage: node bench/search-ab.js --base OTHER/dist --index INDEX_DIR')

/** @param {string} dist */
async function load (dist) {
  const url = (/** @type {string} */ path) => pathToFileURL(resolve(dist, path)).href
  const { openNewestUsable } = await import(url('index/open-index.js'))
  const { search } = await import(url('search/search.js'))
  const { createDefaultAnalyzer } = await import(url('analysis/default-analyzer.js'))
  const { snapshot } = await openNewestUsable(values.index, createDefaultAnalyzer())
  if (snapshot === undefined) throw new Error(`no usable index in ${values.index}`)
  return { snapshot, search, cpu: /** @type {number[]} */ ([]), wall: /** @type {number[]} */ ([]) }
}

const systems = { base: await load(values.base), this: await load('dist') }
const queries = await tagQueries(values.queries)
const passes = Number(values.passes)
let differing = 0
for (let pass = 0; pass < passes; pass++) {
  for (const q of queries) {
    /** @type {Record<string, string>} */
    const answers = {}
    for (const name of /** @type {const} */ (pass % 2 === 0 ? ['base', 'this'] : ['this', 'base'])) {
      const system = systems[name]
      const cpu = process.cpuUsage()
      const started = performance.now()
      const response = await system.search(system.snapshot, { q, limit: 10, offset: 0 })
      const wall = performance.now() - started
      const used = process.cpuUsage(cpu)
      if (pass === passes - 1) {
        system.cpu.push((used.user + used.system) / 1000)
        system.wall.push(wall)
      }
      answers[name] = JSON.stringify([response.total, response.allWordsMatched, response.hits])
    }
    if (pass === passes - 1 && answers.base !== answers.this) differing += 1
  }
}
const line = (/** @type {number[]} */ v) => `p50 ${percentile(v, 50).toFixed(2)} p95 ${percentile(v, 95).toFixed(2)} p99 ${percentile(v, 99).toFixed(2)} mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(2)}`
for (const [name, system] of Object.entries(systems)) process.stdout.write(`${name.padEnd(5)} CPU ms ${line(system.cpu)} | wall ms ${line(system.wall)}\n`)
process.stdout.write(`responses differing: ${differing} of ${queries.length}\n`)
for (const system of Object.values(systems)) await system.snapshot.documents.close()
