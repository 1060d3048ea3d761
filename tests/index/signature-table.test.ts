import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SIGNATURE_BINS } from '../../src/index/near-duplicates.js'
import { SignatureTable } from '../../src/index/signature-table.js'
import { SpillFile } from '../../src/index/spill-file.js'

const signatureOf = (seed: number): Uint32Array => Uint32Array.from({ length: SIGNATURE_BINS }, (_, bin) => (seed * 7919 + bin * 104_729) >>> 0)

describe('SignatureTable', () => {
  const dirs: string[] = []
  afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }) })
  const scratchFile = (): SpillFile => {
    const dir = mkdtempSync(join(tmpdir(), 'poisk-signatures-'))
    dirs.push(dir)
    return SpillFile.create(join(dir, 'signatures.scratch'))
  }

  it.each([
    ['in memory', () => undefined],
    ['with full chunks in a scratch file', scratchFile]
  ])('gives what a Map of signatures gives %s: set again moves to the end, deleted ones are gone, across chunks', (_, scratch) => {
    const file = scratch()
    const table = new SignatureTable(file)
    const map = new Map<string, Uint32Array>()
    // Rows from a batch's flat array, as the build hands them over.
    const batch = new Uint32Array(SIGNATURE_BINS * 10_000)
    for (let doc = 0; doc < 10_000; doc += 1) batch.set(signatureOf(doc), doc * SIGNATURE_BINS)
    for (let doc = 0; doc < 10_000; doc += 1) {
      table.set(`d${doc}`, batch, doc * SIGNATURE_BINS)
      map.set(`d${doc}`, signatureOf(doc))
    }
    // Rows of chunks already written out are deleted or set again.
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
    const expected = [...map.entries()].map(([id, signature]) => [id, [...signature]])
    expect([...table.entries()].map(([id, signature]) => [id, [...signature]])).toEqual(expected)
    // Read back once, the file deleted; a second pass gives the same.
    if (file !== undefined) expect(existsSync(file.path)).toBe(false)
    expect([...table.entries()].map(([id, signature]) => [id, [...signature]])).toEqual(expected)
  })

  it('keeps only the chunk being filled in memory when it has a scratch file', async () => {
    const file = scratchFile()
    const table = new SignatureTable(file)
    for (let doc = 0; doc < 3 * 4096 + 5; doc += 1) table.set(`d${doc}`, signatureOf(doc))
    expect(file.length).toBe(3 * 4096 * SIGNATURE_BINS * 4)
    await table.removeScratch()
    expect(existsSync(file.path)).toBe(false)
  })
})
