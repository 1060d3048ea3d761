// @ts-check
/**
 * The HTTP baseline: a bare fastify route over a saved MiniSearch + Snowball index, what a
 * user would write in an afternoon. `node bench/fastify-minisearch-server.js INDEX_JSON PORT`.
 */
import { readFile } from 'node:fs/promises'
import Fastify from 'fastify'
import { loadMiniSearch, searchTopTen } from './minisearch-baseline.js'

const [path, port] = process.argv.slice(2)
const index = loadMiniSearch('snowball', await readFile(/** @type {string} */ (path), 'utf8'))
const app = Fastify({ logger: false })
app.get('/search', async request => {
  const q = /** @type {{ q?: string }} */ (request.query).q ?? ''
  const hits = searchTopTen(index, q)
  return { query: q, hits: hits.map(hit => ({ id: hit.id, title: hit.title, score: hit.score })) }
})
app.get('/health', async () => ({ status: 'ok' }))
await app.listen({ port: Number(port), host: '127.0.0.1' })
process.on('SIGTERM', () => { app.close().then(() => process.exit(0), () => process.exit(1)) })
