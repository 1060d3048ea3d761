// @ts-check
/**
 * Where a `GET /search` page's time goes, in process: mean milliseconds per tag query for
 * ranking (rankAll + top ten), reading the hits' body openings, their snippets, the marked
 * headlines, and the whole `search` call. Means, not medians: throughput follows the mean.
 *
 *   npm run build && node bench/page-phases.js --index DIR [--queries TSV] [--rounds N]
 */
import { parseArgs } from 'node:util'
import { createDefaultAnalyzer } from '../dist/analysis/default-analyzer.js'
import { readTagQueries } from '../dist/eval/judgements.js'
import { openNewestUsable } from '../dist/index/open-index.js'
import { rankAll, search, snippetQueryOf } from '../dist/search/search.js'
import { makeSnippet, markAll, snippetFromPrefix } from '../dist/search/snippet.js'
import { bodyTermCounts } from '../dist/search/term-counts.js'

const { values } = parseArgs({ options: { index: { type: 'string' }, queries: { type: 'string', default: '../shared/eval/rt-tag-queries.tsv' }, rounds: { type: 'string', default: '2' } } })
if (values.index === undefined) throw new Error('give --index DIR (a built index folder)')
const analyzer = createDefaultAnalyzer()
const { snapshot } = await openNewestUsable(values.index, analyzer)
if (snapshot === undefined) throw new Error(`no usable index in ${values.index}`)
await snapshot.documents.inMemoryReady
const queries = (await readTagQueries(values.queries)).map(judgement => judgement.query)
for (const q of queries) await search(snapshot, { q, limit: 10, offset: 0 }) // warm-up: caches filled, code optimised

const totals = { rank: 0, read: 0, snippets: 0, headlines: 0, page: 0 }
const rounds = Number(values.rounds)
for (let round = 0; round < rounds; round += 1) {
  for (const q of queries) {
    let started = performance.now()
    const { plan, results } = await rankAll(snapshot, { q })
    const hits = results.top(10)
    totals.rank += performance.now() - started
    started = performance.now()
    const openings = []
    for (const hit of hits) openings.push(hit.fields.kind === 'headline' ? undefined : await snapshot.documents.readBodyOpening(hit.fields, 3000))
    totals.read += performance.now() - started
    const counts = bodyTermCounts(snapshot.miniSearch, plan.markTerms)
    started = performance.now()
    const marking = snippetQueryOf(snapshot, plan.markTerms)
    openings.forEach((opening, at) => {
      const hitCounts = counts(hits[at]?.result.id)
      if (opening === undefined || hitCounts === undefined) return
      if (opening.body.length === opening.bodyLength) makeSnippet(opening.body, marking, {}, hitCounts)
      else snippetFromPrefix(opening.body, opening.bodyLength, marking, hitCounts)
    })
    totals.snippets += performance.now() - started
    started = performance.now()
    for (const hit of hits) markAll(hit.fields.title, snippetQueryOf(snapshot, plan.markTerms))
    totals.headlines += performance.now() - started
    started = performance.now()
    await search(snapshot, { q, limit: 10, offset: 0 })
    totals.page += performance.now() - started
  }
}
await snapshot.documents.close()
const n = rounds * queries.length
process.stdout.write(`${queries.length} queries × ${rounds} rounds, mean ms per query: ${Object.entries(totals).map(([name, ms]) => `${name} ${(ms / n).toFixed(3)}`).join(', ')}\n`)
process.stdout.write('(snippets from the opening only: a body whose opening does not settle its snippet is read whole by search, which the page time includes)\n')
