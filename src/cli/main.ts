/**
 * The `poisk` command line: index, serve, search, start (index if needed, then serve), eval.
 * The commands and their options are the table in `commands.ts` (help is printed from it);
 * flags override the environment (PORT, HOST, CORPUS_DIR, INDEX_DIR, LOG_LEVEL, …).
 */
import { stat } from 'node:fs/promises'
import { createDefaultAnalyzer } from '../analysis/default-analyzer.js'
import cluster from 'node:cluster'
import { configFromEnv, parseInteger, parsePort, parsePositiveInteger, parseWorkers, type Config } from '../config.js'
import { ConfigError, PoiskError } from '../errors.js'
import { indexFreshness } from '../index/index-freshness.js'
import { closeSnapshot, openNewestUsable } from '../index/open-index.js'
import { defaultPrimaryOptions, runPrimary } from '../server/cluster/primary.js'
import { isPoiskWorker } from '../server/cluster/protocol.js'
import { recordBuild } from '../server/metrics.js'
import { closeOnSignals, serve, type ServeOptions } from '../server/serve.js'
import { search } from '../search/search.js'
import { defaultQueryOptions } from '../search/query-options.js'
import { defaultRanking } from '../search/ranking.js'
import { MAX_LIMIT, MAX_OFFSET } from '../server/schemas.js'
import { evalCommand } from './eval-command.js'
import { evalMorphCommand } from './eval-morph-command.js'
import { runBuild } from './run-build.js'
import { databaseCorpus, databaseSourceOf } from '../corpus/postgres-source.js'
import { asksForHelp, parseCommandArgs } from './arguments.js'
import { isCommandName, type CommandName } from './commands.js'
import { commandHelp, overview, version } from './help.js'
import { logStreamFor } from './log-output.js'
import { formatHits, searchFilters } from './search-output.js'

type Command = (args: string[], config: Config) => Promise<void>

const RUN: Record<CommandName, Command> = {
  index: indexCommand,
  serve: serveCommand,
  search: searchCommand,
  start: startCommand,
  eval: async args => await evalCommand(args),
  'eval-morph': async args => await evalMorphCommand(args)
}

/** Exit codes: 0 done, 1 a failure while running, 2 a wrong invocation or configuration (one line on stderr). */
export async function main (argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`)
    return 0
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    return showHelp(name, args)
  }
  if (!isCommandName(name)) {
    process.stderr.write(`poisk: unknown command «${name}»; poisk --help lists the commands\n`)
    return 2
  }
  if (asksForHelp(args)) {
    process.stdout.write(commandHelp(name))
    return 0
  }
  try {
    await RUN[name](args, configFromEnv())
    return 0
  } catch (error) {
    const message = oneLineMessage(error)
    if (message === undefined) throw error
    process.stderr.write(`poisk ${name}: ${message.text}\n`)
    return message.exitCode
  }
}

/** `poisk`, `poisk --help`, `poisk help [command]`. */
function showHelp (name: string | undefined, args: string[]): number {
  const [topic] = args
  if (name === 'help' && topic !== undefined) {
    if (!isCommandName(topic)) {
      process.stderr.write(`poisk help: unknown command «${topic}»; poisk --help lists the commands\n`)
      return 2
    }
    process.stdout.write(commandHelp(topic))
    return 0
  }
  process.stdout.write(overview())
  return name === undefined ? 1 : 0
}

/**
 * What is told in one line instead of a stack trace: poisk's own errors (exit 2, the
 * invocation or its input is wrong), a port that cannot be listened on (2), and a file
 * system refusal (1); anything else is a bug and keeps its stack.
 */
function oneLineMessage (error: unknown): { text: string, exitCode: number } | undefined {
  if (error instanceof PoiskError) return { text: error.message, exitCode: 2 }
  const system = error as Partial<NodeJS.ErrnoException> & { address?: string, port?: number }
  // `bind` is how a cluster worker's listen fails (the primary binds for it).
  if (system.syscall === 'listen' || system.syscall === 'bind') return { text: listenFailure(system), exitCode: 2 }
  if (typeof system.code === 'string' && typeof system.syscall === 'string' && system.message !== undefined) {
    return { text: system.message, exitCode: 1 }
  }
  return undefined
}

function listenFailure ({ code, address, port, message }: Partial<NodeJS.ErrnoException> & { address?: string, port?: number }): string {
  const where = `${address ?? ''}:${port ?? ''}`
  switch (code) {
    case 'EADDRINUSE': return `port ${port ?? '?'} is in use on ${address ?? 'this host'} (another server listens there): choose another with --port or PORT`
    case 'EACCES': return `port ${port ?? '?'} needs privileges this process lacks: choose one above 1023 with --port or PORT`
    case 'EADDRNOTAVAIL': return `${address ?? 'the host'} is not an address of this machine: choose another with --host or HOST`
    default: return `cannot listen on ${where}: ${message ?? String(code)}`
  }
}

async function indexCommand (args: string[], config: Config): Promise<void> {
  const { values } = parseCommandArgs('index', args)
  const indexDir = values.index ?? config.indexDir
  await requireFolderOrNothing(indexDir, values.index === undefined ? 'INDEX_DIR' : '--index')
  if (values.corpus === undefined) process.stderr.write(`${defaultsTold(config, values.index !== undefined)}\n`)
  await runBuild(databaseCorpusPaths(values.corpus, values) ?? config.corpusPaths, indexDir, createDefaultAnalyzer(), values.quiet === true, config.timeZone)
}

/** --corpus, with --table or --query naming the rows of a postgresql:// corpus (postgres-source.ts). */
function databaseCorpusPaths (corpus: string[] | undefined, shape: { table?: string | undefined, query?: string | undefined }): string[] | undefined {
  if (shape.table === undefined && shape.query === undefined) return corpus
  if (corpus?.length !== 1) throw new ConfigError('--table and --query need one --corpus postgresql://…')
  return [databaseCorpus(corpus[0] as string, { ...(shape.table === undefined ? {} : { table: shape.table }), ...(shape.query === undefined ? {} : { query: shape.query }) })]
}

/** `serve --follow`: the database corpus to follow, with FOLLOW_INTERVAL_MS and FOLLOW_WINDOW_MS. */
function followOf (follow: boolean | undefined, corpusPaths: string[], config: Config): Pick<ServeOptions, 'follow'> {
  if (follow !== true) return {}
  const source = databaseSourceOf(corpusPaths)
  if (source === undefined) throw new ConfigError('--follow needs --corpus postgresql://… with --table NAME (or --query "SELECT …")')
  return { follow: { source, ...config.follow } }
}

/** What a bare `poisk index` builds, said before it does: the bundled sample unless CORPUS_DIR names a corpus. */
function defaultsTold (config: Config, indexGiven: boolean): string {
  const corpus = config.corpusConfigured
    ? `CORPUS_DIR ${config.corpusPaths.join(', ')} (no --corpus given)`
    : `the bundled sample ${config.corpusPaths.join(', ')}/ (no --corpus or CORPUS_DIR given)`
  return `indexing ${corpus}${indexGiven ? '' : ` into ${config.indexDir}/`}`
}

/** `poisk index` creates its folder, but a file in its place is a mistake worth one line, not a stack trace. */
async function requireFolderOrNothing (indexDir: string, flag: string): Promise<void> {
  const info = await stat(indexDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    if (error.code === 'ENOTDIR') throw new ConfigError(`${flag} ${indexDir}: a file stands in its path (give a folder)`)
    throw error
  })
  if (info !== undefined && !info.isDirectory()) throw new ConfigError(`${flag} ${indexDir}: not a folder (give a folder; poisk index creates it if missing)`)
}

async function serveCommand (args: string[], config: Config): Promise<void> {
  const { values } = parseCommandArgs('serve', args)
  const workers = values.workers === undefined ? config.workers : parseWorkers(values.workers, '--workers')
  const indexDir = values.index ?? config.indexDir
  await requireIndexFolder(indexDir, values.index === undefined ? 'INDEX_DIR' : '--index')
  const corpusPaths = databaseCorpusPaths(values.corpus, values) ?? (config.corpusConfigured ? config.corpusPaths : [])
  await serveWith({ workers, workerGc: config.workerGc }, {
    indexDir,
    port: values.port === undefined ? config.port : parsePort(values.port, '--port'),
    host: values.host ?? config.host,
    analyzer: createDefaultAnalyzer(),
    logLevel: config.logLevel,
    ...logging(config),
    // Only a corpus someone named is ever built from: never the bundled sample in place of an unusable index.
    corpusPaths,
    ...followOf(values.follow, corpusPaths, config),
    http: config.http,
    documents: { maxInMemoryBytes: config.documentsInMemoryBytes },
    timeZone: config.timeZone,
    ...(config.synonyms === undefined ? {} : { synonyms: config.synonyms }),
    ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken })
  })
}

function logging (config: Config): Pick<ServeOptions, 'logStream'> {
  const stream = logStreamFor(config.logFormat)
  return stream === undefined ? {} : { logStream: stream }
}

/** `serve` and `search` read an index folder that must exist: a misspelt name is an error, not a new empty index. */
async function requireIndexFolder (indexDir: string, flag: string): Promise<void> {
  let info
  try {
    info = await stat(indexDir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOTDIR') throw new ConfigError(`${flag} ${indexDir}: not a folder (a file stands in its path)`)
    if (code !== 'ENOENT') throw error
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
  const starting = serve(options)
  closeOnSignals(starting)
  await starting
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
    ...logging(config),
    corpusPaths: config.corpusPaths,
    http: config.http,
    documents: { maxInMemoryBytes: config.documentsInMemoryBytes },
    timeZone: config.timeZone,
    ...(config.synonyms === undefined ? {} : { synonyms: config.synonyms }),
    ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken })
  }
  // Workers serve what the primary built; they never build (a restarted one must not either).
  if (isPoiskWorker()) return await serveWith(config, serveOptions)
  const freshness = await indexFreshness(config.indexDir, config.corpusPaths, analyzer, config.timeZone)
  if (freshness.fresh) {
    process.stderr.write(`index ${freshness.buildId} matches ${config.corpusPaths.join(', ')}: serving it\n`)
  } else {
    process.stderr.write(`building the index: ${freshness.reason}\n`)
    const started = performance.now()
    try {
      await runBuild(config.corpusPaths, config.indexDir, analyzer, false, config.timeZone)
      recordBuild(performance.now() - started, true)
    } catch (error) {
      recordBuild(performance.now() - started, false)
      throw error
    }
  }
  await serveWith(config, serveOptions)
}

async function searchCommand (args: string[], config: Config): Promise<void> {
  const { values, positionals } = parseCommandArgs('search', args)
  const query = positionals.join(' ').trim()
  if (query === '') throw new ConfigError('give a query, e.g. poisk search "Дуров"')
  const limit = values.limit === undefined ? 10 : parsePositiveInteger(values.limit, '--limit', MAX_LIMIT)
  const offset = values.offset === undefined ? 0 : parseInteger(values.offset, '--offset', 0, MAX_OFFSET)
  const filters = searchFilters(values)
  const indexDir = values.index ?? config.indexDir
  await requireIndexFolder(indexDir, values.index === undefined ? 'INDEX_DIR' : '--index')
  // One query reads ten documents: the file is not worth holding in memory.
  const { snapshot, rejected } = await openNewestUsable(indexDir, createDefaultAnalyzer(), { maxInMemoryBytes: 0 })
  if (snapshot === undefined) {
    const why = rejected.map(build => `\n  ${build.buildId}: ${build.reason}`).join('')
    throw new ConfigError(`no usable index in ${indexDir}${why || ' (build one with poisk index)'}`)
  }
  try {
    const queryOptions = config.synonyms === undefined ? defaultQueryOptions : { ...defaultQueryOptions, synonyms: config.synonyms }
    const response = await search(snapshot, { q: query, limit, offset, ...filters, timeZone: config.timeZone }, defaultRanking, queryOptions)
    process.stdout.write(values.json === true ? `${JSON.stringify(response, null, 2)}\n` : formatHits(response))
  } finally {
    await closeSnapshot(snapshot)
  }
}
