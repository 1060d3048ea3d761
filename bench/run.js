// @ts-check
/**
 * `npm run bench [-- --quick | --scales 1,4,8 --repeats 3 --systems poisk,minisearch,… --no-http …]`
 * Measures poisk and its baselines in one run on rt and rt repeated (the scale curve),
 * prints the results and the ratio table against the issue's targets, and writes
 * docs/BENCHMARKS.md with the scale plot (docs/bench-scale.svg). Not part of `npm test`.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, totalmem, release } from 'node:os'
import { relative, dirname } from 'node:path'
import { scaledCorpus, tagQueries } from './corpus.js'
import { httpBench } from './http.js'
import { benchOptions } from './options.js'
import { scalePlot } from './plot.js'
import { lentaBench, lentaPlot, lentaTable } from './lenta-bench.js'
import { findPostgres, postgresBuild, postgresQuery, startPostgres } from './postgres-baseline.js'
import { httpTable, LABELS, markdownTable, ratios, ratioTable, resultsTable, textTable } from './report.js'
import { medianOf } from './stats.js'

const options = benchOptions(process.argv.slice(2))
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
const started = new Date()
const loadAtStart = loadavg().map(value => value.toFixed(1)).join(', ')
const log = (/** @type {string} */ message) => process.stderr.write(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s] ${message}\n`)

/** Runs one measurement in a fresh process and returns its JSON line. @returns {Promise<Record<string, number | string>>} */
async function child (/** @type {Record<string, unknown>} */ task) {
  return await new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=8192', 'bench/child.js', JSON.stringify(task)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    proc.stdout.on('data', chunk => { out += String(chunk) })
    proc.stderr.on('data', chunk => { err += String(chunk) })
    proc.on('exit', code => {
      const last = out.trim().split('\n').pop() ?? ''
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last))
      else reject(new Error(`${task.system} ${task.task} exited ${code}: ${err.slice(-2000)}`))
    })
  })
}

async function main () {
  log(`options: ${JSON.stringify({ ...options, shared: undefined })}`)
  const queries = await tagQueries(options.queries)
  log(`${queries.length} tag queries from ${options.queries}`)
  await mkdir(options.workDir, { recursive: true })
  if (options.shape === 'lenta') return await lentaMain(queries)
  const pgBin = options.systems.includes('postgres') ? await findPostgres() : undefined
  const pgNote = !options.systems.includes('postgres')
    ? 'PostgreSQL not requested'
    : pgBin === undefined ? 'PostgreSQL is not installed (apt-get install postgresql): its baseline was skipped' : ''
  if (pgNote !== '') log(pgNote)
  const pg = pgBin === undefined ? undefined : await startPostgres(pgBin)
  /** @type {import('./report.js').ScaleResult[]} */
  const scales = []
  try {
    for (const scale of options.scales) {
      const corpus = await scaledCorpus(options.corpus, scale, options.workDir)
      log(`rt ×${scale}: ${corpus.documents} documents, ${(corpus.bytes / 1048576).toFixed(0)} MB of JSONL`)
      /** @type {import('./report.js').ScaleResult} */
      const result = { scale, documents: corpus.documents, bytes: corpus.bytes, systems: {} }
      for (const system of options.systems) {
        if (system === 'postgres' && pg === undefined) continue
        if (system !== 'poisk' && options.baselineScales !== undefined && !options.baselineScales.includes(scale)) continue
        const dir = `${options.workDir}/index/${system}-x${scale}`
        const builds = []
        const loads = []
        try {
          for (let i = 0; i < options.repeats; i++) {
            log(`×${scale} ${system}: build ${i + 1}/${options.repeats}`)
            if (system === 'postgres' && pg !== undefined) builds.push(await postgresBuild(pg.client, corpus.path))
            else builds.push(await child({ system, task: 'build', corpus: corpus.path, dir }))
            log(`×${scale} ${system}: query ${i + 1}/${options.repeats}`)
            if (system === 'postgres' && pg !== undefined) loads.push(await postgresQuery(pg.client, queries))
            else loads.push(await child({ system, task: 'query', dir, queries }))
          }
          result.systems[system] = { build: medianOf(builds), query: medianOf(loads) }
        } catch (error) {
          log(`×${scale} ${system} failed: ${/** @type {Error} */ (error).message}`)
          result.systems[system] = { error: /** @type {Error} */ (error).message.split('\n')[0] }
        }
      }
      scales.push(result)
    }
  } finally {
    await pg?.stop()
  }

  let http = /** @type {import('./http.js').HttpResult[]} */ ([])
  if (options.http) {
    const first = options.scales[0]
    http = await httpBench({
      poiskIndex: options.systems.includes('poisk') ? `${options.workDir}/index/poisk-x${first}` : undefined,
      snowballIndex: options.systems.includes('snowball') ? `${options.workDir}/index/snowball-x${first}/index.json` : undefined,
      queries,
      connections: options.connections,
      durationS: options.durationS,
      workers: options.workers
    })
  }

  const ratioList = ratios(scales, http, options.workers)
  const tables = { results: resultsTable(scales), ratios: ratioTable(ratioList), http: httpTable(http) }
  process.stdout.write(`\nResults (medians of ${options.repeats})\n${textTable(tables.results)}\n\nHTTP (autocannon, ${options.durationS} s per run)\n${textTable(tables.http)}\n\nRatios against the targets\n${textTable(tables.ratios)}\n`)
  if (pgNote !== '') process.stdout.write(`\n${pgNote}\n`)

  const svg = scalePlot([
    { title: 'Index build time', yLabel: 'seconds', series: series(scales, r => num(r.build?.buildMs) / 1000) },
    { title: 'Heap with the index in memory', yLabel: 'MB', series: series(scales, r => num(r.build?.heapMb)) }
  ])
  await mkdir(dirname(options.plot), { recursive: true })
  await writeFile(options.plot, svg)
  await writeSection(options.out, markdown(tables, pgNote, pg?.version, scales[0]?.documents ?? NaN))
  log(`wrote ${relative(process.cwd(), options.out)} and ${relative(process.cwd(), options.plot)}`)
  if (!options.keep) await rm(`${options.workDir}/index`, { recursive: true, force: true })
}

/** `--shape lenta`: the Lenta-shaped archive at `--docs` sizes, and rt ×1 beside it (lenta-bench.js). @param {string[]} queries */
async function lentaMain (queries) {
  const result = await lentaBench(options, child, queries, log)
  const tables = lentaTable(result)
  process.stdout.write(`\nLenta-shaped archive (issue #16 targets)\n${textTable(tables.main)}\n`)
  if (tables.swap.rows.length > 0) process.stdout.write(`\n${textTable(tables.swap)}\n`)
  await mkdir(dirname(options.plot), { recursive: true })
  await writeFile(options.plot, lentaPlot(result.points))
  const cpu = cpus()
  const commit = (() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim() } catch { return 'unknown' } })()
  const failed = result.points.filter(p => p.error !== undefined).map(p => `- ${p.label} failed: ${p.error}`).join('\n')
  await writeSection(options.out, `## poisk on a Lenta-shaped archive (npm run bench${SECTION_NAME})

Generated by \`${command}\` — do not edit this section by hand; run the bench again.

- Date: ${started.toISOString()} (took ${((Date.now() - started.getTime()) / 60000).toFixed(1)} min)
- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}; shared with other engineers' work while it ran (load average at start ${loadAtStart} on ${cpu.length} cores)
- poisk commit: ${commit} (and the working tree's changes, if any)
- Archive: rt's bodies cut into articles of about 2,400 characters, each headed by its first sentence, repeated with new
  ids and a growing vocabulary (in copy c, every fifth word of six or more letters gets a copy-specific tail) up to each
  size (\`bench/lenta-shape.js\`, cached under /tmp/poisk-bench-cache); rt ×1 measured the same way in the same run.
${failed === '' ? '' : `${failed}\n`}
${markdownTable(tables.main)}
${tables.swap.rows.length > 0 ? `\n${markdownTable(tables.swap)}\n` : ''}
![Lenta-shaped archive: build time, peak RSS, live after start, longest stall and p99 against documents](${relative(dirname(options.out), options.plot)})

How it is measured: the build is \`buildIndex\` in a fresh process (\`bench/child.js\`; peak RSS is its \`maxRSS\`; the folder
is every file its manifest lists; GB and MB here are 2^30 and 2^20 bytes). Then a real \`poisk serve\` (\`bench/serve-start.js\`, one worker): "listens after" is the time
from spawning it to the first answer on its port; /health is probed every 20 ms on a new connection until it answers
200 ("live after start"), and its slowest answer is reported; live, the server still prepares its headline
vocabulary in the background, and "start-up work done" is when \`/admin/status\` says \`vocabularyReady\`; the longest
stall is prom-client's \`nodejs_eventloop_lag_max_seconds\` scraped 2 s after that (the maximum since the metrics
started, when the app was built: the module loading and dictionary load before it serve no one); then 300 GET /search
of rt's tag queries one after another, their p50 and p99, and the process's RSS after them. With \`--swap\`: \`POST /admin/reindex\`
on the largest archive while 16 clients search without pause; the window is from the build's end (\`/admin/status\`
idle) to the new build answering \`/health\`; /health is probed every 100 ms from the request on, and its longest
answer is given for the build and for that window apart.
`)
  log(`wrote ${relative(process.cwd(), options.out)} and ${relative(process.cwd(), options.plot)}`)
}

/** @param {import('./report.js').ScaleResult[]} scales @param {(r: import('./report.js').SystemResult) => number} pick */
function series (scales, pick) {
  return options.systems.map(system => ({
    system,
    label: LABELS[/** @type {keyof typeof LABELS} */ (system)] ?? system,
    points: scales.map(s => ({ x: s.documents, y: s.systems[system] === undefined ? NaN : pick(/** @type {import('./report.js').SystemResult} */ (s.systems[system])) }))
  })).filter(line => line.points.some(p => Number.isFinite(p.y)))
}

function num (/** @type {unknown} */ value) {
  return typeof value === 'number' ? value : NaN
}

/** @param {Record<'results' | 'ratios' | 'http', { header: string[], rows: string[][] }>} tables @param {string} pgNote @param {string | undefined} pgVersion @param {number} baseDocuments */
function markdown (tables, pgNote, pgVersion, baseDocuments) {
  const cpu = cpus()
  const commit = (() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim() } catch { return 'unknown' } })()
  return `## poisk against its peers (npm run bench${SECTION_NAME})

Generated by \`${command}\` — do not edit this section by hand; run the bench again.

- Date: ${started.toISOString()} (took ${((Date.now() - started.getTime()) / 60000).toFixed(1)} min)
- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}; shared with other engineers' work while it ran (load average at start ${loadAtStart} on ${cpu.length} cores)
- poisk commit: ${commit}
- Run: ${options.quick ? 'reduced (--quick)' : 'full'}; scales rt × ${options.scales.join(', ')}${options.baselineScales === undefined ? '' : ` (baselines at × ${options.baselineScales.join(', ')})`}; medians of ${options.repeats}; systems ${options.systems.join(', ')}; HTTP ${options.http ? `${options.connections.join(' and ')} connections, ${options.durationS} s each, poisk with 1 and ${options.workers} workers` : 'not run'}
- PostgreSQL: ${pgVersion === undefined ? pgNote : `${pgVersion}, a throwaway server on a unix socket`}

## Ratios against the targets (rt ×${options.scales[0]})

${markdownTable(tables.ratios)}

## Results

${markdownTable(tables.results)}

![Scale curve: build time and heap against documents](${relative(dirname(options.out), options.plot)})

## HTTP

${markdownTable(tables.http)}

## How it is measured

- Corpus: \`rt.jsonl.gz\` (${baseDocuments} articles at ×1) and rt repeated k times with new ids and varied text: in copy i every fifth
  word of six or more letters gets a copy-specific Cyrillic tail, so the vocabulary grows with the archive.
- Every build and every load runs in a fresh Node process (\`bench/child.js\`, \`--expose-gc\`). Build time includes reading
  and parsing the JSONL. MiniSearch baselines index \`title\` and \`body\`; "MiniSearch + Snowball" lower-cases, folds ё,
  drops Snowball stop words and stems with \`@orama/stemmers/russian\`.
- Heap: \`heapUsed\` after two forced GCs with the index in memory — for MiniSearch right after \`addAll\`, for poisk after
  \`buildIndex\` and loading the published build in the same process (poisk's build does not keep the index).
  Peak heap is sampled every 50 ms during the build; peak RSS is the process's \`maxRSS\`.
- Index size: poisk's index files; its document store (\`docs.*\`: the full texts, read for snippets) is reported apart,
  since MiniSearch's saved JSON holds no texts; MiniSearch's \`JSON.stringify\` output; PostgreSQL's
  \`pg_total_relation_size\` (table, TOAST and GIN index, texts included).
- Load: poisk's \`openNewestUsable\` (checksums, index, document store); MiniSearch's \`loadJSON\` of the saved string.
  The stall is the longest gap of a 1 ms timer during the load.
- Search: every tag query of \`rt-tag-queries.tsv\` once to warm up, then 3 timed passes; a query's latency is the
  median of its passes (a pass the shared machine's scheduler interrupted does not become the tail), p50/p95/p99 are
  over the queries. The top 10 as each system
  returns it — MiniSearch its result objects (ids, scores, matched terms), PostgreSQL ids and ranks, poisk
  \`rankAll\` with \`top(10)\`: the query parsed and analysed (layout, spelling, transliteration), scored and
  ranked with coordination, each hit with its stored fields. "page" is poisk's whole \`search\` as GET /search
  serves it: besides, the ten documents read from the document store, snippets and marked headlines (the
  baselines make none). PostgreSQL is timed from a client over a unix socket (\`websearch_to_tsquery('russian',
  q)\`, \`ts_rank_cd\`, GIN over weighted title/body tsvectors).
- HTTP: autocannon against servers in child processes, cycling through the tag queries; every server is first
  warmed up with each query once per worker (10 connections), then measured; poisk with loopback
  allow-listed from rate limits and load shedding off; the baseline is a bare fastify route over the saved
  MiniSearch + Snowball index returning the top ten.
`
}

const SECTION_NAME = options.section === '' ? '' : ` (${options.section})`
const SECTION_START = `<!-- npm run bench${SECTION_NAME}: start -->`
const SECTION_END = `<!-- npm run bench${SECTION_NAME}: end -->`

/**
 * Replaces the bench's own section of the page, keeping the sections other benchmarks wrote
 * (e.g. latency during a rebuild).
 * @param {string} path
 * @param {string} section
 */
async function writeSection (path, section) {
  const page = await readFile(path, 'utf8').catch(() => '# Benchmarks\n')
  const block = `${SECTION_START}\n${section.trim()}\n${SECTION_END}`
  const start = page.indexOf(SECTION_START)
  const end = page.indexOf(SECTION_END)
  const next = start !== -1 && end > start
    ? page.slice(0, start) + block + page.slice(end + SECTION_END.length)
    : `${page.trimEnd()}\n\n${block}\n`
  await writeFile(path, next)
}

await main()
