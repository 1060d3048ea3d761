import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createAnalyzer } from '../../src/analysis/analyzer.js'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { analyseBatch, TermCounter, type AnalysedBatch, type DocumentFields } from '../../src/index/document-terms.js'

const analyzer = createDefaultAnalyzer()

/** A field as MiniSearch's `add` counts it: distinct raw tokens, and term → occurrences in first-occurrence order. */
interface FieldCount {
  length: number
  terms: Array<[string, number]>
}

function reference (text: string | null | undefined): FieldCount | null {
  if (text == null) return null
  const tokens = analyzer.tokenize(text)
  const counts = new Map<string, number>()
  for (const token of tokens) for (const term of analyzer.termsOf(token)) counts.set(term, (counts.get(term) ?? 0) + 1)
  return { length: new Set(tokens).size, terms: [...counts] }
}

/** Reads batches back into per-field counts, following the counter's term numbering across batches. */
function decode (batches: AnalysedBatch[]): Array<FieldCount | null> {
  const strings: string[] = []
  const fields: Array<FieldCount | null> = []
  for (const batch of batches) {
    expect(batch.firstTermId).toBe(strings.length)
    strings.push(...batch.newTerms)
    let pair = 0
    for (let slot = 0; slot < batch.fieldLengths.length; slot += 1) {
      const length = batch.fieldLengths[slot] as number
      const end = batch.ends[slot] as number
      const terms: Array<[string, number]> = []
      for (; pair < end; pair += 1) terms.push([strings[batch.postings[pair * 2] as number] as string, batch.postings[pair * 2 + 1] as number])
      fields.push(length < 0 ? null : { length, terms })
    }
  }
  return fields
}

// Where the tokenizer and the analyzer bite: case, ё, stress marks, soft hyphens, joiners, digits, stop words, surrogates.
const pieces = fc.constantFrom(
  'Путин', 'путин', 'ПУТИН', 'Путина', 'ёлка', 'елка', 'за\u0301мок', 'при\u00ADмер', 'экс-советника', 'С-400', '14,5', '3.14',
  'и', 'в', 'не', 'Telegram', 'COVID-19', 'стали', 'люди', '𝐀𝐁', '\uD800', '-', '.', ',', ' ', '\n', '«', '»', 'a'.repeat(70)
)
const fieldText = fc.oneof(
  fc.array(pieces, { maxLength: 30 }).map(parts => parts.join('')),
  fc.array(pieces, { maxLength: 30 }).map(parts => parts.join(' ')),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constant(undefined)
)
const documents = fc.array(fc.array(fieldText, { minLength: 3, maxLength: 3 }), { maxLength: 6 })

describe('TermCounter', () => {
  it('counts every field as MiniSearch add does, numbering terms across batches', () => {
    fc.assert(fc.property(fc.array(documents, { minLength: 1, maxLength: 4 }), batches => {
      const counter = new TermCounter(analyzer, 3)
      const analysed = batches.map(batch => counter.analyse(batch, 3))
      expect(analysed.every(batch => batch.termSpace === 3)).toBe(true)
      expect(decode(analysed)).toEqual(batches.flat().flat().map(reference))
    }), { numRuns: 300 })
  })

  it('keeps counting right once its tables have grown many times', () => {
    // 50k distinct tokens force the token table to rehash and every array to grow.
    const words = Array.from({ length: 50_000 }, (_, at) => `w${at.toString(36)}`)
    const batches: DocumentFields[][] = []
    for (let start = 0; start < words.length; start += 5_000) {
      const slice = words.slice(start, start + 5_000)
      batches.push([[slice.join(' '), `${slice.slice(0, 100).join(' ')} ${words.slice(0, 100).join(' ')}`, null]])
    }
    const small = createAnalyzer()
    const counter = new TermCounter(small, 1)
    const analysed = batches.map(batch => counter.analyse(batch, 3))
    const strings = analysed.flatMap(batch => batch.newTerms)
    expect(strings).toEqual(words)
    const second = analysed[1] as AnalysedBatch
    // The second field repeats the first batch's words: their old numbers, counted once each.
    expect(second.fieldLengths[1]).toBe(200)
    const pairs = [...second.postings.subarray((second.ends[0] as number) * 2, (second.ends[1] as number) * 2)]
    const numbers = pairs.filter((_, at) => at % 2 === 0)
    expect(numbers.slice(100)).toEqual(Array.from({ length: 100 }, (_, at) => at))
    expect(pairs.filter((_, at) => at % 2 === 1).every(count => count === 1)).toBe(true)
  })

  it('numbers the terms of a one-off batch from zero', () => {
    const batch = analyseBatch(analyzer, [['Санкции и санкции', undefined, 'Дуров']], 3)
    expect(batch.firstTermId).toBe(0)
    expect(decode([batch])).toEqual([reference('Санкции и санкции'), null, reference('Дуров')])
  })
})
