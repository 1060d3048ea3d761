/**
 * Bearer-token check for the admin routes. Both sides are hashed to SHA-256 before the
 * constant-time comparison, so neither the token's content nor its length leaks through
 * timing, and timingSafeEqual never sees buffers of different lengths.
 */
import { createHash, timingSafeEqual } from 'node:crypto'

export function bearerTokenMatches (authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  const given = match?.[1] ?? ''
  const equal = timingSafeEqual(digest(given), digest(expected))
  return equal && given !== ''
}

function digest (text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}
