/**
 * A command's arguments parsed by Node's `util.parseArgs` against its table in `commands.ts`,
 * with parseArgs' errors (unknown option, missing value, stray argument) turned into one-line
 * ConfigErrors that name the option and point at `--help`.
 */
import { parseArgs } from 'node:util'
import { ConfigError } from '../errors.js'
import { COMMANDS, type CommandName, type CommandSpec, type OptionSpec } from './commands.js'

type OptionValue<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S['multiple'] extends true ? string[] : string

/** What parseArgs gives for a table of options: each given option's value, typed by its spec. */
export type OptionValues<O extends Record<string, OptionSpec>> = { [K in keyof O]?: OptionValue<O[K]> }

export interface ParsedCommand<N extends CommandName> {
  values: OptionValues<typeof COMMANDS[N]['options']>
  positionals: string[]
}

export function parseCommandArgs<N extends CommandName> (name: N, args: string[]): ParsedCommand<N> {
  const spec: CommandSpec = COMMANDS[name]
  try {
    const { values, positionals } = parseArgs({ args, options: spec.options, allowPositionals: spec.positionals !== undefined, strict: true })
    return { values: values as ParsedCommand<N>['values'], positionals }
  } catch (error) {
    throw argumentError(name, spec, error)
  }
}

/** `--help` or `-h` anywhere before a `--` (after it, a search may look for the text «--help»). */
export function asksForHelp (args: string[]): boolean {
  const end = args.indexOf('--')
  return (end === -1 ? args : args.slice(0, end)).some(arg => arg === '--help' || arg === '-h')
}

function argumentError (name: CommandName, spec: CommandSpec, error: unknown): unknown {
  const { code, message } = error as { code?: string, message: string }
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? ''
  const flag = quoted.replace(/ <value>$/, '')
  const option = spec.options[flag.replace(/^--/, '')]
  const seeHelp = `see poisk ${name} --help`
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new ConfigError(`unknown option ${flag}; ${seeHelp}`)
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new ConfigError(`unexpected argument «${quoted}»: poisk ${name} takes only options; ${seeHelp}`)
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option?.type === 'boolean') return new ConfigError(`${flag} takes no value; ${seeHelp}`)
      return new ConfigError(`${flag} needs a value (${flag} ${option?.value ?? 'VALUE'}); ${seeHelp}`)
    default:
      return error
  }
}
