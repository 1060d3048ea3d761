import { describe, expect, it } from 'vitest'
import { runCli, startServerProcess } from '../helpers/cli.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('end to end', () => {
  it('indexes a corpus with the CLI, serves it on a real port and shuts down on SIGTERM', async () => {
    const indexDir = await tempDir()
    const built = await runCli(['index', '--corpus', FIXTURE_CORPUS, '--index', indexDir])
    expect(built.code, built.stderr).toBe(0)
    expect(built.stdout).toMatch(/indexed 9 documents \(7 articles, 2 headlines\)/)
    expect(built.stdout).toMatch(/skipped 0/)

    const server = await startServerProcess(['serve', '--index', indexDir, '--port', '0'])
    const health = await fetch(`${server.url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', documents: 9 })

    const response = await fetch(`${server.url}/search?q=${encodeURIComponent('Лаврова')}`)
    expect(response.status).toBe(200)
    const body = await response.json() as { hits: Array<{ id: string, snippet: string }> }
    expect(body.hits[0]?.id).toBe('n-2')
    expect(body.hits[0]?.snippet).toContain('<mark>Лаврова</mark>')

    const exited = new Promise(resolve => server.child.on('exit', resolve))
    server.child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('searches from the command line, as text and as JSON', async () => {
    const indexDir = await tempDir()
    await runCli(['index', '--quiet', '--corpus', FIXTURE_CORPUS, '--index', indexDir])
    const text = await runCli(['search', '--index', indexDir, 'ёлки'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^1 found for «ёлки»/)
    expect(text.stdout).toContain('Ёлки подорожали перед Новым годом')
    const json = await runCli(['search', '--index', indexDir, '--json', '--limit', '1', 'Силуанов'])
    expect(JSON.parse(json.stdout)).toMatchObject({ total: 1, hits: [{ title: 'Глава Минфина Силуанов рассказал о бюджете на 2026 год' }] })
  })

  it('start builds the index when missing, and reuses it when the corpus is unchanged', async () => {
    const indexDir = await tempDir()
    const env = { CORPUS_DIR: FIXTURE_CORPUS, INDEX_DIR: indexDir, PORT: '0' }
    const first = await startServerProcess(['start'], env)
    expect(first.output()).toContain('building the index: no index has been built yet')
    first.child.kill('SIGTERM')
    await new Promise(resolve => first.child.on('exit', resolve))
    const second = await startServerProcess(['start'], env)
    expect(second.output()).toMatch(/index \S+ matches .*: serving it/)
    expect((await fetch(`${second.url}/health`)).status).toBe(200)
  })

  it('serves 503 rather than crashing when there is no index', async () => {
    const empty = await tempDir()
    const server = await startServerProcess(['serve', '--index', empty, '--port', '0'], { CORPUS_DIR: `${empty}/no-corpus` })
    expect((await fetch(`${server.url}/health`)).status).toBe(503)
    expect((await fetch(`${server.url}/search?q=x`)).status).toBe(503)
  })

  it('exits with a clear message for bad flags and configuration', async () => {
    const unknown = await runCli(['index', '--corpsu', 'x'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe('poisk index: unknown option --corpsu; see poisk index --help\n')
    const badPort = await runCli(['serve', '--port', 'eighty'])
    expect(badPort.code).toBe(2)
    expect(badPort.stderr).toMatch(/--port must be a port number/)
    const missing = await runCli(['index', '--corpus', 'no/such/dir', '--index', await tempDir()])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/no such file or folder/)
  })
})
