/**
 * The OpenAPI description, generated from the route schemas (TypeBox) by @fastify/swagger,
 * and a browsable UI at /docs (the JSON at /docs/json). Must be registered before the
 * routes, whose schemas it collects as they are added.
 */
import { readFileSync } from 'node:fs'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
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
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
}

export const openApiPlugin = fp(openApi, { name: 'poisk-openapi' })
