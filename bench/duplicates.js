// @ts-check
/**
 * How well near-duplicate grouping (src/index/near-duplicates.ts) finds copies: a
 * deterministic sample of rt articles gets three planted copies each — paragraphs reordered,
 * a new headline (another article's, and another source), 5% of the words replaced by other
 * corpus words — the corpus with the copies is built as `poisk index` builds it, and the
 * grouping is scored by pairs: precision and recall over the planted families, per kind of
 * copy, and the groups formed among rt's own articles (republished texts or same-topic
 * merges: printed for reading by eye). Also: groups at other thresholds (the build's
 * signatures regrouped), and the cost of signatures and grouping on rt.
 *
 *   npm run eval:duplicates -- [--corpus rt.jsonl.gz] [--sample 300] [--show 12]
 */
import { gunzipSync } from 'node:zlib'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createDefaultAnalyzer } from '../dist/analysis/default-analyzer.js'
import { buildIndex } from '../dist/index/build-index.js'
import { readDuplicatesFile, DUPLICATES_FILE } from '../dist/index/duplicate-file.js'
import { TermCounter } from '../dist/index/document-terms.js'
import { groupSignatures, similarity, SIMILARITY_THRESHOLD, SHINGLE_TERMS, BANDS, ROWS } from '../dist/index/near-duplicates.js'

const { values } = parseArgs({ options: {
  corpus: { type: 'string', default: '../shared/corpora/rt.jsonl.gz' },
  sample: { type: 'string', default: '300' },
  show: { type: 'string', default: '12' }
} })
const records = gunzipSync(readFileSync(values.corpus)).toString('utf8').trim().split('\n').map(line => JSON.parse(line))
const random = mulberry32(20261206)
const KINDS = ['reordered', 'headline', 'words5']

const sample = pickSample(records, Number(values.sample))
const sampledIds = new Set(sample.map(record => record.id))
const vocabulary = records.flatMap(record => String(record.body).split(/\s+/).filter(word => /^[а-яё]{4,}$/i.test(word))).slice(0, 200_000)
const planted = sample.flatMap(record => KINDS.map(kind => plantCopy(record, kind)))
/** @type {Map<string, Uint32Array>} */
let signatures = new Map()
const dir = mkdtempSync(join(tmpdir(), 'poisk-duplicates-'))
try {
  const corpus = join(dir, 'corpus.jsonl')
  writeFileSync(corpus, [...records, ...planted].map(record => JSON.stringify(record)).join('\n') + '\n')
  const analyzer = createDefaultAnalyzer()
  const started = performance.now()
  const { dir: buildDir, manifest } = await buildIndex({ corpusPaths: [corpus], indexDir: join(dir, 'index'), analyzer })
  const buildMs = performance.now() - started
  const duplicates = await readDuplicatesFile(join(buildDir, DUPLICATES_FILE))
  signatures = new Map(duplicates.entries())
  const ids = [...signatures.keys()]
  console.log(`# Near-duplicate grouping on rt with planted copies\n`)
  console.log(`${records.length} rt articles + ${planted.length} planted copies (${sample.length} originals × ${KINDS.join(', ')}); ${manifest.documentCount} documents built in ${(buildMs / 1000).toFixed(1)} s`)
  console.log(`shingles of ${SHINGLE_TERMS} analysed words, ${BANDS} bands × ${ROWS} rows, threshold ${SIMILARITY_THRESHOLD}; ${ids.length} documents have a signature\n`)
  console.log('| threshold | precision | recall | reordered | new headline | 5% words | rt pairs grouped | rt groups |')
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const threshold of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
    const { groups } = groupSignatures(ids.map(id => signatures.get(id)), threshold)
    const row = score(groups.map(members => members.map(at => ids[at])))
    const mark = threshold === SIMILARITY_THRESHOLD ? ' (served)' : ''
    console.log(`| ${threshold}${mark} | ${row.precision.toFixed(3)} | ${row.recall.toFixed(3)} | ${KINDS.map(kind => row.byKind[kind].toFixed(3)).join(' | ')} | ${row.rtPairs} | ${row.rtGroups.length} |`)
  }
  const served = score(duplicates.groups())
  console.log(`\nAt ${SIMILARITY_THRESHOLD}: ${served.falsePairs.length} planted pairs wrong; missed pairs by similarity estimate: ${served.missedSimilarities.map(value => value.toFixed(2)).join(', ') || 'none'}`)
  console.log(`\nGroups among rt's own articles (first ${values.show}), estimated similarity to the first member:\n`)
  const byId = new Map(records.map(record => [record.id, record]))
  for (const members of served.rtGroups.slice(0, Number(values.show))) {
    const first = signatures.get(members[0])
    console.log(`- ${members.map(id => `${id} «${String(byId.get(id)?.title).slice(0, 70)}» (${similarity(first, signatures.get(id)).toFixed(2)})`).join('\n  ')}`)
  }
  measureCost(analyzer)
} finally {
  rmSync(dir, { recursive: true, force: true })
}

/** Pairs within the planted families (an original and its copies) against pairs within the groups. */
function score (groups) {
  const family = id => id.includes('~') ? id.slice(0, id.indexOf('~')) : (sampledIds.has(id) ? id : undefined)
  let truePairs = 0
  let groupedPlantedPairs = 0
  const falsePairs = []
  const found = new Set()
  const rtGroups = []
  let rtPairs = 0
  for (const members of groups) {
    const rt = members.filter(id => !id.includes('~'))
    if (rt.length > 1) {
      rtGroups.push(rt)
      rtPairs += rt.length * (rt.length - 1) / 2
    }
    for (let a = 0; a < members.length; a += 1) {
      for (let b = a + 1; b < members.length; b += 1) {
        const [x, y] = [members[a], members[b]]
        if (!x.includes('~') && !y.includes('~')) continue // rt's own pairs: counted apart
        groupedPlantedPairs += 1
        if (family(x) !== undefined && family(x) === family(y)) {
          truePairs += 1
          found.add(x < y ? `${x} ${y}` : `${y} ${x}`)
        } else {
          falsePairs.push([x, y])
        }
      }
    }
  }
  const expected = sample.length * (KINDS.length + 1) * KINDS.length / 2
  const byKind = Object.fromEntries(KINDS.map(kind => [kind, sample.filter(record => found.has(pairKey(record.id, `${record.id}~${kind}`))).length / sample.length]))
  const missedSimilarities = sample.flatMap(record => KINDS.filter(kind => !found.has(pairKey(record.id, `${record.id}~${kind}`)))
    .map(kind => bothSigned(record.id, `${record.id}~${kind}`)))
  return { precision: groupedPlantedPairs === 0 ? 1 : truePairs / groupedPlantedPairs, recall: truePairs / expected, byKind, falsePairs, rtGroups, rtPairs, missedSimilarities }
}

function bothSigned (a, b) {
  const [x, y] = [signatures.get(a), signatures.get(b)]
  return x === undefined || y === undefined ? -1 : similarity(x, y)
}

function pairKey (x, y) {
  return x < y ? `${x} ${y}` : `${y} ${x}`
}

/**
 * What signatures add to a build: rt's documents counted by a warm term counter (every token
 * already analysed, as in most of a build) with and without signatures, and the grouping.
 */
function measureCost (analyzer) {
  const documents = records.map(record => [record.title, record.body])
  const batches = []
  for (let at = 0; at < documents.length; at += 64) batches.push(documents.slice(at, at + 64))
  const timed = field => {
    const counter = new TermCounter(analyzer, 0, field)
    for (const batch of batches) counter.analyse(batch, 2)
    const started = performance.now()
    let signatures = []
    for (const batch of batches) {
      const counted = counter.analyse(batch, 2)
      if (counted.signatures !== undefined) batch.forEach((_, at) => signatures.push(counted.signed[at] === 1 ? counted.signatures.slice(at * 64, at * 64 + 64) : undefined))
    }
    return { ms: performance.now() - started, signatures }
  }
  const without = Math.min(...[0, 1, 2].map(() => timed(undefined).ms))
  const runs = [0, 1, 2].map(() => timed(1))
  const withSignatures = Math.min(...runs.map(run => run.ms))
  const started = performance.now()
  const { groups } = groupSignatures(runs[0].signatures)
  const groupMs = performance.now() - started
  console.log(`\nCost on rt (${records.length} documents, best of 3, on a machine shared with other jobs): counting with a warm term counter ${without.toFixed(0)} ms, with signatures ${withSignatures.toFixed(0)} ms (+${(withSignatures - without).toFixed(0)} ms); grouping ${groupMs.toFixed(0)} ms (${groups.length} groups)`)
}

function pickSample (all, count) {
  const long = all.filter(record => String(record.body).split('\n').filter(line => line.trim() !== '').length >= 3)
  const picked = []
  const taken = new Set()
  while (picked.length < count && taken.size < long.length) {
    const at = Math.floor(random() * long.length)
    if (taken.has(at)) continue
    taken.add(at)
    picked.push(long[at])
  }
  return picked
}

function plantCopy (record, kind) {
  const copy = { ...record, id: `${record.id}~${kind}` }
  if (kind === 'reordered') {
    const paragraphs = String(record.body).split('\n')
    copy.body = shuffled(paragraphs).join('\n')
  } else if (kind === 'headline') {
    copy.title = (records[Math.floor(random() * records.length)]).title
    copy.source = 'copy.example'
  } else {
    const words = String(record.body).split(' ')
    const replace = Math.max(1, Math.round(words.length * 0.05))
    for (let done = 0; done < replace; done += 1) words[Math.floor(random() * words.length)] = vocabulary[Math.floor(random() * vocabulary.length)]
    copy.body = words.join(' ')
  }
  return copy
}

function shuffled (items) {
  const out = [...items]
  for (let at = out.length - 1; at > 0; at -= 1) {
    const other = Math.floor(random() * (at + 1))
    ;[out[at], out[other]] = [out[other], out[at]]
  }
  return out
}

function mulberry32 (seed) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
