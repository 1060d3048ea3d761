import { describe, expect, it } from 'vitest'
import { ownCopy } from '../../src/analysis/own-copy.js'
import { heapUsedAfterGc, uniqueWord } from '../helpers/heap.js'

const MB = 1024 * 1024

/** Keeps one 20-letter word cut from each of 400 texts of 60 KB, made by `keep`; the heap it holds. */
function heapHeldByWordsOf (keep: (word: string) => string): number {
  const filler = ' слово'.repeat(5_000)
  const before = heapUsedAfterGc()
  const kept: string[] = []
  for (let n = 0; n < 400; n += 1) {
    const text = `${uniqueWord(n, 20)}${filler}`
    kept.push(keep(text.slice(0, 20)))
  }
  const held = heapUsedAfterGc() - before
  expect(kept).toHaveLength(400)
  return held
}

describe('ownCopy', () => {
  it('is the same string, code unit for code unit', () => {
    for (const text of ['', 'ё', 'Дурову', 'a\uD800b', '\uDC00', 'слово '.repeat(100)]) {
      expect(ownCopy(text)).toBe(text)
    }
  })

  it('keeps only its own characters, where a slice keeps its whole text (24 MB here)', () => {
    expect(heapHeldByWordsOf(word => word)).toBeGreaterThan(20 * MB)
    expect(heapHeldByWordsOf(ownCopy)).toBeLessThan(4 * MB)
  })
})
