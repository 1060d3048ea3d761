import { describe, expect, it } from 'vitest'
import { expectInternals } from '../../src/index/minisearch-internals.js'
import { vocabularyOf } from '../../src/search/vocabulary.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

// Words spread over headlines and bodies, so that a document holds a word in one field, the other, or both.
const WORDS = ['путин', 'трамп', 'москва', 'выборы', 'нефть', 'санкции']

describe('Vocabulary#documentsWithBoth', () => {
  it('counts each document holding a term of both sides once, whichever side holds more documents', async () => {
    const next = ((seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)(5)
    const pick = (count: number): string => Array.from({ length: count }, () => WORDS[Math.floor(next() * next() * WORDS.length)] as string).join(' ')
    const snapshot = await indexOfArticles(Array.from({ length: 120 }, (_, at) => ({ id: `a${at}`, title: pick(1 + Math.floor(next() * 3)), body: `${pick(Math.floor(next() * 8))}.` })))
    const vocabulary = vocabularyOf(snapshot)
    const { termTree } = expectInternals(snapshot.miniSearch)
    const holders = (terms: readonly string[]): Set<number> => {
      const documents = new Set<number>()
      for (const term of terms) for (const [, postings] of termTree.get(term) ?? new Map()) for (const shortId of postings.keys()) documents.add(shortId)
      return documents
    }
    const terms = WORDS.map(word => snapshot.analyzer.termsOf(word)[0] as string)
    const sides: Array<[string[], string[]]> = [[[terms[0] as string], [terms[1] as string]], [[terms[5] as string], [terms[0] as string, terms[2] as string]], [[terms[0] as string, terms[3] as string], [terms[4] as string]], [[terms[1] as string], ['нетакогослова']]]
    let counted = 0
    for (const [one, other] of sides) {
      const first = holders(one)
      const expected = [...holders(other)].filter(shortId => first.has(shortId)).length
      expect(vocabulary.documentsWithBoth(one, other), `${one.join('|')} & ${other.join('|')}`).toBe(expected)
      expect(vocabulary.documentsWithBoth(other, one)).toBe(expected)
      counted += expected
    }
    expect(counted).toBeGreaterThan(10)
  })
})
