import { describe, expect, it } from 'vitest'
import { IndexStore } from '../../src/live/index-store.js'
import type { Snapshot } from '../../src/index/open-index.js'

/** A snapshot whose document store records what was done to it. */
function snapshot (buildId: string): { snapshot: Snapshot, calls: string[] } {
  const calls: string[] = []
  const documents = { releaseMemory: () => { calls.push('release') }, close: async () => { calls.push('close') } }
  return { snapshot: { buildId, documents } as unknown as Snapshot, calls }
}

describe('IndexStore', () => {
  it('drops a replaced build\'s documents from memory at once, and closes them after the grace period', async () => {
    const first = snapshot('a')
    const second = snapshot('b')
    const store = new IndexStore(first.snapshot, { retireAfterMs: 20 })
    expect(store.swap(second.snapshot)).toBe(first.snapshot)
    expect(store.current()).toBe(second.snapshot)
    expect(first.calls).toEqual(['release'])
    await expect.poll(() => first.calls).toEqual(['release', 'close'])
    expect(second.calls).toEqual([])
    await store.close()
    expect(second.calls).toEqual(['close'])
  })
})
