import { describe, expect, it } from 'vitest'
import { ShardedMap } from '../../src/search/sharded-map.js'

describe('a sharded map', () => {
  it('keeps what a Map keeps, in shards none of which holds most keys', () => {
    const map = new ShardedMap<number>()
    const plain = new Map<string, number>()
    const keys = ['', 'а', 'дуров', 'дурова', 'telegram', ...Array.from({ length: 20_000 }, (_, at) => `слово${at}ами`)]
    for (const [at, key] of keys.entries()) { map.set(key, at); plain.set(key, at) }
    for (const key of ['дуров', 'слово17ами']) { map.delete(key); plain.delete(key) }
    expect(map.size).toBe(plain.size)
    expect(new Set(map.keys())).toEqual(new Set(plain.keys()))
    for (const key of keys) {
      expect(map.get(key)).toBe(plain.get(key))
      expect(map.has(key)).toBe(plain.has(key))
    }
    const shards = (map as unknown as { shards: Array<Map<string, number>> }).shards
    expect(Math.max(...shards.map(shard => shard.size))).toBeLessThan(plain.size / 8)
  })
})
