/**
 * A Map by short id over a loaded build's part held outside the heap's objects (stored fields,
 * document ids): what MiniSearch gets, sets and deletes in. The loaded entries stay in their
 * compact form and are read on each get; entries set since live in the Map itself. Deleting or
 * setting a loaded entry removes it from the loaded part, so it is never answered twice.
 */

/** The loaded part: which short ids it holds, in ascending order, and removal. */
export interface LoadedPart {
  readonly size: number
  has: (shortId: number) => boolean
  remove: (shortId: number) => boolean
  clear: () => void
  shortIds: () => Iterable<number>
}

export class LoadedMap<V> extends Map<number, V> {
  /** `read`: a loaded entry's value (made on each call), undefined when the part does not hold it. */
  constructor (protected readonly loadedPart: LoadedPart, private readonly read: (shortId: number) => V | undefined) {
    super()
  }

  override get size (): number {
    return super.size + this.loadedPart.size
  }

  override get (shortId: number): V | undefined {
    return super.get(shortId) ?? this.read(shortId)
  }

  override has (shortId: number): boolean {
    return super.has(shortId) || this.loadedPart.has(shortId)
  }

  override set (shortId: number, value: V): this {
    this.loadedPart.remove(shortId)
    return super.set(shortId, value)
  }

  override delete (shortId: number): boolean {
    const removed = this.loadedPart.remove(shortId)
    return super.delete(shortId) || removed
  }

  override clear (): void {
    this.loadedPart.clear()
    super.clear()
  }

  /** The loaded entries in short id order, then those set since. */
  override * entries (): MapIterator<[number, V]> {
    for (const shortId of this.loadedPart.shortIds()) yield [shortId, this.read(shortId) as V]
    yield * super.entries()
  }

  override * keys (): MapIterator<number> {
    yield * this.loadedPart.shortIds()
    yield * super.keys()
  }

  override * values (): MapIterator<V> {
    for (const [, value] of this.entries()) yield value
  }

  override [Symbol.iterator] (): MapIterator<[number, V]> {
    return this.entries()
  }

  /** An entry set since the load (not a loaded one). */
  protected setSince (shortId: number): V | undefined {
    return Map.prototype.get.call(this, shortId) as V | undefined
  }

  /** The values set since the load. */
  protected valuesSetSince (): MapIterator<V> {
    return Map.prototype.values.call(this) as MapIterator<V>
  }

  override forEach (visit: (value: V, shortId: number, map: Map<number, V>) => void, thisArg?: unknown): void {
    for (const [shortId, value] of this.entries()) visit.call(thisArg, value, shortId, this)
  }
}
