/**
 * Bearer-token check for the admin routes. Both sides are hashed to SHA-256 before the
 * constant-time comparison, so neither the token's content nor its length leaks through
 * timing, and timingSafeEqual never sees buffers of different lengths.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'

export function bearerTokenMatches (authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  const given = match?.[1] ?? ''
  const equal = timingSafeEqual(digest(given), digest(expected))
  return equal && given !== ''
}

function digest (text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/**
 * Puts every route the plugin `app` registers behind the token: a hook scoped to that
 * plugin, so a new route in it cannot forget the check.
 */
export function requireAdminToken (app: FastifyInstance, token: string): void {
  app.addHook('onRequest', async (request, reply) => {
    if (bearerTokenMatches(request.headers.authorization, token)) return
    return await reply.status(401).header('www-authenticate', 'Bearer').send({
      statusCode: 401, error: 'Unauthorized', message: 'a valid admin bearer token is required', code: 'POISK_UNAUTHORIZED'
    })
  })
}
