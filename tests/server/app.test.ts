import { describe, expect, it, onTestFinished } from 'vitest'
import { IndexStore } from '../../src/live/index-store.js'
import { buildApp } from '../../src/server/app.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'

async function appWithIndex () {
  const { snapshot } = await buildFixtureIndex()
  const app = await buildApp({ store: new IndexStore(snapshot) })
  onTestFinished(async () => await app.close())
  return { app, snapshot }
}

describe('GET /search', () => {
  it('returns ranked hits with marked snippets', async () => {
    const { app } = await appWithIndex()
    const response = await app.inject({ url: `/search?q=${encodeURIComponent('Дурову')}` })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body).toMatchObject({ query: 'Дурову', total: 1 })
    expect(typeof body.tookMs).toBe('number')
    expect(body.hits[0]).toMatchObject({ id: 'n-1', title: 'Павел Дуров покинул Францию', url: 'https://example.ru/news/1', date: '2025-03-15' })
    expect(body.hits[0].snippet).toContain('<mark>Дурову</mark>')
    expect(body.hits[0]).not.toHaveProperty('offset') // internal fields stay internal
  })

  it('applies limit and offset', async () => {
    const { app } = await appWithIndex()
    const q = encodeURIComponent('москва россия метро')
    const all = (await app.inject({ url: `/search?q=${q}&limit=100` })).json()
    const page = (await app.inject({ url: `/search?q=${q}&limit=1&offset=1` })).json()
    expect(page.total).toBe(all.total)
    expect(page.hits.map((hit: { id: string }) => hit.id)).toEqual([all.hits[1].id])
  })

  it.each([
    ['no q', '/search'],
    ['an empty q', '/search?q='],
    ['a blank q', '/search?q=%20%20'],
    ['an over-long q', `/search?q=${'а'.repeat(501)}`],
    ['limit 0', '/search?q=x&limit=0'],
    ['limit 101', '/search?q=x&limit=101'],
    ['a non-numeric limit', '/search?q=x&limit=ten'],
    ['a negative offset', '/search?q=x&offset=-1'],
    ['q given twice', '/search?q=a&q=b']
  ])('answers 400 with a message for %s', async (_name, url) => {
    const { app } = await appWithIndex()
    const response = await app.inject({ url })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' })
    expect(response.json().message).toEqual(expect.any(String))
  })

  it('answers an empty 200 for a query of stop words only', async () => {
    const { app } = await appWithIndex()
    const response = await app.inject({ url: `/search?q=${encodeURIComponent('и в на')}` })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ total: 0, hits: [] })
  })

  it('answers 200 for odd but valid input', async () => {
    const { app } = await appWithIndex()
    for (const q of ['%FF%FE', '<script>', '"""', '-', 'title:', '\u200B', '%F0%9F%98%80']) {
      const response = await app.inject({ url: `/search?q=${q}` })
      expect([200, 400], q).toContain(response.statusCode)
    }
  })
})

describe('GET /documents/:id', () => {
  it('returns the stored document', async () => {
    const { app } = await appWithIndex()
    const response = await app.inject({ url: '/documents/n-2' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ id: 'n-2', title: 'Лавров провёл переговоры в Анкаре', kind: 'article' })
    expect(response.json().body).toContain('Эрдоганом')
  })

  it('answers 404 for an unknown id', async () => {
    const { app } = await appWithIndex()
    const response = await app.inject({ url: '/documents/nope' })
    expect(response.statusCode).toBe(404)
    expect(response.json().message).toContain('nope')
  })

  it('finds ids that are URLs', async () => {
    const { app } = await appWithIndex()
    const id = 'https://lenta.ru/news/2018/12/15/metro/'
    const response = await app.inject({ url: `/documents/${encodeURIComponent(id)}` })
    expect(response.statusCode).toBe(200)
    expect(response.json().id).toBe(id)
  })
})

describe('GET /health', () => {
  it('answers 503 before an index is loaded, and every search route too', async () => {
    const app = await buildApp({ store: new IndexStore() })
    onTestFinished(async () => await app.close())
    expect((await app.inject({ url: '/health' })).statusCode).toBe(503)
    expect((await app.inject({ url: '/search?q=x' })).statusCode).toBe(503)
    expect((await app.inject({ url: '/documents/x' })).statusCode).toBe(503)
  })

  it('reports documents and the build id once loaded', async () => {
    const { app, snapshot } = await appWithIndex()
    const response = await app.inject({ url: '/health' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'ok', documents: 9, buildId: snapshot.buildId, writable: true })
  })
})
