import { cp } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { runCli, type CliResult } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp-dir.js'

/** `poisk …` run from `cwd`, as a user in another folder would, without the test's CORPUS_DIR or INDEX_DIR. */
async function runIn (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return await runCli(args, env, { cwd, without: ['CORPUS_DIR', 'INDEX_DIR'] })
}

describe('poisk index without --corpus', () => {
  it('says it indexes the bundled sample corpus/ into index/, then does', async () => {
    const dir = await tempDir()
    await cp(FIXTURE_CORPUS, join(dir, 'corpus'), { recursive: true })
    const result = await runIn(dir, ['index', '--quiet'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.split('\n')[0]).toBe('indexing the bundled sample corpus/ (no --corpus or CORPUS_DIR given) into index/')
    expect(result.stdout).toMatch(/indexed 9 documents/)
    expect(result.stdout).toMatch(/published build \S+ at index\/builds\//)
  }, 120_000)

  it('names CORPUS_DIR when that is what it indexes, and leaves out the folder given by --index', async () => {
    const dir = await tempDir()
    const result = await runIn(dir, ['index', '--quiet', '--index', join(dir, 'idx')], { CORPUS_DIR: resolve(FIXTURE_CORPUS) })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.split('\n')[0]).toBe(`indexing CORPUS_DIR ${resolve(FIXTURE_CORPUS)} (no --corpus given)`)
  }, 120_000)

  it('says nothing of defaults when --corpus is given', async () => {
    const dir = await tempDir()
    const result = await runIn(dir, ['index', '--quiet', '--corpus', resolve(FIXTURE_CORPUS), '--index', join(dir, 'idx')])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toBe('')
  }, 120_000)
})
