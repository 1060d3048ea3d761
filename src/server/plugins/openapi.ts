/**
 * The OpenAPI description, generated from the route schemas (TypeBox) by @fastify/swagger,
 * and a browsable UI at /docs (the JSON at /docs/json). Must be registered before the
 * routes, whose schemas it collects as they are added.
 */
import { readFileSync } from 'node:fs'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifySchema } from 'fastify'
import fp from 'fastify-plugin'

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }

async function openApi (app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'poisk',
        description: 'Full-text search over Russian-language news',
        version
      }
    },
    transform: optionalDefaults
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
}

interface ObjectSchema { properties?: Record<string, { default?: unknown }>, required?: string[] }

/**
 * A query parameter with a default (limit, offset) is optional to the caller, though the
 * TypeBox schema lists it as required so that handlers see it filled in.
 */
function optionalDefaults ({ schema, url }: { schema: FastifySchema, url: string }): { schema: FastifySchema, url: string } {
  const querystring = schema?.querystring as ObjectSchema | undefined
  if (querystring?.required === undefined || querystring.properties === undefined) return { schema, url }
  const properties = querystring.properties
  const required = querystring.required.filter(name => properties[name]?.default === undefined)
  return { schema: { ...schema, querystring: { ...querystring, required } }, url }
}

export const openApiPlugin = fp(openApi, { name: 'poisk-openapi' })
