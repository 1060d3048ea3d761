import { describe, expect, it } from 'vitest'
import { mixHash, SharedArrays } from '../../src/index/shared-arrays.js'

const hashOf = (items: readonly number[]): number => items.reduce(mixHash, items.length)

describe('SharedArrays', () => {
  it('gives equal arrays one frozen array, and unequal ones their own even when their hashes collide', () => {
    const shared = new SharedArrays<number>()
    const first = shared.shared([3, 11], hashOf([3, 11]))
    expect(shared.shared([3, 11], hashOf([3, 11]))).toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    expect(() => { 'use strict'; (first as number[])[0] = 4 }).toThrow(TypeError)
    const colliding = shared.shared([11, 3], hashOf([3, 11])) // a wrong hash stands for a collision
    expect(colliding).toEqual([11, 3])
    expect(colliding).not.toBe(first)
    expect(shared.shared([3, 11, 0], hashOf([3, 11, 0]))).not.toBe(first)
  })

  it('tells a hole from an undefined item (MiniSearch skips a hole, an absent field)', () => {
    const shared = new SharedArrays<number | undefined>()
    const holey = new Array<number | undefined>(2)
    holey[1] = 5
    const kept = shared.shared(holey, 1)
    expect(shared.shared([undefined, 5], 1)).not.toBe(kept)
    const again = new Array<number | undefined>(2)
    again[1] = 5
    expect(shared.shared(again, 1)).toBe(kept)
  })
})
