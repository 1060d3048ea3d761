/**
 * Answers requests whose URL holds raw non-ASCII bytes, such as
 * `curl 'localhost:3000/search?q=Дурову'`. Browsers percent-encode a URL before sending it;
 * curl and many scripts do not, and Node's HTTP parser rejects such a request line outright
 * (HPE_INVALID_URL) before fastify sees it. For a complete GET or HEAD request we
 * percent-encode those bytes — exactly what a browser would have sent — and answer it
 * through the application (`inject`, so every hook, limit and schema still applies), then
 * close the connection. Anything else gets the usual 400.
 */
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'

interface ParserError extends Error {
  code?: string
  rawPacket?: Buffer
}

const HEADER_END = Buffer.from('\r\n\r\n')
const MAX_PACKET = 16 * 1024

export function handleClientError (app: FastifyInstance, error: ParserError, socket: Socket): void {
  const request = error.code === 'HPE_INVALID_URL' && error.rawPacket !== undefined ? parseRawRequest(error.rawPacket) : undefined
  if (request === undefined) {
    sendBadRequest(socket)
    return
  }
  app.inject({ method: request.method, url: request.url, headers: request.headers, remoteAddress: socket.remoteAddress ?? '127.0.0.1' })
    .then(response => {
      if (!socket.writable) return
      const headers = Object.entries(response.headers)
        .filter(([name]) => !['connection', 'transfer-encoding', 'content-length', 'keep-alive'].includes(name))
        .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map(item => `${name}: ${String(item)}\r\n`))
        .join('')
      const body = request.method === 'HEAD' ? Buffer.alloc(0) : response.rawPayload
      socket.end(Buffer.concat([
        Buffer.from(`HTTP/1.1 ${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ''}\r\n${headers}content-length: ${response.rawPayload.length}\r\nconnection: close\r\n\r\n`),
        body
      ]))
    }, (injectError: unknown) => {
      app.log.error({ err: injectError }, 'could not answer a request with a raw non-ASCII URL')
      sendBadRequest(socket)
    })
}

interface RawRequest {
  method: 'GET' | 'HEAD'
  url: string
  headers: Record<string, string>
}

/** A complete, bodiless GET/HEAD request with its URL percent-encoded; undefined otherwise. */
export function parseRawRequest (packet: Buffer): RawRequest | undefined {
  if (packet.length > MAX_PACKET) return undefined
  const end = packet.indexOf(HEADER_END)
  if (end === -1) return undefined
  const lines = packet.subarray(0, end).toString('latin1').split('\r\n')
  const match = /^(GET|HEAD) (\/\S*) HTTP\/1\.[01]$/.exec(lines[0] ?? '')
  if (match === null) return undefined
  const headers: Record<string, string> = {}
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon <= 0) return undefined
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { method: match[1] as 'GET' | 'HEAD', url: percentEncodeBytes(Buffer.from(match[2] as string, 'latin1')), headers }
}

function percentEncodeBytes (bytes: Buffer): string {
  let url = ''
  for (const byte of bytes) url += byte > 0x7e || byte < 0x21 ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte)
  return url
}

function sendBadRequest (socket: Socket): void {
  if (!socket.writable) return
  const body = JSON.stringify({ statusCode: 400, error: 'Bad Request', message: 'malformed request' })
  socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
}
