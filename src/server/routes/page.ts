/**
 * GET /: the search page, and its script and style under /assets/. Three small files
 * from `web/`, read once at start and served from memory; no front-end build step and
 * nothing fetched at run time.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync } from 'fastify'

/** `web/` beside `src/` and `dist/`. */
const WEB_DIR = new URL('../../../web/', import.meta.url)

const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8'
}

export const pageRoutes: FastifyPluginAsync = async (app) => {
  const page = await readFile(fileURLToPath(new URL('index.html', WEB_DIR)), 'utf8')
  const assets = new Map<string, string>()
  for (const name of Object.keys(ASSETS)) assets.set(name, await readFile(fileURLToPath(new URL(name, WEB_DIR)), 'utf8'))

  app.get('/', async (_request, reply) => {
    return await reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page)
  })
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const body = assets.get(request.params.name)
    if (body === undefined) {
      return await reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `no asset ${request.params.name}`, code: 'POISK_NO_ASSET' })
    }
    return await reply.type(ASSETS[request.params.name] as string).header('cache-control', 'no-cache').send(body)
  })
}
