import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { TermCounter } from '../../src/index/document-terms.js'
import { readDuplicatesFile, writeDuplicatesFile } from '../../src/index/duplicate-file.js'
import { DuplicateIndex, signatureOfText } from '../../src/index/duplicate-index.js'
import fc from 'fast-check'
import { groupSignatures, isSimilar, MAX_BUCKET, MIN_SHINGLES, ROWS, SIGNATURE_BINS, signatureOf, similarity, SIMILARITY_THRESHOLD, termsHash } from '../../src/index/near-duplicates.js'
import { newsText, withParagraphsReordered, withWordsReplaced } from '../fixtures/near-duplicate-texts.js'
import { tempDir } from '../helpers/temp-dir.js'

const analyzer = createDefaultAnalyzer()
const signature = (text: string): Uint32Array => {
  const found = signatureOfText(analyzer, text)
  if (found === undefined) throw new Error('no signature')
  return found
}

describe('near-duplicate signatures', () => {
  const original = newsText(1)

  it('find a copy with 5% of its words replaced or its paragraphs reordered similar', () => {
    expect(similarity(signature(original), signature(original))).toBe(1)
    expect(similarity(signature(original), signature(withWordsReplaced(original, 0.05)))).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD)
    expect(similarity(signature(original), signature(withParagraphsReordered(original)))).toBeGreaterThanOrEqual(0.8)
  })

  it('read words as the index does: another case or inflection of a word is the same word', () => {
    const inflected = original.replace(/санкции/g, 'санкциями').replace(/переговоры/g, 'ПЕРЕГОВОРОВ')
    expect(inflected).not.toBe(original)
    expect(similarity(signature(original), signature(inflected))).toBe(1)
  })

  it('find unrelated texts on one topic, even sharing a paragraph, dissimilar', () => {
    expect(similarity(signature(original), signature(newsText(2)))).toBeLessThan(0.1)
    const sharing = [newsText(3, 3), original.split('\n')[0]].join('\n')
    expect(similarity(signature(original), signature(sharing))).toBeLessThan(SIMILARITY_THRESHOLD)
  })

  it('give no signature to a body too short to tell', () => {
    expect(signatureOfText(analyzer, newsText(4, 1, 20))).toBeUndefined()
    expect(signatureOfText(analyzer, '')).toBeUndefined()
    expect(signatureOf(Array.from({ length: MIN_SHINGLES + 3 }, (_, at) => at + 1))).toBeDefined()
  })

  it('skip stop words: a text differing only in them is the same', () => {
    expect(termsHash([])).toBe(0)
    const withStopWords = original.split(' ').map((word, at) => at % 10 === 0 ? `и ${word}` : word).join(' ')
    expect(similarity(signature(original), signature(withStopWords))).toBe(1)
  })

  it('are the same from a build\'s term counter as from a live change', () => {
    const texts = [newsText(5), withWordsReplaced(newsText(5), 0.05), newsText(6, 1, 10)]
    const counter = new TermCounter(analyzer, 0, 1)
    const batch = counter.analyse(texts.map(text => ['заголовок', text]), 2)
    texts.forEach((text, at) => {
      const live = signatureOfText(analyzer, text)
      expect(batch.signed?.[at]).toBe(live === undefined ? 0 : 1)
      if (live !== undefined) expect(batch.signatures?.subarray(at * SIGNATURE_BINS, (at + 1) * SIGNATURE_BINS)).toEqual(live)
    })
  })
})

describe('isSimilar', () => {
  it('answers as the similarity does, whatever the threshold and wherever the bins agree', () => {
    const pair = fc.tuple(fc.array(fc.boolean(), { minLength: SIGNATURE_BINS, maxLength: SIGNATURE_BINS }), fc.integer({ min: -20, max: SIGNATURE_BINS * 10 + 20 }))
    fc.assert(fc.property(pair, ([agree, tenthsOfABin]) => {
      const a = Uint32Array.from({ length: SIGNATURE_BINS }, (_, at) => at)
      const b = a.map((value, at) => agree[at] === true ? value : value + 1000)
      const threshold = tenthsOfABin / (SIGNATURE_BINS * 10)
      expect(isSimilar(a, b, threshold)).toBe(similarity(a, b) >= threshold)
      expect(isSimilar(a, b, SIMILARITY_THRESHOLD)).toBe(similarity(a, b) >= SIMILARITY_THRESHOLD)
    }), { numRuns: 2000 })
  })
})

describe('grouping near-duplicates', () => {
  const a = newsText(11)
  const b = newsText(12)

  it('joins copies through the LSH bands, transitively, and leaves the rest alone', () => {
    const signatures = [a, b, withWordsReplaced(a, 0.05), newsText(13), withParagraphsReordered(a), withWordsReplaced(b, 0.03)].map(signature)
    const { groupOf, groups } = groupSignatures([...signatures, undefined])
    expect(groups).toEqual([[0, 2, 4], [1, 5]])
    expect([...groupOf]).toEqual([0, 1, 0, -1, 0, 1, -1])
  })

  describe('in buckets past MAX_BUCKET', () => {
    /** A random signature (a seeded generator: the same every run). */
    const randomSignatures = (count: number, seed: number): Uint32Array[] => {
      let state = seed
      const next = (): number => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state }
      return Array.from({ length: count }, () => Uint32Array.from({ length: SIGNATURE_BINS }, next))
    }
    /** `signature` with the bins of `band` set to one shared value: a phrase common to all of them. */
    const sharingBand = (signature: Uint32Array, band: number): Uint32Array => {
      const shared = signature.slice()
      shared.fill(7, band * ROWS, (band + 1) * ROWS)
      return shared
    }
    /** `signature` with `changed` of its bins (spread over the bands) given other values. */
    const copyOf = (signature: Uint32Array, changed: number): Uint32Array => {
      const copy = signature.slice()
      for (let bin = 0; bin < changed; bin += 1) copy[(bin * ROWS + bin % ROWS) % SIGNATURE_BINS] = 0xabcdef + bin
      return copy
    }

    it('still join the copies among thousands that share a band, and nothing else', () => {
      const count = MAX_BUCKET * 2 + 500
      const signatures = randomSignatures(count, 1).map(signature => sharingBand(signature, 3))
      // Copies at similarity ≈ 0.7 (20 of 64 bins changed), of documents far apart in the bucket.
      const originals = [5, 700, 1900]
      const copies = originals.map(original => copyOf(signatures[original] as Uint32Array, 20))
      const { groups } = groupSignatures([...signatures, ...copies])
      expect(groups).toEqual(originals.map((original, at) => [original, count + at]))
    })

    it('group equal signatures however many there are', () => {
      const [original, other] = randomSignatures(2, 2) as [Uint32Array, Uint32Array]
      const equal = Array.from({ length: MAX_BUCKET * 3 }, () => original.slice())
      const { groups } = groupSignatures([other, ...equal, other.slice()])
      expect(groups).toEqual([[0, equal.length + 1], Array.from(equal, (_, at) => at + 1)])
    })

    it('join a copy to a group of thousands of equal signatures', () => {
      const [original] = randomSignatures(1, 3) as [Uint32Array]
      const equal = Array.from({ length: MAX_BUCKET * 3 }, () => original.slice())
      // 20 of 64 bins changed, one in each of the first 20 bands: it shares the last 12 with the rest.
      const { groups } = groupSignatures([...equal, copyOf(original, 20)])
      expect(groups).toEqual([Array.from({ length: equal.length + 1 }, (_, at) => at)])
    })
  })

  it('keeps a live index of groups: a put joins, a changed text leaves, a delete dissolves', () => {
    const index = DuplicateIndex.group([['a', signature(a)], ['b', signature(b)], ['c', signature(newsText(14))]])
    expect(index.hasGroups).toBe(false)
    index.put('a2', signature(withWordsReplaced(a, 0.05)))
    expect(index.membersOf('a')).toEqual(['a', 'a2'])
    expect(index.membersOf('a2')).toBe(index.membersOf('a'))
    index.put('a3', signature(withParagraphsReordered(a)))
    expect(index.membersOf('a3')).toEqual(['a', 'a2', 'a3'])
    index.put('a2', signature(newsText(15)))
    expect(index.membersOf('a')).toEqual(['a', 'a3'])
    expect(index.membersOf('a2')).toBeUndefined()
    index.remove('a3')
    expect(index.membersOf('a')).toBeUndefined()
    expect(index.hasGroups).toBe(false)
  })

  it('merges two groups that a new document copies both of', () => {
    // Paragraphs 1–10 and 6–15 share a third of their text: two groups. Paragraphs 3–13 copy most of each.
    const paragraphs = newsText(21, 15, 12).split('\n')
    const text = (from: number, to: number): string => paragraphs.slice(from - 1, to).join('\n')
    const index = DuplicateIndex.group([
      ['p', signature(text(1, 10))], ['p2', signature(text(1, 10))],
      ['r', signature(text(6, 15))], ['r2', signature(text(6, 15))]
    ])
    expect(index.groups()).toEqual([['p', 'p2'], ['r', 'r2']])
    index.put('n', signature(text(3, 13)))
    expect(index.membersOf('n')).toEqual(['p', 'p2', 'r', 'r2', 'n'])
    expect(index.membersOf('r')).toBe(index.membersOf('p'))
  })

  it('is written and read back as a build stores it', async () => {
    const index = DuplicateIndex.group([['a', signature(a)], ['x', signature(newsText(31))], ['a2', signature(withWordsReplaced(a, 0.05))]])
    const path = join(await tempDir(), 'duplicates.bin')
    await writeDuplicatesFile(path, index)
    const read = await readDuplicatesFile(path)
    expect(read.groups()).toEqual([['a', 'a2']])
    expect([...read.entries()]).toEqual([...index.entries()])
    read.put('a3', signature(withParagraphsReordered(a)))
    expect(read.membersOf('a')).toEqual(['a', 'a2', 'a3'])
  })

  it('is written in pieces and read back whole: more signatures than one piece holds', async () => {
    let seed = 5
    const random = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed }
    // 20,000 × 258 bytes: five pieces of 4 MB.
    const others = Array.from({ length: 20_000 }, (_, n): [string, Uint32Array] => [`r${n}`, Uint32Array.from({ length: SIGNATURE_BINS }, random)])
    const index = DuplicateIndex.group([['a', signature(a)], ...others, ['a2', signature(withWordsReplaced(a, 0.05))]])
    const path = join(await tempDir(), 'duplicates.bin')
    await writeDuplicatesFile(path, index)
    const read = await readDuplicatesFile(path)
    expect(read.groups()).toEqual(index.groups())
    expect(read.membersOf('a')).toEqual(['a', 'a2'])
    expect([...read.entries()]).toEqual([...index.entries()])
    expect(read.size).toBe(20_002)
  })

  it('prepares a loaded build for live changes in slices, and a change that comes meanwhile finds the same copies', async () => {
    let seed = 11
    const random = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed }
    const others = Array.from({ length: 9000 }, (_, n): [string, Uint32Array] => [`r${n}`, Uint32Array.from({ length: SIGNATURE_BINS }, random)])
    const x = signature(newsText(31))
    const path = join(await tempDir(), 'duplicates.bin')
    await writeDuplicatesFile(path, DuplicateIndex.group([['x', x], ...others]))
    const quiet = await readDuplicatesFile(path)
    let pauses = 0
    await quiet.prepareChanges(async () => { pauses += 1 })
    expect(pauses).toBeGreaterThan(4) // 9,001 signatures read and their band keys sorted between pauses
    quiet.put('x2', x)
    expect(quiet.membersOf('x')).toEqual(['x', 'x2'])
    const busy = await readDuplicatesFile(path)
    let interrupted = 0
    await busy.prepareChanges(async () => {
      interrupted += 1
      if (interrupted === 2) busy.put('x2', x) // mid-way: the change does what is left at once
    })
    busy.put('x3', x)
    expect(busy.membersOf('x')).toEqual(['x', 'x2', 'x3'])
    expect([...busy.entries()].map(([id]) => id)).toEqual(['x', ...others.map(([id]) => id), 'x2', 'x3'])
  })

  it('reads the stored signatures from the file a window at a time, each whole across the windows\' edges, and not once closed', async () => {
    let seed = 5
    const random = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed }
    // Ids of varying length, so that records fall across the 1 MB windows at every offset.
    const written = Array.from({ length: 9000 }, (_, n): [string, Uint32Array] => [`d${n}-${'x'.repeat(n % 37)}`, Uint32Array.from({ length: SIGNATURE_BINS }, random)])
    const path = join(await tempDir(), 'duplicates.bin')
    await writeDuplicatesFile(path, DuplicateIndex.of(written, []))
    const read = await readDuplicatesFile(path)
    expect([...read.entries()]).toEqual(written)
    const closed = await readDuplicatesFile(path)
    await closed.close()
    expect(() => [...closed.entries()]).toThrow(/duplicates\.bin was closed/)
  })

  it('reads the stored signatures when a live change first needs them: a copy of an ungrouped document, a removal first', async () => {
    const index = DuplicateIndex.group([['a', signature(a)], ['x', signature(newsText(31))], ['a2', signature(withWordsReplaced(a, 0.05))]])
    const path = join(await tempDir(), 'duplicates.bin')
    await writeDuplicatesFile(path, index)
    const copied = await readDuplicatesFile(path)
    expect(copied.membersOf('x')).toBeUndefined()
    copied.put('x2', signature(newsText(31)))
    expect(copied.membersOf('x')).toEqual(['x', 'x2'])
    expect(copied.membersOf('a')).toEqual(['a', 'a2'])
    const removed = await readDuplicatesFile(path)
    removed.remove('a2')
    expect(removed.membersOf('a')).toBeUndefined()
    expect([...removed.entries()].map(([id]) => id)).toEqual(['a', 'x'])
  })
})
