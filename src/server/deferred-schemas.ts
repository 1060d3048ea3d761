/**
 * fastify compiles every route's validators (Ajv) and response serializers
 * (fast-json-stringify) when the app is made ready, before it listens: about 60 ms of code
 * generation in one turn of the event loop, with the collector's marking steps that its
 * garbage brings, and the longest stall of a start (~100 ms, `nodejs_eventloop_lag_max_seconds`).
 * Here each schema is compiled when first used instead, by fastify's own compilers, and
 * `compileAll` compiles the rest once the server listens, one schema per turn.
 *
 * A deferred validator stands for Ajv's function: fastify reads its `errors` after a call
 * and its `schemaEnv` before one (to let Ajv coerce a root value), so both are the compiled
 * function's, read through.
 */
import AjvCompiler from '@fastify/ajv-compiler'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'
import { yieldToEventLoop, type Pause } from '../index/time-slicer.js'

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
type Compile = () => unknown

interface Validate {
  (data: unknown, dataContext?: unknown): unknown
  readonly errors?: unknown
  readonly schemaEnv?: unknown
}

/** A route schema that did not compile: which one, and why. */
export class SchemaCompileError extends Error {
  constructor (readonly schemaOf: string, cause: unknown) {
    super(`the schema of ${schemaOf} did not compile: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'SchemaCompileError'
  }
}

export class DeferredSchemas {
  /** Compilations no request has needed yet, in the order fastify asked for them. */
  private pending: Compile[] = []

  /** For fastify's `schemaController`: its default compilers, each compilation deferred. */
  readonly compilersFactory: CompilersFactory = {
    buildValidator: (externalSchemas, ajvOptions) => {
      const compile = AjvCompiler()(externalSchemas, ajvOptions)
      // Typed as Ajv's function, which it stands for (the properties fastify reads are read through).
      return route => this.validator(() => compile(route) as Validate, `${route.method} ${route.url} ${route.httpPart}`) as unknown as ReturnType<typeof compile>
    },
    buildSerializer: (externalSchemas, serializerOptions) => {
      const compile = SerializerSelector()(externalSchemas, serializerOptions)
      return route => this.serializer(() => compile(route), `${route.method} ${route.url} response ${route.httpStatus}`)
    }
  }

  /** How many schemas are still to compile. */
  get left (): number {
    return this.pending.length
  }

  /**
   * Compiles every schema no request has yet, `pause` awaited before each; a schema that
   * does not compile is thrown at the end (its route answers 500 and logs why), the others
   * compiled all the same.
   */
  async compileAll (pause: Pause = yieldToEventLoop): Promise<void> {
    const failures: unknown[] = []
    while (this.pending.length > 0) {
      await pause()
      const compile = this.pending.shift() as Compile
      try {
        compile()
      } catch (error) {
        failures.push(error)
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} route schema(s) did not compile`)
  }

  private validator (compile: () => Validate, schemaOf: string): Validate {
    const compiled = this.once(compile, schemaOf)
    const validate = (data: unknown, dataContext?: unknown): unknown => compiled()(data, dataContext)
    Object.defineProperties(validate, {
      errors: { get: () => compiled().errors },
      schemaEnv: { get: () => compiled().schemaEnv }
    })
    return validate
  }

  private serializer (compile: () => (document: unknown) => string, schemaOf: string): (document: unknown) => string {
    const compiled = this.once(compile, schemaOf)
    return document => compiled()(document)
  }

  /**
   * `compile`, run the first time the result is asked for (by a request or by compileAll),
   * its result kept; its error names the schema (`schemaOf`: the route and part).
   */
  private once<T> (compile: () => T, schemaOf: string): () => T {
    let result: { value: T } | undefined
    const compiled = (): T => {
      if (result === undefined) {
        this.pending = this.pending.filter(entry => entry !== compiled)
        try {
          result = { value: compile() }
        } catch (error) {
          throw new SchemaCompileError(schemaOf, error)
        }
      }
      return result.value
    }
    this.pending.push(compiled)
    return compiled
  }
}
