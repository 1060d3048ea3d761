/**
 * The `poisk` command line: index, serve, search, start (index if needed, then serve).
 * Flags override the environment (PORT, HOST, CORPUS_DIR, INDEX_DIR, LOG_LEVEL).
 */
import { stat } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { createDefaultAnalyzer } from '../analysis/default-analyzer.js'
import cluster from 'node:cluster'
import { configFromEnv, parsePort, parsePositiveInteger, parseWorkers, type Config } from '../config.js'
import { ConfigError, PoiskError } from '../errors.js'
import { indexFreshness } from '../index/index-freshness.js'
import { openNewestUsable } from '../index/open-index.js'
import { defaultPrimaryOptions, runPrimary } from '../server/cluster/primary.js'
import { isPoiskWorker } from '../server/cluster/protocol.js'
import { recordBuild } from '../server/metrics.js'
import { closeOnSignals, serve, type ServeOptions } from '../server/serve.js'
import { search } from '../search/search.js'
import { defaultQueryOptions } from '../search/query-options.js'
import { defaultRanking } from '../search/ranking.js'
import { MAX_LIMIT } from '../server/schemas.js'
import { evalCommand } from './eval-command.js'
import { evalMorphCommand } from './eval-morph-command.js'
import { runBuild } from './run-build.js'

const USAGE = `Usage:
  poisk index  --corpus PATH [--corpus PATH…] --index DIR [--quiet]
  poisk serve  --index DIR [--port N] [--host H] [--workers N] [--corpus PATH…]   (DIR must exist; --corpus or CORPUS_DIR:
               what POST /admin/reindex, or a start without a usable build, builds from — nothing is built without one)
  poisk search --index DIR [--limit N] [--offset N] [--json] "запрос"
  poisk start  index CORPUS_DIR into INDEX_DIR if it changed, then serve
  poisk eval   [--shared DIR] [--systems a,b] [--write FILE] [--check FILE]   relevance on rt
  poisk eval-morph [--shared DIR] [--write FILE] [--check FILE] [--top N]   word-form grouping against UD Russian GSD lemmas

Environment: PORT (3000), HOST (127.0.0.1), CORPUS_DIR (corpus), INDEX_DIR (index), LOG_LEVEL (info),
  ADMIN_TOKEN (unset: no admin routes), WORKERS (1), RATE_LIMIT_MAX (0: off), RATE_LIMIT_WINDOW_MS (60000),
  RATE_LIMIT_ALLOW_LIST, ADMIN_RATE_LIMIT_MAX (6000), ADMIN_RATE_LIMIT_WINDOW_MS (60000), CORS_ORIGINS,
  MAX_EVENT_LOOP_DELAY_MS (1000), MAX_HEAP_USED_BYTES (0: off), MAX_URL_LENGTH (4096), BODY_LIMIT (16384),
  TRUST_PROXY (none) — see README
`

type Command = (args: string[], config: Config) => Promise<void>

const COMMANDS: Record<string, Command> = {
  index: indexCommand,
  serve: serveCommand,
  search: searchCommand,
  start: startCommand,
  eval: async args => await evalCommand(args),
  'eval-morph': async args => await evalMorphCommand(args)
}

export async function main (argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE)
    return name === undefined ? 1 : 0
  }
  const command = COMMANDS[name]
  if (command === undefined) {
    process.stderr.write(`poisk: unknown command «${name}»\n\n${USAGE}`)
    return 2
  }
  try {
    await command(args, configFromEnv())
    return 0
  } catch (error) {
    if (error instanceof PoiskError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`poisk ${name}: ${(error as Error).message}\n`)
      return 2
    }
    throw error
  }
}

async function indexCommand (args: string[], config: Config): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      corpus: { type: 'string', multiple: true },
      index: { type: 'string' },
      quiet: { type: 'boolean', default: false }
    }
  })
  await runBuild(values.corpus ?? config.corpusPaths, values.index ?? config.indexDir, createDefaultAnalyzer(), values.quiet)
}

async function serveCommand (args: string[], config: Config): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { index: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, workers: { type: 'string' }, corpus: { type: 'string', multiple: true } }
  })
  const workers = values.workers === undefined ? config.workers : parseWorkers(values.workers, '--workers')
  const indexDir = values.index ?? config.indexDir
  await requireIndexFolder(indexDir, values.index === undefined ? 'INDEX_DIR' : '--index')
  await serveWith({ workers, workerGc: config.workerGc }, {
    indexDir,
    port: values.port === undefined ? config.port : parsePort(values.port, '--port'),
    host: values.host ?? config.host,
    analyzer: createDefaultAnalyzer(),
    logLevel: config.logLevel,
    // Only a corpus someone named is ever built from: never the bundled sample in place of an unusable index.
    corpusPaths: values.corpus ?? (config.corpusConfigured ? config.corpusPaths : []),
    http: config.http,
    documents: { maxInMemoryBytes: config.documentsInMemoryBytes },
    ...(config.synonyms === undefined ? {} : { synonyms: config.synonyms }),
    ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken })
  })
}

/** `serve` and `search` read an index folder that must exist: a misspelt name is an error, not a new empty index. */
async function requireIndexFolder (indexDir: string, flag: string): Promise<void> {
  let info
  try {
    info = await stat(indexDir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    throw new ConfigError(`${flag} ${indexDir}: no such folder (build an index into it with poisk index --corpus PATH --index ${indexDir})`)
  }
  if (!info.isDirectory()) throw new ConfigError(`${flag} ${indexDir}: not a folder (give the folder poisk index wrote)`)
}

/** One process, or a primary that forks `workers` processes each running this same command. */
async function serveWith ({ workers, workerGc }: Pick<Config, 'workers' | 'workerGc'>, options: ServeOptions): Promise<void> {
  if (workers > 1 && cluster.isPrimary) {
    await runPrimary({ ...defaultPrimaryOptions, workers, workerGc, indexDir: options.indexDir, logLevel: options.logLevel })
    return
  }
  closeOnSignals(await serve(options))
}

async function startCommand (args: string[], config: Config): Promise<void> {
  if (args.length > 0) throw new ConfigError(`start takes no arguments (configure it with the environment), got ${args.join(' ')}`)
  const analyzer = createDefaultAnalyzer()
  const serveOptions: ServeOptions = {
    indexDir: config.indexDir,
    port: config.port,
    host: config.host,
    analyzer,
    logLevel: config.logLevel,
    corpusPaths: config.corpusPaths,
    http: config.http,
    documents: { maxInMemoryBytes: config.documentsInMemoryBytes },
    ...(config.synonyms === undefined ? {} : { synonyms: config.synonyms }),
    ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken })
  }
  // Workers serve what the primary built; they never build (a restarted one must not either).
  if (isPoiskWorker()) return await serveWith(config, serveOptions)
  const freshness = await indexFreshness(config.indexDir, config.corpusPaths, analyzer)
  if (freshness.fresh) {
    process.stderr.write(`index ${freshness.buildId} matches ${config.corpusPaths.join(', ')}: serving it\n`)
  } else {
    process.stderr.write(`building the index: ${freshness.reason}\n`)
    const started = performance.now()
    try {
      await runBuild(config.corpusPaths, config.indexDir, analyzer)
      recordBuild(performance.now() - started, true)
    } catch (error) {
      recordBuild(performance.now() - started, false)
      throw error
    }
  }
  await serveWith(config, serveOptions)
}

async function searchCommand (args: string[], config: Config): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      index: { type: 'string' },
      limit: { type: 'string', default: '10' },
      offset: { type: 'string', default: '0' },
      json: { type: 'boolean', default: false }
    }
  })
  const query = positionals.join(' ').trim()
  if (query === '') throw new ConfigError('give a query, e.g. poisk search "Дуров"')
  const indexDir = values.index ?? config.indexDir
  await requireIndexFolder(indexDir, values.index === undefined ? 'INDEX_DIR' : '--index')
  // One query reads ten documents: the file is not worth holding in memory.
  const { snapshot, rejected } = await openNewestUsable(indexDir, createDefaultAnalyzer(), { maxInMemoryBytes: 0 })
  if (snapshot === undefined) {
    const why = rejected.map(build => `\n  ${build.buildId}: ${build.reason}`).join('')
    throw new ConfigError(`no usable index in ${indexDir}${why || ' (build one with poisk index)'}`)
  }
  try {
    const limit = parsePositiveInteger(values.limit, '--limit', MAX_LIMIT)
    const offset = values.offset === '0' ? 0 : parsePositiveInteger(values.offset, '--offset', 10_000)
    const queryOptions = config.synonyms === undefined ? defaultQueryOptions : { ...defaultQueryOptions, synonyms: config.synonyms }
    const response = await search(snapshot, { q: query, limit, offset }, defaultRanking, queryOptions)
    process.stdout.write(values.json ? `${JSON.stringify(response, null, 2)}\n` : formatHits(response))
  } finally {
    await snapshot.documents.close()
  }
}

function formatHits (response: Awaited<ReturnType<typeof search>>): string {
  const lines = [`${response.total} found for «${response.query}» in ${response.tookMs} ms`]
  response.hits.forEach((hit, i) => {
    lines.push(`${i + 1}. ${hit.title}  [${hit.id}${hit.date === undefined ? '' : `, ${hit.date.slice(0, 10)}`}] score ${hit.score}`)
    lines.push(`   ${hit.snippet.replace(/<\/?mark>/g, '*').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')}`)
  })
  return `${lines.join('\n')}\n`
}
