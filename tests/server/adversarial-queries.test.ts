/**
 * Property tests: random and adversarial input through the real app (inject, no sockets).
 * Whatever arrives, the answer is a 2xx or a 4xx with a JSON message, never a 5xx, and it
 * comes back (a hang would fail the per-request bound or the test timeout).
 */
import fc from 'fast-check'
import { describe, expect, it, onTestFinished } from 'vitest'
import { IndexStore } from '../../src/live/index-store.js'
import { buildApp } from '../../src/server/app.js'
import { createMetrics } from '../../src/server/metrics.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'

/** Not a speed measurement: a generous bound that only a hang or a runaway query exceeds. */
const HANG_MS = 5000
const ALLOWED = [200, 400, 404, 414]

async function app () {
  const { snapshot } = await buildFixtureIndex()
  const server = await buildApp({ store: new IndexStore(snapshot), operations: { metrics: createMetrics(), rateLimitAllowList: ['127.0.0.1'] } })
  onTestFinished(async () => await server.close())
  await server.ready()
  return server
}

const russianWord = fc.stringMatching(/^[а-яё]{1,12}$/)
const words = fc.array(fc.oneof(russianWord, fc.constantFrom('Дуров', 'Москва', 'и', 'в', 'на', 'не', 'экс-советник', '2025', '3,5')), { minLength: 1, maxLength: 60 })
/** Pieces that have broken parsers, tokenizers and regexes elsewhere. */
const hostile = fc.constantFrom(
  '%', '%%', '%FF', '%ED%A0%80', '%E0%A4%A', '%00', '\u0000', '\uD800', '\uDFFF', '\u200B', '\u00AD', '\u202E', '\uFEFF',
  'а\u0301', '*', 'а*', '~', '"', "'", '\\', '(', ')', '[', ']', '{', '}', '$', '^', '.*', '(a+)+$', '&', '=', '#', '+', '-',
  'AND', 'OR', 'NOT', 'title:', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '<script>', '&amp;', 'ё', 'Ё'
)
const adversarialQuery = fc.oneof(
  words.map(list => list.join(' ')),
  fc.array(hostile, { minLength: 1, maxLength: 40 }).map(list => list.join('')),
  fc.array(fc.oneof(hostile, russianWord), { minLength: 1, maxLength: 40 }).map(list => list.join(' ')),
  fc.string({ unit: 'grapheme', maxLength: 600 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.tuple(fc.constantFrom('а', 'о', 'ь', 'x', '1', '-'), fc.integer({ min: 1, max: 700 })).map(([c, n]) => c.repeat(n)),
  fc.integer({ min: 1, max: 200 }).map(n => Array.from({ length: n }, (_, i) => `с${i % 7}`).join('-'))
)
const number = fc.oneof(fc.integer({ min: -10, max: 20_000 }).map(String), fc.constantFrom('', 'NaN', '1e9', '-0', '0x10', '1.5', ' 5', '99999999999999999999', 'ten'))

/** A query string: q encoded, raw, repeated or missing, with limit/offset of any shape and stray keys. */
const searchUrl = fc.record({
  q: adversarialQuery,
  encode: fc.boolean(),
  limit: fc.option(number),
  offset: fc.option(number),
  extra: fc.option(fc.constantFrom('&q=again', '&foo=bar', '&limit=1&limit=2', '&__proto__=x', '&&&', '&=')),
  dropQ: fc.boolean()
}).map(({ q, encode, limit, offset, extra, dropQ }) => {
  const value = encode ? percentEncode(q) : q.replace(/[\s#]/g, '+')
  const parts = [dropQ ? '' : `q=${value}`, limit === null ? '' : `limit=${limit}`, offset === null ? '' : `offset=${offset}`].filter(Boolean)
  return `/search?${parts.join('&')}${extra ?? ''}`
})

/** Every UTF-8 byte as %XX (encodeURIComponent throws on lone surrogates; these become U+FFFD). */
function percentEncode (text: string): string {
  return [...Buffer.from(text, 'utf8')].map(byte => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('')
}

async function expectWellBehaved (server: Awaited<ReturnType<typeof app>>, url: string): Promise<void> {
  const started = performance.now()
  const response = await server.inject({ url })
  const elapsed = performance.now() - started
  expect(ALLOWED, `${response.statusCode} for ${url}: ${response.body.slice(0, 300)}`).toContain(response.statusCode)
  expect(elapsed, `took ${elapsed} ms: ${url}`).toBeLessThan(HANG_MS)
  // «/documents/%2e%2e» is normalised to «/», the search page: HTML, not JSON.
  if (!String(response.headers['content-type']).startsWith('application/json')) return
  const body = response.json()
  if (response.statusCode !== 200) expect(body.message, url).toEqual(expect.any(String))
}

describe('adversarial input never breaks the server', () => {
  it('GET /search answers 200 or 4xx for random and adversarial queries', async () => {
    const server = await app()
    await fc.assert(fc.asyncProperty(searchUrl, async url => await expectWellBehaved(server, url)), { numRuns: 300 })
  }, 120_000)

  it('GET /documents/:id answers 200 or 4xx for any id', async () => {
    const server = await app()
    const id = fc.oneof(adversarialQuery.map(percentEncode), fc.constantFrom('n-1', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%00', '__proto__', 'constructor', 'n-1%00'))
    await fc.assert(fc.asyncProperty(id, async value => await expectWellBehaved(server, `/documents/${value}`)), { numRuns: 200 })
  }, 60_000)
})
