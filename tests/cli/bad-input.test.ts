import { createServer } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import { runCli, type CliResult } from '../helpers/cli.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

/** Exit 2 and exactly one line on stderr, naming the command, with no stack trace. */
function expectOneLineRefusal (result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(2)
  const lines = result.stderr.split('\n').filter(line => line !== '')
  expect(lines, result.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^poisk [\w-]+: /)
  expect(lines[0]).toMatch(pattern)
  expect(result.stderr).not.toMatch(/\n\s+at /)
}

describe('wrong invocations: one line, exit 2', () => {
  it('an unknown option, a missing value, a flag given a value, a stray argument', async () => {
    const [unknown, missing, ambiguous, booleanValue, stray, unknownSearch] = await Promise.all([
      runCli(['index', '--corpsu', 'x']),
      runCli(['index', '--corpus']),
      runCli(['index', '--index', '--quiet']),
      runCli(['index', '--quiet=yes']),
      runCli(['index', 'corpus']),
      runCli(['search', '--quiet', 'x'])
    ])
    expectOneLineRefusal(unknown, /unknown option --corpsu; see poisk index --help/)
    expectOneLineRefusal(missing, /--corpus needs a value \(--corpus PATH\)/)
    expectOneLineRefusal(ambiguous, /--index needs a value \(--index DIR\)/)
    expectOneLineRefusal(booleanValue, /--quiet takes no value/)
    expectOneLineRefusal(stray, /unexpected argument «corpus»/)
    expectOneLineRefusal(unknownSearch, /unknown option --quiet; see poisk search --help/)
  }, 120_000)

  it('an unknown command, and help for one', async () => {
    const [command, help] = await Promise.all([runCli(['serch', 'x']), runCli(['help', 'serch'])])
    for (const result of [command, help]) {
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/^poisk( help)?: unknown command «serch»; poisk --help lists the commands\n$/)
    }
  }, 120_000)

  it('a file where an index folder belongs, for index, serve and search', async () => {
    const [index, inside, serve, search] = await Promise.all([
      runCli(['index', '--corpus', FIXTURE_CORPUS, '--index', 'README.md']),
      runCli(['index', '--corpus', FIXTURE_CORPUS, '--index', 'README.md/index']),
      runCli(['serve', '--index', 'README.md', '--port', '0']),
      runCli(['search', '--index', 'README.md', 'x'])
    ])
    expectOneLineRefusal(index, /--index README\.md: not a folder/)
    expectOneLineRefusal(inside, /--index README\.md\/index: a file stands in its path/)
    expectOneLineRefusal(serve, /--index README\.md: not a folder/)
    expectOneLineRefusal(search, /--index README\.md: not a folder/)
  }, 120_000)

  it('search filters the HTTP route would refuse', async () => {
    const indexDir = await tempDir()
    const [badDay, noSuchDay, backwards, badSort, badLimit] = await Promise.all([
      runCli(['search', '--index', indexDir, '--from', '15.03.2025', 'x']),
      runCli(['search', '--index', indexDir, '--to', '2025-02-30', 'x']),
      runCli(['search', '--index', indexDir, '--from', '2025-03-01', '--to', '2025-01-01', 'x']),
      runCli(['search', '--index', indexDir, '--sort', 'best', 'x']),
      runCli(['search', '--index', indexDir, '--limit', '0', 'x'])
    ])
    expectOneLineRefusal(badDay, /--from must be a day as YYYY-MM-DD, got «15\.03\.2025»/)
    expectOneLineRefusal(noSuchDay, /--to must be a day as YYYY-MM-DD, got «2025-02-30»/)
    expectOneLineRefusal(backwards, /--from 2025-03-01 is after --to 2025-01-01/)
    expectOneLineRefusal(badSort, /--sort must be relevance or date, got «best»/)
    expectOneLineRefusal(badLimit, /--limit must be an integer from 1 to 100/)
  }, 120_000)

  it('a port another process listens on', async () => {
    const indexDir = await tempDir()
    const busy = createServer()
    await new Promise<void>(resolve => busy.listen(0, '127.0.0.1', resolve))
    onTestFinished(async () => { await new Promise(resolve => busy.close(resolve)) })
    const port = (busy.address() as { port: number }).port
    const result = await runCli(['serve', '--index', indexDir, '--port', String(port)])
    expectOneLineRefusal(result, new RegExp(`^poisk serve: port ${port} is in use on 127\\.0\\.0\\.1 .*--port or PORT$`))
  }, 120_000)
})
