/**
 * Compiles src/ into dist/ before any test runs (and before each rerun in watch mode).
 * Worker threads (analysis, corpus reader), build children and the end-to-end tests run
 * the compiled code, so without this `npx vitest` would test whatever dist/ an earlier
 * build left there. It is `npm run build`'s two steps: tsc, then the bundling of
 * rolldown.config.js (which the built server's start needs to stay quick, and a test checks).
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { TestProject } from 'vitest/node'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** tsc's exit code when it reports errors but wrote every output file all the same. */
const OUTPUTS_GENERATED = 2

async function buildDist (): Promise<void> {
  try {
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as { code?: number, stdout?: string, stderr?: string }
    // A type error leaves dist/ current (the typecheck reports it): the tests still run.
    if (code === OUTPUTS_GENERATED) {
      console.warn(`tsc -p tsconfig.build.json reported errors; dist/ was written:\n${stdout}${stderr}`)
    } else {
      throw new Error(`tsc -p tsconfig.build.json failed, so the tests would run a stale dist/:\n${stdout}${stderr}`)
    }
  }
  await run(process.execPath, ['node_modules/rolldown/bin/cli.mjs', '-c', 'rolldown.config.js', '--logLevel', 'warn'], { cwd: ROOT })
}

export async function setup (project: TestProject): Promise<void> {
  await buildDist()
  project.onTestsRerun(buildDist)
}
