import { describe, expect, it, onTestFinished } from 'vitest'
import { IndexStore } from '../../src/live/index-store.js'
import { buildApp } from '../../src/server/app.js'
import { indexOfArticles } from '../helpers/build-fixture.js'
import { RELATED_ARTICLES } from '../fixtures/related-articles.js'

async function app () {
  const snapshot = await indexOfArticles(RELATED_ARTICLES)
  const server = await buildApp({ store: new IndexStore(snapshot) })
  onTestFinished(async () => await server.close())
  return server
}

describe('GET /documents/:id/related', () => {
  it('returns the most related articles, five by default, or as many as asked', async () => {
    const server = await app()
    const response = await server.inject({ url: '/documents/h1/related' })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.id).toBe('h1')
    expect(body.hits).toHaveLength(5)
    expect(body.hits.slice(0, 2).map((hit: { id: string }) => hit.id).sort()).toEqual(['h2', 'h3'])
    expect(Object.keys(body.hits[0]).sort()).toEqual(['id', 'score', 'title'])
    const one = (await server.inject({ url: '/documents/g1/related?limit=1' })).json()
    expect(one.hits).toHaveLength(1)
    expect(['g2', 'g3']).toContain(one.hits[0].id)
  })

  it('answers 404 POISK_NO_DOCUMENT for an unknown id', async () => {
    const server = await app()
    const response = await server.inject({ url: '/documents/nope/related' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toMatchObject({ code: 'POISK_NO_DOCUMENT' })
  })

  it.each(['0', '51', '1e1', '0x5', ' 2', 'abc', '-1', '2.5'])('refuses limit=%j with a 400', async limit => {
    const server = await app()
    const response = await server.inject({ url: `/documents/h1/related?limit=${encodeURIComponent(limit)}` })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBeDefined()
  })
})
