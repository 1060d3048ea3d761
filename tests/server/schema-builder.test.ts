import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import * as adminSchemas from '../../src/server/admin-schemas.js'
import * as featureSchemas from '../../src/server/feature-schemas.js'
import * as schemas from '../../src/server/schemas.js'

const dist = new URL('../../dist/server/', import.meta.url)

/** The module specifiers a compiled file imports or re-exports from. */
function importsOf (source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map(match => match[1] as string)
}

/** A schema with its symbol-keyed and non-enumerable parts as JSON has them: what fastify compiles. */
function asJson (value: unknown): unknown {
  return JSON.parse(JSON.stringify(value))
}

describe('the schema builder as `npm run build` leaves it', () => {
  it('is one file: it imports no module (typebox is bundled into it)', async () => {
    const built = await readFile(new URL('schema-builder.js', dist), 'utf8')
    expect(importsOf(built)).toEqual([])
    expect(importsOf("export { Type } from 'typebox'")).toEqual(['typebox']) // what tsc alone leaves
  })

  it('makes every route schema the sources make', async () => {
    for (const [file, source] of [['schemas.js', schemas], ['feature-schemas.js', featureSchemas], ['admin-schemas.js', adminSchemas]] as const) {
      const built = await import(new URL(file, dist).href) as Record<string, unknown>
      expect(Object.keys(built).sort()).toEqual(Object.keys(source).sort())
      for (const [name, schema] of Object.entries(source)) expect(asJson(built[name]), `${file} ${name}`).toEqual(asJson(schema))
    }
  })
})
