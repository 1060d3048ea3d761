// Does query understanding cost relevance? nDCG@10 on ../shared/eval/rt-tag-queries.tsv
// (binary relevance: the tag's articles) and MRR of ../shared/eval/rt-known-item.tsv, with
// the query features all on, all off, and all on but coordination.
//
//   npm run build && node bench/features-relevance.js --index <rt index folder> [--every N]
//   (--every N: every Nth query only, for a quicker run on a busy machine)
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { createAnalyzer } from '../dist/analysis/analyzer.js'
import { openNewestUsable } from '../dist/index/open-index.js'
import { defaultQueryOptions, plainQueryOptions } from '../dist/search/query-options.js'
import { defaultRanking } from '../dist/search/ranking.js'
import { search } from '../dist/search/search.js'

const { values } = parseArgs({ options: { index: { type: 'string' }, every: { type: 'string', default: '1' }, eval: { type: 'string', default: '../shared/eval' } } })
if (values.index === undefined) throw new Error('--index <folder> is required')
const { snapshot } = await openNewestUsable(values.index, createAnalyzer())
if (snapshot === undefined) throw new Error(`no usable index in ${values.index}`)

const tagQueries = (await readFile(`${values.eval}/rt-tag-queries.tsv`, 'utf8')).split('\n').filter(Boolean)
  .filter((_, at) => at % Number(values.every) === 0)
  .map(line => line.split('\t')).map(([q, ids]) => ({ q, relevant: new Set(ids.split(' ')) }))
const knownItems = (await readFile(`${values.eval}/rt-known-item.tsv`, 'utf8')).split('\n').filter(Boolean)
  .filter((_, at) => at % Number(values.every) === 0)
  .map(line => line.split('\t')).map(([id, q]) => ({ q, id }))

async function ndcg (options) {
  let sum = 0
  for (const { q, relevant } of tagQueries) {
    const { hits } = await search(snapshot, { q, limit: 10, offset: 0 }, defaultRanking, options)
    const dcg = hits.reduce((total, hit, at) => total + (relevant.has(hit.id) ? 1 / Math.log2(at + 2) : 0), 0)
    let ideal = 0
    for (let at = 0; at < Math.min(10, relevant.size); at += 1) ideal += 1 / Math.log2(at + 2)
    sum += dcg / ideal
  }
  return sum / tagQueries.length
}

async function mrr (options) {
  let sum = 0
  for (const { q, id } of knownItems) {
    const { hits } = await search(snapshot, { q, limit: 10, offset: 0 }, defaultRanking, options)
    const at = hits.findIndex(hit => hit.id === id)
    sum += at === -1 ? 0 : 1 / (at + 1)
  }
  return sum / knownItems.length
}

const without = feature => ({ ...defaultQueryOptions, features: { ...defaultQueryOptions.features, [feature]: false } })
const variants = [
  ['all features on (default)', defaultQueryOptions],
  ['all off (plain keyword search)', plainQueryOptions],
  ['all on but coordination', without('coordination')]
]
console.log(`${new Date().toISOString()} · ${tagQueries.length} tag queries · ${knownItems.length} known items`)
console.log('| query features | tag nDCG@10 | known-item MRR@10 |')
console.log('| --- | ---: | ---: |')
for (const [name, options] of variants) console.log(`| ${name} | ${(await ndcg(options)).toFixed(4)} | ${(await mrr(options)).toFixed(4)} |`)
await snapshot.documents.close()
