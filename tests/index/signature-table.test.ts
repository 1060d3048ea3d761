import { describe, expect, it } from 'vitest'
import { SIGNATURE_BINS } from '../../src/index/near-duplicates.js'
import { SignatureTable } from '../../src/index/signature-table.js'

const signatureOf = (seed: number): Uint32Array => Uint32Array.from({ length: SIGNATURE_BINS }, (_, bin) => (seed * 7919 + bin * 104_729) >>> 0)

describe('SignatureTable', () => {
  it('gives what a Map of signatures gives: set again moves to the end, deleted ones are gone, across chunks', () => {
    const table = new SignatureTable()
    const map = new Map<string, Uint32Array>()
    // Rows from a batch's flat array, as the build hands them over.
    const batch = new Uint32Array(SIGNATURE_BINS * 10_000)
    for (let doc = 0; doc < 10_000; doc += 1) batch.set(signatureOf(doc), doc * SIGNATURE_BINS)
    for (let doc = 0; doc < 10_000; doc += 1) {
      table.set(`d${doc}`, batch, doc * SIGNATURE_BINS)
      map.set(`d${doc}`, signatureOf(doc))
    }
    for (const doc of [3, 4_500, 9_999]) {
      table.set(`d${doc}`, signatureOf(-doc))
      map.delete(`d${doc}`)
      map.set(`d${doc}`, signatureOf(-doc))
    }
    for (const id of ['d7', 'd8000', 'missing']) {
      table.delete(id)
      map.delete(id)
    }
    expect(table.size).toBe(map.size)
    expect([...table.entries()].map(([id, signature]) => [id, [...signature]])).toEqual([...map.entries()].map(([id, signature]) => [id, [...signature]]))
  })
})
