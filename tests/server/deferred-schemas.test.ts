import Fastify from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { IndexStore } from '../../src/live/index-store.js'
import { buildApp } from '../../src/server/app.js'
import { DeferredSchemas } from '../../src/server/deferred-schemas.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'

/** A bare fastify app compiling through `schemas`, with the app's Ajv options. */
function appWith (schemas: DeferredSchemas) {
  const app = Fastify({
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: 'all', useDefaults: true } },
    schemaController: { compilersFactory: schemas.compilersFactory }
  })
  onTestFinished(async () => await app.close())
  return app
}

describe('deferred route schemas', () => {
  it('are not compiled when the app is made ready, but by the first request that needs them', async () => {
    const { snapshot } = await buildFixtureIndex()
    const app = await buildApp({ store: new IndexStore(snapshot) })
    onTestFinished(async () => await app.close())
    await app.ready()
    const before = app.deferredSchemas.left
    expect(before).toBeGreaterThan(5) // every route's querystring, body and response schemas

    const bad = await app.inject({ url: '/search?q=x&limit=abc' })
    expect(bad.statusCode).toBe(400)
    const good = await app.inject({ url: `/search?q=${encodeURIComponent('Дурову')}&limit=1` })
    expect(good.statusCode).toBe(200)
    expect(good.json()).toMatchObject({ total: 1, hits: [{ id: 'n-1' }] })
    const left = app.deferredSchemas.left
    expect(left).toBeLessThan(before)

    let pauses = 0
    await app.deferredSchemas.compileAll(async () => { pauses += 1 })
    expect(pauses).toBe(left) // one schema per turn
    expect(app.deferredSchemas.left).toBe(0)
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200)
  })

  it('tell validation errors as fastify does (Ajv errors read through)', async () => {
    const app = appWith(new DeferredSchemas())
    app.get('/items', { schema: { querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 } }, required: ['limit'] } } }, async request => request.query)
    const missing = await app.inject({ url: '/items' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().message).toBe("querystring must have required property 'limit'")
    const low = await app.inject({ url: '/items?limit=0' })
    expect(low.json().message).toBe('querystring/limit must be >= 1')
    expect((await app.inject({ url: '/items?limit=3' })).json()).toEqual({ limit: 3 })
  })

  it('let Ajv replace a root value it coerces (schemaEnv read through)', async () => {
    const app = appWith(new DeferredSchemas())
    app.post('/numbers', { schema: { body: { type: 'array', items: { type: 'number' } } } }, async request => ({ body: request.body }))
    const response = await app.inject({ method: 'POST', url: '/numbers', payload: '5', headers: { 'content-type': 'application/json' } })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ body: [5] }) // coerceTypes 'array' wraps the root number
  })

  it('serialize responses with the route schema', async () => {
    const app = appWith(new DeferredSchemas())
    app.get('/shape', { schema: { response: { 200: { type: 'object', properties: { kept: { type: 'string' } } } } } }, async () => ({ kept: 'да', dropped: 1 }))
    expect((await app.inject({ url: '/shape' })).body).toBe('{"kept":"да"}')
  })

  it('compile the rest when one schema does not, and say which failed', async () => {
    const schemas = new DeferredSchemas()
    const app = appWith(schemas)
    app.get('/broken', { schema: { querystring: { type: 'object', properties: { a: { type: 'no-such-type' } } } } }, async () => ({}))
    app.get('/fine', { schema: { querystring: { type: 'object', properties: { a: { type: 'string' } } } } }, async request => request.query)
    await app.ready()
    expect(schemas.left).toBe(4) // each GET's querystring, and its HEAD route's
    const failed = await schemas.compileAll(async () => {}).then(() => undefined, (error: AggregateError) => error)
    expect(failed?.message).toBe('2 route schema(s) did not compile')
    expect(failed?.errors.map((error: Error) => error.message.split(':')[0])).toEqual(['the schema of GET /broken querystring did not compile', 'the schema of HEAD /broken querystring did not compile'])
    expect(schemas.left).toBe(0)
    expect((await app.inject({ url: '/fine?a=x' })).json()).toEqual({ a: 'x' })
    expect((await app.inject({ url: '/broken?a=x' })).statusCode).toBe(500)
  })
})
