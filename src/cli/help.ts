/**
 * Help text, generated from the command tables in `commands.ts`: `poisk --help` lists the
 * commands, `poisk <command> --help` (or `poisk help <command>`) a command's options.
 */
import { readFileSync } from 'node:fs'
import { COMMANDS, type CommandName, type CommandSpec, type OptionSpec } from './commands.js'

const ENVIRONMENT = `Environment (flags override it): PORT (3000), HOST (127.0.0.1), CORPUS_DIR (corpus), INDEX_DIR (index),
  LOG_LEVEL (info), LOG_FORMAT (pretty on a terminal, else json), ADMIN_TOKEN (unset: no admin routes), WORKERS (1),
  WORKER_GC (auto), DOCUMENTS_IN_MEMORY_MB (512), SYNONYMS_FILE, RATE_LIMIT_MAX (0: off), RATE_LIMIT_WINDOW_MS (60000),
  RATE_LIMIT_ALLOW_LIST, ADMIN_RATE_LIMIT_MAX (6000), ADMIN_RATE_LIMIT_WINDOW_MS (60000), CORS_ORIGINS,
  MAX_EVENT_LOOP_DELAY_MS (1000), MAX_HEAP_USED_BYTES (0: off), MAX_URL_LENGTH (4096), BODY_LIMIT (1048576),
  TRUST_PROXY (none), TIME_ZONE (Europe/Moscow), FOLLOW_INTERVAL_MS (1000), FOLLOW_WINDOW_MS (10000) — see README.md`

/** `poisk --help`: every command with its summary. */
export function overview (): string {
  const names = Object.keys(COMMANDS) as CommandName[]
  const width = Math.max(...names.map(name => name.length))
  return [
    `poisk ${version()} — full-text search for Russian news`,
    '',
    'Usage: poisk <command> [options]',
    '',
    'Commands:',
    ...names.map(name => `  ${name.padEnd(width)}  ${COMMANDS[name].summary}`),
    '',
    'poisk <command> --help (or poisk help <command>) lists a command\'s options; poisk --version prints the version.',
    '',
    ENVIRONMENT,
    ''
  ].join('\n')
}

/** `poisk <command> --help`. */
export function commandHelp (name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name]
  const rows = [...Object.entries(spec.options).map(([option, o]) => [flagOf(option, o), o.description]), ['-h, --help', 'show this help']]
  const width = Math.max(...rows.map(([flag = '']) => flag.length))
  return [
    `poisk ${name} — ${spec.summary}`,
    '',
    `Usage: ${usageLine(name, spec)}`,
    '',
    'Options:',
    ...rows.map(([flag = '', description = '']) => `  ${flag.padEnd(width)}  ${wrap(description, LINE_WIDTH - width - 4).join(`\n${' '.repeat(width + 4)}`)}`),
    ...(spec.notes === undefined ? [] : ['', ...spec.notes]),
    ''
  ].join('\n')
}

const LINE_WIDTH = 100

/** Words into lines of at most `width` characters (a longer word stands alone). */
function wrap (text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  return [...lines, line]
}

function usageLine (name: string, spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([option, o]) => `[${flagOf(option, o)}]${o.multiple === true ? '…' : ''}`)
  return ['poisk', name, ...options, ...(spec.positionals === undefined ? [] : [spec.positionals])].join(' ')
}

function flagOf (option: string, spec: OptionSpec): string {
  return spec.type === 'boolean' ? `--${option}` : `--${option} ${spec.value ?? 'VALUE'}`
}

/** The version in package.json (two folders up from both src/cli and dist/cli). */
export function version (): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return manifest.version
}
