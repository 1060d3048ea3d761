import { describe, expect, it } from 'vitest'
import { IndexStore } from '../../src/live/index-store.js'
import type { Snapshot } from '../../src/index/open-index.js'

/** A snapshot whose files (documents, index file, duplicates) record what was done to them. */
function snapshot (buildId: string): { snapshot: Snapshot, calls: string[] } {
  const calls: string[] = []
  const documents = { releaseMemory: () => { calls.push('release') }, close: async () => { calls.push('close') } }
  const termFile = { close: async () => { calls.push('close index file') } }
  const duplicates = { close: async () => { calls.push('close duplicates') } }
  return { snapshot: { buildId, documents, termFile, duplicates } as unknown as Snapshot, calls }
}

describe('IndexStore', () => {
  it('drops a replaced build\'s documents from memory at once, and closes its files after the grace period', async () => {
    const first = snapshot('a')
    const second = snapshot('b')
    const store = new IndexStore(first.snapshot, { retireAfterMs: 20 })
    expect(store.swap(second.snapshot)).toBe(first.snapshot)
    expect(store.current()).toBe(second.snapshot)
    expect(first.calls).toEqual(['release'])
    await expect.poll(() => first.calls).toEqual(['release', 'close', 'close index file', 'close duplicates'])
    expect(second.calls).toEqual([])
    await store.close()
    expect(second.calls).toEqual(['close', 'close index file', 'close duplicates'])
  })
})
