/**
 * A Map, as MiniSearch sees it, whose contents are decoded on first use: what `LazyTermData`
 * (a term's postings) and `LazyTreeNode` (a node of the term tree) share. Not a Map subclass:
 * an empty Map allocates its hash table, and a loaded index holds ~100k of each, most never
 * touched. A subclass says how to decode; every Map method delegates to the result.
 */
export abstract class LazyMap<K, V> implements Map<K, V> {
  /** The contents as a real Map, decoded on the first call and kept. */
  protected abstract decoded (): Map<K, V>

  get [Symbol.toStringTag] (): string {
    return 'Map'
  }

  get size (): number {
    return this.decoded().size
  }

  get (key: K): V | undefined {
    return this.decoded().get(key)
  }

  has (key: K): boolean {
    return this.decoded().has(key)
  }

  set (key: K, value: V): this {
    this.decoded().set(key, value)
    return this
  }

  delete (key: K): boolean {
    return this.decoded().delete(key)
  }

  clear (): void {
    this.decoded().clear()
  }

  forEach (callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    this.decoded().forEach((value, key) => callback.call(thisArg, value, key, this))
  }

  keys (): MapIterator<K> {
    return this.decoded().keys()
  }

  values (): MapIterator<V> {
    return this.decoded().values()
  }

  entries (): MapIterator<[K, V]> {
    return this.decoded().entries()
  }

  [Symbol.iterator] (): MapIterator<[K, V]> {
    return this.decoded().entries()
  }
}
