/**
 * One frozen array per distinct content, for the small arrays a loaded build (or a build, its tag lists) holds per
 * document that repeat from document to document: field lengths, tag lists. At 800,000
 * documents an array each was millions of heap objects, which every full collection marks
 * (a third of its time) though a news archive has a few thousand distinct ones. Frozen: a
 * shared array changed for one document would change it for all, so a write throws instead.
 */
export class SharedArrays<T> {
  private readonly byHash = new Map<number, Array<readonly T[]>>()

  /** `array` (frozen), or the equal one returned before. `hash` is the caller's hash of its items (equal arrays, equal hashes). */
  shared (array: T[], hash: number): T[] {
    const candidates = this.byHash.get(hash)
    if (candidates === undefined) {
      this.byHash.set(hash, [Object.freeze(array)])
      return array
    }
    for (const candidate of candidates) if (sameItems(candidate, array)) return candidate as T[]
    candidates.push(Object.freeze(array))
    return array
  }
}

/** Mixes `value` (an integer) into `hash`: the items' hash the caller builds as it reads them. */
export function mixHash (hash: number, value: number): number {
  return (Math.imul(hash, 31) + value) | 0
}

function sameItems<T> (a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false
  for (let at = 0; at < a.length; at += 1) {
    if (a[at] !== b[at] || (at in a) !== (at in b)) return false
  }
  return true
}
