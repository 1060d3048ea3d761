import { describe, expect, it } from 'vitest'
import { sortByKey } from '../../src/index/radix-sort.js'

describe('sortByKey', () => {
  it('sorts 30-bit keys ascending with their values, stably, and leaves its inputs as they were', () => {
    let state = 12345
    const random = (): number => { state = (state * 1103515245 + 12345) >>> 0; return state >>> 2 }
    const keys = Uint32Array.from({ length: 5000 }, (_, at) => at % 7 === 0 ? 42 : random())
    const values = Uint32Array.from({ length: 5000 }, (_, at) => at)
    const before = [...keys]
    const sorted = sortByKey(keys, values)
    const expected = [...keys].map((key, at) => [key, at]).sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number))
    expect([...sorted.keys]).toEqual(expected.map(([key]) => key))
    // Equal keys keep their order (values ascend within the run of 42s).
    expect([...sorted.values]).toEqual(expected.map(([, at]) => at))
    expect([...keys]).toEqual(before)
    expect([...values]).toEqual(before.map((_, at) => at))
  })

  it('refuses keys of more than 30 bits rather than misplacing them', () => {
    expect(() => sortByKey(Uint32Array.of(1, 2 ** 30), Uint32Array.of(0, 1))).toThrow(/30 bits/)
  })
})
