import { connect } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import { IndexStore } from '../../src/live/index-store.js'
import { buildApp } from '../../src/server/app.js'
import { parseRawRequest } from '../../src/server/raw-url-fallback.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'

/** Sends raw bytes to a real port and returns the whole response text. */
async function rawRequest (port: number, bytes: Buffer): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes))
    let text = ''
    socket.on('data', chunk => { text += chunk.toString('utf8') })
    socket.on('end', () => resolve(text))
    socket.on('error', reject)
  })
}

describe('requests with raw non-ASCII URLs (curl with Cyrillic)', () => {
  it('are answered as if the URL had been percent-encoded', async () => {
    const { snapshot } = await buildFixtureIndex()
    const app = await buildApp({ store: new IndexStore(snapshot) })
    onTestFinished(async () => await app.close())
    await app.listen({ port: 0, host: '127.0.0.1' })
    const port = (app.server.address() as { port: number }).port
    const response = await rawRequest(port, Buffer.from('GET /search?q=Дурову&limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n', 'utf8'))
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    const body = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { query: string, hits: Array<{ id: string }> }
    expect(body.query).toBe('Дурову')
    expect(body.hits[0]?.id).toBe('n-1')
    const malformed = await rawRequest(port, Buffer.from('GET /search?q=\xff\x00 HTTP/1.1\r\nHost: x\r\n', 'latin1'))
    expect(malformed).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
  })

  it('parses only complete bodiless GET and HEAD requests', () => {
    expect(parseRawRequest(Buffer.from('GET /search?q=ёж HTTP/1.1\r\nHost: a\r\n\r\n'))).toEqual({
      method: 'GET', url: '/search?q=%D1%91%D0%B6', headers: { host: 'a' }
    })
    expect(parseRawRequest(Buffer.from('POST /documents/x HTTP/1.1\r\n\r\n'))).toBeUndefined()
    expect(parseRawRequest(Buffer.from('GET /search?q=ёж HTTP/1.1\r\nHost: a\r\n'))).toBeUndefined()
  })
})
