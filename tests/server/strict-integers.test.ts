/**
 * Integer parameters take plain decimal digits only: Number()'s other spellings (Infinity,
 * hex, exponents, padding) used to be coerced by ajv, and `limit=Infinity` returned every hit.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it, onTestFinished } from 'vitest'
import { IndexStore } from '../../src/live/index-store.js'
import { buildApp } from '../../src/server/app.js'
import { SuggestQuerystring } from '../../src/server/feature-schemas.js'
import { createMetrics } from '../../src/server/metrics.js'
import { integerParameters } from '../../src/server/plugins/strict-integers.js'
import { MAX_LIMIT, MAX_OFFSET, SearchQuerystring } from '../../src/server/schemas.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

/** More documents matching one word than the largest limit, so a page is always cut by the limit. */
const MATCHING = 130
const WORD = 'новости'

async function appWithManyHits () {
  const dir = await tempDir('poisk-strict-')
  const lines = Array.from({ length: MATCHING }, (_, i) => JSON.stringify({ id: `d-${i}`, title: `Главные ${WORD} дня номер ${i}`, body: `Текст ${i}.` }))
  await writeFile(join(dir, 'many.jsonl'), lines.join('\n') + '\n')
  const { snapshot } = await buildFixtureIndex([dir])
  const app = await buildApp({ store: new IndexStore(snapshot), operations: { metrics: createMetrics(), docs: true } })
  onTestFinished(async () => await app.close())
  await app.ready()
  return app
}

const search = (params: string) => `/search?q=${encodeURIComponent(WORD)}&${params}`

/** Every UTF-8 byte as %XX, so any generated string arrives as the parameter's whole value. */
function percentEncode (text: string): string {
  return [...Buffer.from(text, 'utf8')].map(byte => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('')
}

/** What the server must accept: digits only, within the bounds (the string as it arrives, after percent-decoding). */
function isPlainInRange (text: string, min: number, max: number): boolean {
  return /^[0-9]+$/.test(text) && Number(text) >= min && Number(text) <= max
}

describe('integer parameters', () => {
  it('are found in the route schemas, with their bounds', () => {
    expect(integerParameters(SearchQuerystring)).toEqual([
      { name: 'limit', min: 1, max: MAX_LIMIT },
      { name: 'offset', min: 0, max: MAX_OFFSET }
    ])
    expect(integerParameters(SuggestQuerystring)).toEqual([{ name: 'limit', min: 1, max: 20 }])
  })

  it.each([
    ['limit', 'Infinity', 'limit must be a whole number from 1 to 100, got «Infinity»'],
    ['offset', 'Infinity', 'offset must be a whole number from 0 to 10000, got «Infinity»'],
    ['limit', '0x10', 'limit must be a whole number from 1 to 100, got «0x10»'],
    ['limit', '1e2', 'limit must be a whole number from 1 to 100, got «1e2»'],
    ['offset', '1e1', 'offset must be a whole number from 0 to 10000, got «1e1»'],
    ['limit', '%205', 'limit must be a whole number from 1 to 100, got « 5»'],
    ['limit', '5%20', 'limit must be a whole number from 1 to 100, got «5 »'],
    ['limit', '+5', 'limit must be a whole number from 1 to 100, got « 5»'], // + is a space in a query string
    ['limit', '%2B5', 'limit must be a whole number from 1 to 100, got «+5»'],
    ['limit', '5.0', 'limit must be a whole number from 1 to 100, got «5.0»'],
    ['offset', '-0', 'offset must be a whole number from 0 to 10000, got «-0»'],
    ['limit', '0b11', 'limit must be a whole number from 1 to 100, got «0b11»'],
    ['limit', '%EF%BC%95', 'limit must be a whole number from 1 to 100, got «５»'], // a full-width digit
    ['limit', '', 'limit must be a whole number from 1 to 100, got «»'],
    ['limit', '0', 'limit must be a whole number from 1 to 100, got «0»'],
    ['limit', '101', 'limit must be a whole number from 1 to 100, got «101»'],
    ['offset', '10001', 'offset must be a whole number from 0 to 10000, got «10001»'],
    ['limit', '9'.repeat(60), `limit must be a whole number from 1 to 100, got «${'9'.repeat(40)}…»`],
    ['limit', '1&limit=2', 'limit must be given once, as a whole number from 1 to 100']
  ])('GET /search refuses %s=%s with 400 POISK_BAD_PARAMETER', async (name, value, message) => {
    const app = await appWithManyHits()
    const response = await app.inject({ url: search(`${name}=${value}`) })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message, code: 'POISK_BAD_PARAMETER' })
  })

  it('GET /suggest refuses the same spellings of its limit', async () => {
    const app = await appWithManyHits()
    for (const value of ['Infinity', '0x10', '1e1', '%205', '21']) {
      const response = await app.inject({ url: `/suggest?q=${encodeURIComponent('нов')}&limit=${value}` })
      expect(response.statusCode, value).toBe(400)
      expect(response.json()).toMatchObject({ code: 'POISK_BAD_PARAMETER', message: expect.stringMatching(/^limit must be a whole number from 1 to 20, got «/) })
    }
    expect((await app.inject({ url: `/suggest?q=${encodeURIComponent('нов')}&limit=20` })).statusCode).toBe(200)
  })

  it('accepts plain decimals, leading zeros included, and the defaults when absent', async () => {
    const app = await appWithManyHits()
    const hits = async (params: string) => {
      const response = await app.inject({ url: search(params) })
      expect(response.statusCode, params).toBe(200)
      return (response.json() as { hits: unknown[] }).hits.length
    }
    expect(await hits('limit=100')).toBe(100)
    expect(await hits('limit=007')).toBe(7)
    expect(await hits('limit=5&offset=128')).toBe(2)
    expect(await hits('offset=0')).toBe(10)
    expect(await hits('')).toBe(10)
  })

  it('refuses HEAD requests the same way', async () => {
    const app = await appWithManyHits()
    expect((await app.inject({ method: 'HEAD', url: search('limit=Infinity') })).statusCode).toBe(400)
    expect((await app.inject({ method: 'HEAD', url: search('limit=5') })).statusCode).toBe(200)
  })

  it('stay integers in the OpenAPI description', async () => {
    const app = await appWithManyHits()
    const document = (await app.inject({ url: '/docs/json' })).json()
    const schemaOf = (path: string, name: string) => document.paths[path].get.parameters.find((p: { name: string }) => p.name === name).schema
    expect(schemaOf('/search', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: MAX_LIMIT })
    expect(schemaOf('/search', 'offset')).toMatchObject({ type: 'integer', minimum: 0, maximum: MAX_OFFSET })
    expect(schemaOf('/suggest', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 20 })
  })

  it('any string as limit or offset: 200 only for a plain decimal in range, else 400; never more hits than the limit', async () => {
    const app = await appWithManyHits()
    const numberish = fc.oneof(
      fc.integer({ min: -5, max: MAX_OFFSET + 5 }).map(String),
      fc.nat({ max: 200 }).map(n => `${'0'.repeat(n % 4)}${n}`),
      fc.constantFrom('Infinity', '-Infinity', 'NaN', '0x10', '0o7', '0b1', '1e2', '1E1', '.5', '5.', '5.0', ' 5', '5 ', '\t5', '\n5', '+5', '-0', '1_0', '١٢', '５', '', 'null', 'true', '[]'),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.string({ unit: 'binary', maxLength: 8 })
    )
    await fc.assert(fc.asyncProperty(fc.option(numberish), fc.option(numberish), async (limit, offset) => {
      const params = [limit === null ? '' : `limit=${percentEncode(limit)}`, offset === null ? '' : `offset=${percentEncode(offset)}`].filter(Boolean).join('&')
      const response = await app.inject({ url: search(params) })
      // A lone surrogate arrives as U+FFFD, never a digit: judging the generated string is the same.
      const valid = (limit === null || isPlainInRange(limit, 1, MAX_LIMIT)) && (offset === null || isPlainInRange(offset, 0, MAX_OFFSET))
      expect(response.statusCode, `${params}: ${response.body.slice(0, 200)}`).toBe(valid ? 200 : 400)
      const body = response.json()
      if (!valid) {
        expect(body.code).toBe('POISK_BAD_PARAMETER')
        expect(body.message).toMatch(/^(limit|offset) must be /)
        return
      }
      const pageSize = limit === null ? 10 : Number(limit)
      const skipped = offset === null ? 0 : Number(offset)
      expect(body.hits.length).toBeLessThanOrEqual(pageSize)
      expect(body.hits.length).toBe(Math.max(0, Math.min(pageSize, MATCHING - skipped)))
    }), { numRuns: 400 })
  }, 60_000)
})
