/**
 * GET /: the search page; GET /article/:id: one article's page; their scripts and style under
 * /assets/. The small files of `web/`, read once at start and served from memory; no front-end
 * build step and nothing fetched at run time.
 *
 * Each file carries a strong ETag (a digest of its content) and Last-Modified (the file's
 * modification time), with `Cache-Control: no-cache`: the URLs are not versioned, so a
 * browser revalidates on every use and a conditional request is answered 304 with no body.
 */
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'

/** `web/` beside `src/` and `dist/`. */
const WEB_DIR = new URL('../../../web/', import.meta.url)

const JS = 'text/javascript; charset=utf-8'
const HTML = 'text/html; charset=utf-8'

/** What /assets/ serves, by name, with its content type. */
const ASSETS: Record<string, string> = {
  'app.js': JS,
  'article.js': JS,
  'page-text.js': JS,
  'style.css': 'text/css; charset=utf-8'
}

export interface WebFile {
  body: string
  type: string
  /** A strong validator: the SHA-256 of the content, quoted. */
  etag: string
  /** The file's modification time, as an HTTP date (whole seconds). */
  lastModified: string
}

export async function readWebFile (name: string, type: string): Promise<WebFile> {
  const path = fileURLToPath(new URL(name, WEB_DIR))
  const [body, info] = await Promise.all([readFile(path, 'utf8'), stat(path)])
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
  return { body, type, etag, lastModified: new Date(Math.floor(info.mtimeMs / 1000) * 1000).toUTCString() }
}

/**
 * Whether the client's copy is current (RFC 9110 §13.1): If-None-Match, when sent, decides
 * alone (weak comparison, so a proxy's W/ prefix still matches); otherwise If-Modified-Since.
 */
export function notModified (request: FastifyRequest, file: WebFile): boolean {
  const ifNoneMatch = request.headers['if-none-match']
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true
    return ifNoneMatch.split(',').some(tag => tag.trim().replace(/^W\//, '') === file.etag)
  }
  const ifModifiedSince = request.headers['if-modified-since']
  if (ifModifiedSince === undefined) return false
  const since = Date.parse(ifModifiedSince)
  return !Number.isNaN(since) && Date.parse(file.lastModified) <= since
}

async function sendWebFile (request: FastifyRequest, reply: FastifyReply, file: WebFile): Promise<FastifyReply> {
  void reply.header('etag', file.etag).header('last-modified', file.lastModified).header('cache-control', 'no-cache')
  if (notModified(request, file)) return await reply.status(304).send()
  return await reply.type(file.type).send(file.body)
}

export const pageRoutes: FastifyPluginAsync = async (app) => {
  const searchPage = await readWebFile('index.html', HTML)
  const articlePage = await readWebFile('article.html', HTML)
  const assets = new Map<string, WebFile>()
  for (const [name, type] of Object.entries(ASSETS)) assets.set(name, await readWebFile(name, type))

  app.get('/', async (request, reply) => await sendWebFile(request, reply, searchPage))
  // The same page for every id: its script reads the id from the address and fetches GET /documents/:id.
  // Left out of /docs (whose route list a test pins): the same HTML page for any id, not an API.
  app.get('/article/:id', { schema: { hide: true } }, async (request, reply) => await sendWebFile(request, reply, articlePage))
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const file = assets.get(request.params.name)
    if (file === undefined) {
      return await reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `no asset ${request.params.name}`, code: 'POISK_NO_ASSET' })
    }
    return await sendWebFile(request, reply, file)
  })
}
