import { describe, expect, it, onTestFinished } from 'vitest'
import { IndexStore } from '../../src/live/index-store.js'
import { buildApp } from '../../src/server/app.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'

async function appWith (corpus: string) {
  const { snapshot } = await buildFixtureIndex([corpus])
  const app = await buildApp({ store: new IndexStore(snapshot) })
  onTestFinished(async () => await app.close())
  return app
}

const url = (path: string, params: Record<string, string | string[]>): string => {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) for (const one of [value].flat()) search.append(key, one)
  return `${path}?${search}`
}

describe('GET /search features', () => {
  it('filters, sorts and counts facets from query parameters', async () => {
    const app = await appWith('tests/fixtures/features')
    const response = await app.inject({ url: url('/search', { q: 'ставка', tag: ['экономика', 'ипотека'], facets: 'true' }) })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ total: 1, hits: [{ id: 'f-3' }], facets: { tags: [{ value: 'ипотека', count: 1 }, { value: 'экономика', count: 1 }] } })
    const one = await app.inject({ url: url('/search', { q: 'ставка', tag: 'цб' }) })
    expect(one.json()).toMatchObject({ total: 1, hits: [{ id: 'f-1' }] })
    const dated = await app.inject({ url: url('/search', { q: 'ставка', from: '2025-06-01', to: '2025-06-30', sort: 'date', source: 'rt.com' }) })
    expect(dated.json().hits.map((hit: { id: string }) => hit.id)).toEqual(['f-1', 'f-8'])
  })

  it('says how the query was read', async () => {
    const app = await appWith('corpus')
    const body = (await app.inject({ url: url('/search', { q: 'lehjd' }) })).json()
    expect(body).toMatchObject({ layoutFixed: true, interpretedAs: 'дуров', allWordsMatched: true, corrections: [{ from: 'lehjd', to: 'дуров', kind: 'layout' }] })
    expect(body.hits[0].titleHtml).toContain('<mark>Дуров</mark>')
  })

  it.each([
    ['a malformed date', { q: 'ставка', from: '2025-1-1' }],
    ['a day that does not exist', { q: 'ставка', to: '2025-13-45' }],
    ['a date range backwards', { q: 'ставка', from: '2025-06-01', to: '2025-05-01' }],
    ['an unknown sort', { q: 'ставка', sort: 'random' }],
    ['eleven tags', { q: 'ставка', tag: Array.from({ length: 11 }, (_, at) => `t${at}`) }],
    ['a non-boolean facets', { q: 'ставка', facets: 'maybe' }]
  ])('answers 400 with a message for %s', async (_name, params) => {
    const app = await appWith('tests/fixtures/features')
    const response = await app.inject({ url: url('/search', params) })
    expect(response.statusCode).toBe(400)
    expect(response.json().message).toEqual(expect.any(String))
  })
})

describe('GET /suggest', () => {
  it('offers «Дуров», as written, for «дур»', async () => {
    const app = await appWith('corpus')
    const response = await app.inject({ url: url('/suggest', { q: 'дур' }) })
    expect(response.statusCode).toBe(200)
    expect(response.json().suggestions[0]).toEqual({ text: 'Дуров', word: 'Дуров', documents: 1, kind: 'word' })
  })

  it('answers an empty list for short input and 400 for over-long input', async () => {
    const app = await appWith('corpus')
    expect((await app.inject({ url: url('/suggest', { q: 'д' }) })).json()).toEqual({ query: 'д', suggestions: [] })
    expect((await app.inject({ url: url('/suggest', { q: '' }) })).json()).toEqual({ query: '', suggestions: [] })
    expect((await app.inject({ url: url('/suggest', { q: 'д'.repeat(201) }) })).statusCode).toBe(400)
    expect((await app.inject({ url: '/suggest' })).statusCode).toBe(400)
  })

  it('answers 503 before an index is loaded', async () => {
    const app = await buildApp({ store: new IndexStore() })
    onTestFinished(async () => await app.close())
    expect((await app.inject({ url: '/suggest?q=abc' })).statusCode).toBe(503)
  })
})

describe('GET /', () => {
  it('serves the Russian search page and its assets', async () => {
    const app = await buildApp({ store: new IndexStore() })
    onTestFinished(async () => await app.close())
    const page = await app.inject({ url: '/' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toContain('text/html')
    expect(page.body).toContain('<html lang="ru">')
    expect(page.body).toContain('<label for="q">')
    const script = await app.inject({ url: '/assets/app.js' })
    expect(script.statusCode).toBe(200)
    expect(script.headers['content-type']).toContain('javascript')
    expect((await app.inject({ url: '/assets/style.css' })).statusCode).toBe(200)
    expect((await app.inject({ url: '/assets/nope.js' })).statusCode).toBe(404)
  })
})
