import { readFile } from 'node:fs/promises'
import { describe, expect, it, vi } from 'vitest'
import { COMMANDS, type CommandName } from '../../src/cli/commands.js'
import { commandHelp } from '../../src/cli/help.js'
import { main } from '../../src/cli/main.js'
import { runCli, type CliResult } from '../helpers/cli.js'

const NAMES = Object.keys(COMMANDS) as CommandName[]

/** `poisk …` run in this process (only help and version: nothing else is started). */
async function mainOutput (argv: string[]): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(chunk => { stdout += String(chunk); return true })
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(chunk => { stderr += String(chunk); return true })
  try {
    return { code: await main(argv), stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

describe('poisk --help and --version', () => {
  it('prints every command\'s help for --help, -h and poisk help <command>, naming each of its options', async () => {
    for (const name of NAMES) {
      const long = await mainOutput([name, '--help'])
      for (const result of [await mainOutput([name, '-h']), await mainOutput(['help', name])]) expect(result).toEqual(long)
      expect(long.code).toBe(0)
      expect(long.stderr).toBe('')
      expect(long.stdout).toMatch(new RegExp(`^poisk ${name} — `))
      expect(long.stdout).toContain(`Usage: poisk ${name}`)
      // Each option has its row under Options: the flag, then the start of its description.
      for (const [option, spec] of Object.entries(COMMANDS[name].options)) {
        const row = long.stdout.split('\n').find(line => line.startsWith(`  --${option} `))
        expect(row, `${name} --${option}`).toContain(spec.description.split(' ').slice(0, 3).join(' '))
      }
    }
  })

  it('prints the same help from the installed command', async () => {
    const [installed, inProcess] = [await runCli(['search', '-h']), await mainOutput(['search', '--help'])]
    expect(installed).toEqual(inProcess)
  }, 60_000)

  it('shows help even next to other flags, without running the command', async () => {
    const result = await mainOutput(['index', '--corpus', 'no/such/corpus', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: poisk index')
  })

  it('lists the commands for poisk --help and poisk help, and exits 1 with the list for a bare poisk', async () => {
    const [help, helpCommand, bare] = [await mainOutput(['--help']), await mainOutput(['help']), await mainOutput([])]
    for (const name of NAMES) expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'))
    expect(help.code).toBe(0)
    expect(helpCommand).toEqual(help)
    expect(bare).toEqual({ ...help, code: 1 })
  })

  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string }
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
    expect(await mainOutput(['-v'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  }, 60_000)

  it('wraps every help line to 100 columns', () => {
    for (const name of NAMES) {
      for (const line of commandHelp(name).split('\n').filter(line => line.startsWith('  '))) expect(line.length, line).toBeLessThanOrEqual(100)
    }
  })
})
