import { describe, expect, it } from 'vitest'
import { BandTable, LIVE_BANDS, liveBandKeys } from '../../src/index/band-table.js'
import { DuplicateIndex } from '../../src/index/duplicate-index.js'
import { BANDS, SIGNATURE_BINS } from '../../src/index/near-duplicates.js'

/** A deterministic pseudo-random signature; `base` shared with a copy in `shared` of its bins. */
function signature (seed: number, base?: Uint32Array, shared = 0): Uint32Array {
  const out = new Uint32Array(SIGNATURE_BINS)
  let state = seed * 2654435761 >>> 0
  for (let bin = 0; bin < SIGNATURE_BINS; bin += 1) {
    state = (state * 1103515245 + 12345) >>> 0
    out[bin] = base !== undefined && bin < shared ? base[bin] as number : state
  }
  return out
}

describe('the band table', () => {
  it('finds every document holding a band key, among many, as a Map of the keys would', () => {
    const entries: Array<[string, Uint32Array]> = Array.from({ length: 3000 }, (_, at) => [`d-${at}`, signature(at + 1)])
    const expected = new Map<number, string[]>()
    for (const [id, bins] of entries) for (const key of liveBandKeys(bins)) expected.set(key, [...expected.get(key) ?? [], id])
    const table = BandTable.of(entries)
    expect(LIVE_BANDS).toBeLessThanOrEqual(BANDS)
    for (const [key, ids] of expected) expect(table.idsWith(key).sort()).toEqual([...ids].sort())
    expect(table.idsWith(0x3fffffff + 1)).toEqual([])
  })

  it('lets a live copy of a loaded document join its group, and a later copy of that copy', () => {
    const original = signature(7)
    const loaded: Array<[string, Uint32Array]> = [['o-1', original], ...Array.from({ length: 500 }, (_, at): [string, Uint32Array] => [`d-${at}`, signature(1000 + at)])]
    const index = DuplicateIndex.of(loaded, [])
    index.put('live-1', signature(8, original, 60))
    expect(index.membersOf('o-1')).toEqual(['o-1', 'live-1'])
    index.put('live-2', signature(9, original, 62))
    expect(index.membersOf('live-2')).toEqual(['o-1', 'live-1', 'live-2'])
    // Changed into something else, a loaded document leaves: its entries in the table no longer match it.
    index.put('o-1', signature(11))
    expect(index.membersOf('live-1')).toEqual(['live-1', 'live-2'])
    index.put('live-3', original)
    expect(index.membersOf('live-3')).toEqual(['live-1', 'live-2', 'live-3'])
  })
})
