/**
 * Every `poisk` command and its options, once: `main.ts` parses with these tables and
 * `help.ts` prints them, so a flag and its help cannot drift apart. A new option is one
 * entry here and one use in its command.
 */

export interface OptionSpec {
  type: 'string' | 'boolean'
  /** Repeatable (`--corpus a --corpus b`). */
  multiple?: boolean
  /** What the value is, as help shows it: DIR, PATH, N. */
  value?: string
  description: string
}

export interface CommandSpec {
  summary: string
  /** The positional arguments as help shows them; a command without it takes none. */
  positionals?: string
  options: Record<string, OptionSpec>
  /** Lines help prints after the options. */
  notes?: readonly string[]
}

const indexOption = (what: string): OptionSpec => ({ type: 'string', value: 'DIR', description: `${what}; default INDEX_DIR, else index/` })
const sharedOption: OptionSpec = { type: 'string', value: 'DIR', description: 'the shared data folder (corpora/, eval/); default POISK_SHARED_DIR, else ../shared' }

export const COMMANDS = {
  index: {
    summary: 'build an index from corpus files and publish it',
    options: {
      corpus: { type: 'string', multiple: true, value: 'PATH', description: 'a corpus file or folder (.jsonl, .csv, .txt, gzipped or not), repeatable; default CORPUS_DIR, else the bundled sample corpus/' },
      index: indexOption('the index folder to publish into (created if missing)'),
      quiet: { type: 'boolean', description: 'no progress bar or progress lines' },
      table: { type: 'string', value: 'NAME', description: 'with --corpus postgresql://…: the table whose rows are the articles (id, title, body, date, url, tags, source)' },
      query: { type: 'string', value: 'SQL', description: 'with --corpus postgresql://…: a SELECT yielding those columns, instead of --table' }
    },
    notes: ['Skipped records are reported as file:line: reason (a table\'s: table NAME:row); the rest is indexed.']
  },
  serve: {
    summary: 'serve an index over HTTP (search API, search page, /health, /metrics)',
    options: {
      index: indexOption('the index folder to serve (must exist)'),
      port: { type: 'string', value: 'N', description: 'HTTP port, 0 for any free one; default PORT, else 3000' },
      host: { type: 'string', value: 'HOST', description: 'address to listen on; default HOST, else 127.0.0.1' },
      workers: { type: 'string', value: 'N', description: 'HTTP worker processes; default WORKERS, else 1' },
      corpus: { type: 'string', multiple: true, value: 'PATH', description: 'what POST /admin/reindex, or a start without a usable build, builds from (repeatable); default CORPUS_DIR; nothing is built without one' },
      table: { type: 'string', value: 'NAME', description: 'with --corpus postgresql://…: the articles table' },
      query: { type: 'string', value: 'SQL', description: 'with --corpus postgresql://…: a SELECT yielding the article columns, instead of --table' },
      follow: { type: 'boolean', description: 'keep the index in step with the table: poll updated_at every FOLLOW_INTERVAL_MS (1000), rows with deleted_at set are deleted' }
    },
    notes: ['Logs: readable lines on a terminal, JSON lines otherwise (LOG_FORMAT=json|pretty forces one).']
  },
  search: {
    summary: 'search an index from the command line',
    positionals: '"запрос"',
    options: {
      index: indexOption('the index folder to search'),
      limit: { type: 'string', value: 'N', description: 'results to show, 1 to 100; default 10' },
      offset: { type: 'string', value: 'N', description: 'results to skip, 0 to 10000; default 0' },
      tag: { type: 'string', multiple: true, value: 'TAG', description: 'only documents carrying this tag (repeatable: every tag)' },
      source: { type: 'string', value: 'NAME', description: 'only documents from this source' },
      from: { type: 'string', value: 'YYYY-MM-DD', description: 'only documents dated this day or later' },
      to: { type: 'string', value: 'YYYY-MM-DD', description: 'only documents dated this day or earlier' },
      sort: { type: 'string', value: 'ORDER', description: 'relevance (default) or date (newest first)' },
      json: { type: 'boolean', description: 'print the response as GET /search answers it' }
    },
    notes: ['The same query language and filters as GET /search; corrections made to the query are printed under the count.']
  },
  start: {
    summary: 'index CORPUS_DIR into INDEX_DIR if it changed, then serve (npm start)',
    options: {},
    notes: ['Configured by the environment only: CORPUS_DIR (corpus), INDEX_DIR (index), PORT, HOST, WORKERS, … (see poisk --help).']
  },
  eval: {
    summary: 'relevance evaluation on rt (npm run eval)',
    options: {
      shared: sharedOption,
      corpus: { type: 'string', value: 'PATH', description: 'the rt corpus; default SHARED/corpora/rt.jsonl.gz' },
      systems: { type: 'string', value: 'A,B', description: 'systems to compare; default all' },
      write: { type: 'string', value: 'FILE', description: 'write the report into FILE (docs/RELEVANCE.md)' },
      check: { type: 'string', value: 'FILE', description: 'fail when poisk falls more than 0.01 below the figures in FILE' },
      ranking: { type: 'string', value: 'JSON', description: 'ranking options to try over one index: \'[{…}, …]\'' }
    }
  },
  'eval-morph': {
    summary: 'word-form grouping against UD Russian GSD lemmas (npm run eval:morph)',
    options: {
      shared: sharedOption,
      write: { type: 'string', value: 'FILE', description: 'write the section into FILE (docs/RELEVANCE.md)' },
      check: { type: 'string', value: 'FILE', description: 'fail when precision or recall falls more than half a point below FILE\'s' },
      top: { type: 'string', value: 'N', description: 'losses to list, 1 to 1000; default 20' }
    }
  }
} as const satisfies Record<string, CommandSpec>

export type CommandName = keyof typeof COMMANDS

export function isCommandName (name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name)
}
