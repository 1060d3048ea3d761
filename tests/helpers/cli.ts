import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { onTestFinished } from 'vitest'

const BIN = resolve('bin/poisk.js')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  /** The folder it runs in, as a user's shell would be (the project by default). */
  cwd?: string
  /** Variables of the test's environment not passed on. */
  without?: readonly string[]
}

/** Runs the real `poisk` command to completion. */
export async function runCli (args: string[], env: NodeJS.ProcessEnv = {}, options: CliOptions = {}): Promise<CliResult> {
  const inherited = { ...process.env }
  for (const name of options.without ?? []) delete inherited[name]
  const child = spawn(process.execPath, [BIN, ...args], { ...(options.cwd === undefined ? {} : { cwd: options.cwd }), env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', chunk => { stdout += String(chunk) })
  child.stderr.on('data', chunk => { stderr += String(chunk) })
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  return { code, stdout, stderr }
}

export interface ServerProcess {
  url: string
  child: ChildProcess
  output: () => string
}

/**
 * Starts `poisk serve|start` and waits until it listens and its start's load is over (the
 * index live, or the 503 settled); with `until: 'listening'`, only until it listens (the
 * server listens before it loads). Killed when the test ends.
 */
export async function startServerProcess (args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000, until: 'started' | 'listening' = 'started'): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  onTestFinished(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), timeoutMs)
    const onData = (chunk: Buffer): void => {
      output += String(chunk)
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      // With --workers N every worker listens before its index is live: started means all N are.
      if (match?.[1] !== undefined && (until === 'listening' || output.split('"msg":"startup complete"').length - 1 >= workersOf(args))) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', code => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${String(code)}:\n${output}`))
    })
  })
  return { url, child, output: () => output }
}

/** The worker processes a `serve` command line starts (1 without --workers). */
function workersOf (args: readonly string[]): number {
  const at = args.indexOf('--workers')
  return at === -1 ? 1 : Number(args[at + 1]) || 1
}
