import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PostingTable, spilledRuns } from '../../src/index/posting-table.js'
import { SpillFile } from '../../src/index/spill-file.js'
import type { FieldPostingLists } from '../../src/index/term-data.js'

/** What the table must hand out: per term, fields in the order first met, postings in arrival order. */
function naive (postings: ReadonlyArray<[number, number, number, number]>): FieldPostingLists[][] {
  const terms: FieldPostingLists[][] = []
  for (const [term, fieldId, document, frequency] of postings) {
    const fields = terms[term] ?? (terms[term] = [])
    let field = fields.find(candidate => candidate.fieldId === fieldId)
    if (field === undefined) fields.push(field = { fieldId, documents: [], frequencies: [] })
    field.documents.push(document)
    field.frequencies.push(frequency)
  }
  return terms
}

function encoded (table: PostingTable): FieldPostingLists[][] {
  const terms: FieldPostingLists[][] = []
  // The lists are reused between calls: copy them.
  table.encode(fields => { terms.push(fields.map(field => ({ fieldId: field.fieldId, documents: [...field.documents], frequencies: [...field.frequencies] }))) })
  return terms
}

describe('PostingTable', () => {
  it('groups postings by term and field, keeping arrival order', () => {
    const posting = fc.tuple(fc.nat(40), fc.nat(2), fc.nat(1000), fc.integer({ min: 1, max: 50 }))
    fc.assert(fc.property(fc.array(posting, { maxLength: 300 }), postings => {
      // Terms are numbered in the order of their first posting, as the index builder numbers them.
      const numbers = new Map<number, number>()
      const renumbered = postings.map(([term, ...rest]) => {
        if (!numbers.has(term)) numbers.set(term, numbers.size)
        return [numbers.get(term) as number, ...rest] as [number, number, number, number]
      })
      const table = new PostingTable(3)
      for (let at = 0; at < numbers.size; at += 1) expect(table.addTerm()).toBe(at)
      for (const [term, fieldId, document, frequency] of renumbered) table.add(term, fieldId, document, frequency)
      expect(encoded(table)).toEqual(naive(renumbered))
    }), { numRuns: 200 })
  })

  it('gives the same lists when it packs its postings into runs as it goes and merges them', () => {
    const posting = fc.tuple(fc.nat(40), fc.nat(2), fc.nat(1000), fc.integer({ min: 1, max: 50 }))
    fc.assert(fc.property(fc.array(posting, { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (postings, budget) => {
      const numbers = new Map<number, number>()
      const renumbered = postings.map(([term, ...rest]) => {
        if (!numbers.has(term)) numbers.set(term, numbers.size)
        return [numbers.get(term) as number, ...rest] as [number, number, number, number]
      })
      const table = new PostingTable(3, budget)
      let added = 0
      for (const [term, fieldId, document, frequency] of renumbered) {
        // Terms numbered as they come, as the index builder numbers them: between runs too.
        while (term >= added) { table.addTerm(); added += 1 }
        table.add(term, fieldId, document, frequency)
      }
      expect(encoded(table)).toEqual(naive(renumbered))
    }), { numRuns: 300 })
  })

  it('gives the same lists with its runs kept in a scratch file, a record larger than the file\'s read window among them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'poisk-runs-'))
    const file = SpillFile.create(join(dir, 'runs'))
    try {
      const inMemory = new PostingTable(3, 700_000)
      const spilled = new PostingTable(3, 700_000, spilledRuns(file))
      const postings: Array<[number, number, number, number]> = []
      // Term 0 is in every document: 600,000 postings in a run, over 1 MB packed (the window is 1 MB).
      for (let document = 0; document < 1_000_000; document += 1) {
        postings.push([0, document % 3, document, document % 5 + 1])
        if (document % 1000 === 0) postings.push([1 + (document % 7), 2, document, 2])
      }
      for (const table of [inMemory, spilled]) {
        for (let term = 0; term < 8; term += 1) table.addTerm()
        for (const [term, fieldId, document, frequency] of postings) table.add(term, fieldId, document, frequency)
      }
      expect(file.length).toBeGreaterThan(1 << 20)
      expect(encoded(spilled)).toEqual(encoded(inMemory))
    } finally {
      await file.remove()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it.each([['in one sequence', undefined], ['in runs of 100,000 postings', 100_000]])('grows past its initial sizes, %s', (_, budget) => {
    const table = new PostingTable(2, budget)
    const terms = 70_000
    for (let term = 0; term < terms; term += 1) table.addTerm()
    for (let round = 0; round < 20; round += 1) {
      for (let term = 0; term < terms; term += 1) table.add(term, (term + round) % 2, round, term % 7 + 1)
    }
    const result = encoded(table)
    expect(result).toHaveLength(terms)
    expect(result[12_345]).toEqual([
      { fieldId: 1, documents: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18], frequencies: Array(10).fill(12_345 % 7 + 1) },
      { fieldId: 0, documents: [1, 3, 5, 7, 9, 11, 13, 15, 17, 19], frequencies: Array(10).fill(12_345 % 7 + 1) }
    ])
  })

  it('refuses a field beyond its field count', () => {
    const table = new PostingTable(2)
    table.addTerm()
    expect(() => table.add(0, 2, 0, 1)).toThrow(/field 2/)
  })
})
