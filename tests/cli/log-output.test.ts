import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { logStreamFor, readableMessage, readableUrl } from '../../src/cli/log-output.js'
import { runCli, startServerProcess } from '../helpers/cli.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

interface LogRecord { msg?: string, reqId?: string, method?: string, url?: string, statusCode?: number, ms?: number }

async function servedIndex (): Promise<string> {
  const indexDir = await tempDir()
  const built = await runCli(['index', '--quiet', '--corpus', FIXTURE_CORPUS, '--index', indexDir])
  expect(built.code, built.stderr).toBe(0)
  return indexDir
}

/** Waits until `output()` holds `count` lines matching `pattern` (a log line is written once the response is sent). */
async function linesMatching (output: () => string, pattern: RegExp, count: number): Promise<string[]> {
  for (let tries = 0; tries < 600; tries++) {
    const lines = output().split('\n').filter(line => pattern.test(line))
    if (lines.length >= count) return lines
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`fewer than ${count} lines match ${String(pattern)}:\n${output()}`)
}

describe('server logs', () => {
  it('are JSON lines when stdout is not a terminal, one per request, with method, url, status, ms and reqId', async () => {
    const server = await startServerProcess(['serve', '--index', await servedIndex(), '--port', '0'], { LOG_FORMAT: 'auto' })
    const search = await fetch(`${server.url}/search?q=${encodeURIComponent('Лавров')}`)
    const missing = await fetch(`${server.url}/no-such-route`)
    await linesMatching(server.output, /no-such-route/, 1)
    const lines = server.output().split('\n').filter(line => line.startsWith('{'))
    expect(server.output().split('\n').filter(line => line !== '' && !line.startsWith('{'))).toEqual([])
    const records = lines.map(line => JSON.parse(line) as LogRecord)
    expect(records.map(record => record.msg)).not.toContain('incoming request')
    expect(records.map(record => record.msg)).not.toContain('request completed')
    const searchLines = records.filter(record => record.reqId === search.headers.get('x-request-id'))
    expect(searchLines).toEqual([expect.objectContaining({ msg: 'request', method: 'GET', url: `/search?q=${encodeURIComponent('Лавров')}`, statusCode: 200, ms: expect.any(Number) })])
    const missingLines = records.filter(record => record.reqId === missing.headers.get('x-request-id'))
    expect(missingLines).toEqual([expect.objectContaining({ msg: 'request', url: '/no-such-route', statusCode: 404 })])
  }, 120_000)

  it('are readable lines with LOG_FORMAT=pretty: one per request, the URL decoded', async () => {
    const server = await startServerProcess(['serve', '--index', await servedIndex(), '--port', '0'], { LOG_FORMAT: 'pretty' }, 60_000, 'listening')
    await linesMatching(server.output, /INFO: startup complete/, 1)
    await fetch(`${server.url}/search?q=${encodeURIComponent('Лавров')}`)
    const [line] = await linesMatching(server.output, /GET \/search/, 1)
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/search\?q=Лавров 200 \d+(\.\d)? ms$/)
    expect(server.output()).not.toMatch(/^\{/m)
  }, 120_000)

  it('refuses an unknown LOG_FORMAT in one line', async () => {
    const result = await runCli(['serve', '--index', 'no-such-index'], { LOG_FORMAT: 'xml' })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('poisk serve: LOG_FORMAT must be one of auto, json, pretty, got «xml»\n')
  }, 60_000)
})

describe('log output choice', () => {
  it('is pino-pretty on a terminal or when forced, and pino\'s own JSON otherwise', () => {
    expect(logStreamFor('auto', { isTTY: true })).toBeInstanceOf(Writable)
    expect(logStreamFor('pretty', { isTTY: false })).toBeInstanceOf(Writable)
    expect(logStreamFor('auto', { isTTY: false })).toBeUndefined()
    expect(logStreamFor('auto', {})).toBeUndefined()
    expect(logStreamFor('json', { isTTY: true })).toBeUndefined()
  })

  it('writes a request as one line and keeps other messages, with their request id', () => {
    expect(readableMessage({ msg: 'request', method: 'GET', url: '/search?q=%D0%94%D1%83%D1%80%D0%BE%D0%B2', statusCode: 200, ms: 3.1, reqId: 'r1' }, 'msg'))
      .toBe('GET /search?q=Дуров 200 3.1 ms')
    expect(readableMessage({ msg: 'request failed', reqId: 'r1' }, 'msg')).toBe('request failed [r1]')
    expect(readableMessage({ msg: 'index live' }, 'msg')).toBe('index live')
  })

  it('never lets a decoded URL break the line', () => {
    expect(readableUrl('/search?q=a%0A%7B%22level%22%3A60%7D')).toBe('/search?q=a?{"level":60}')
    expect(readableUrl('/search?q=%E0%A4%A')).toBe('/search?q=%E0%A4%A')
  })
})
