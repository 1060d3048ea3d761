/**
 * Integer parameters (query string and path) accept plain decimal digits only. Fastify's
 * ajv coerces strings with Number()'s grammar, so `limit=Infinity`, `0x10`, `1e2` and
 * `%205` (a leading space) all became numbers, and Infinity even passed `maximum`: every
 * hit in one answer. This checks the raw strings before ajv sees them, for every parameter
 * whose schema type is integer, so a new one is covered by declaring it; the schemas, and
 * the OpenAPI description made from them, stay `integer`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'

const BAD_PARAMETER_CODE = 'POISK_BAD_PARAMETER'

const DECIMAL = /^[0-9]+$/
/** Characters of a refused value quoted in the message: enough to recognise it, not a page of it. */
const SHOWN_CHARACTERS = 40

interface IntegerParameter {
  name: string
  min: number
  max: number
}

interface PropertySchema {
  type?: unknown
  minimum?: unknown
  maximum?: unknown
}

type PreValidation = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>

/** Our hooks, so the HEAD route fastify derives from a GET (with its hooks) does not get a second one. */
const checks = new WeakSet<PreValidation>()

async function strictIntegers (app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as { querystring?: unknown, params?: unknown } | undefined
    const query = integerParameters(schema?.querystring)
    const params = integerParameters(schema?.params)
    if (query.length === 0 && params.length === 0) return
    const existing = route.preValidation === undefined ? [] : [route.preValidation].flat()
    if (existing.some(hook => checks.has(hook as PreValidation))) return
    const check: PreValidation = async (request, reply) => {
      const message = firstProblem(query, request.query) ?? firstProblem(params, request.params)
      if (message === undefined) return
      return await reply.status(400).send({ statusCode: 400, error: 'Bad Request', message, code: BAD_PARAMETER_CODE })
    }
    checks.add(check)
    route.preValidation = [check, ...existing] as RouteOptions['preValidation']
  })
}

/** The integer properties of an object schema, with their bounds. */
export function integerParameters (schema: unknown): IntegerParameter[] {
  const properties = (schema as { properties?: Record<string, PropertySchema> } | undefined)?.properties
  if (properties === undefined) return []
  return Object.entries(properties)
    .filter(([, property]) => property.type === 'integer')
    .map(([name, property]) => ({
      name,
      min: typeof property.minimum === 'number' ? property.minimum : 0,
      max: typeof property.maximum === 'number' ? property.maximum : Number.MAX_SAFE_INTEGER
    }))
}

function firstProblem (parameters: IntegerParameter[], values: unknown): string | undefined {
  if (typeof values !== 'object' || values === null) return undefined
  for (const parameter of parameters) {
    if (!Object.hasOwn(values, parameter.name)) continue // absent: the schema's default or required applies
    const problem = integerProblem(parameter, (values as Record<string, unknown>)[parameter.name])
    if (problem !== undefined) return problem
  }
  return undefined
}

/** Why a raw value is not a plain decimal within the parameter's bounds; undefined when it is. */
function integerProblem ({ name, min, max }: IntegerParameter, value: unknown): string | undefined {
  const expected = `a whole number from ${min} to ${max}`
  if (Array.isArray(value)) return `${name} must be given once, as ${expected}`
  const text = String(value)
  if (DECIMAL.test(text)) {
    const number = Number(text)
    if (number >= min && number <= max) return undefined
  }
  return `${name} must be ${expected}, got «${shorten(text)}»`
}

function shorten (text: string): string {
  return text.length <= SHOWN_CHARACTERS ? text : `${text.slice(0, SHOWN_CHARACTERS)}…`
}

export const strictIntegersPlugin = fp(strictIntegers, { name: 'poisk-strict-integers' })
