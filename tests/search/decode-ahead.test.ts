import { describe, expect, it } from 'vitest'
import { expectInternals } from '../../src/index/minisearch-internals.js'
import { LazyTermData } from '../../src/index/term-data.js'
import { decodingPostingsOf } from '../../src/search/decode-ahead.js'
import type { PlannedWord } from '../../src/search/query-plan.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

const word = (terms: string[]): PlannedWord => ({ typed: terms[0] as string, word: terms[0] as string, terms: new Map(terms.map(term => [term, 1])) })

describe('decodingPostingsOf', () => {
  it('decodes every searched and excluded term of a loaded index, in pieces, once', async () => {
    const snapshot = await indexOfArticles([
      { id: 'a', title: 'Нефть и газ', body: 'Цены на нефть выросли.' },
      { id: 'b', title: 'Газ подешевел', body: 'Биржа закрылась.' },
      { id: 'c', title: 'Рубль', body: 'Курс рубля и нефть.' }
    ])
    const terms = (text: string): string[] => snapshot.analyzer.termsOf(text)
    const plan = { words: [word(terms('нефть')), word(terms('газ'))], excluded: [{ terms: terms('рубль'), together: [terms('биржа')] }] }
    const pieces = (): number => {
      let count = 0
      const decoding = decodingPostingsOf(snapshot.miniSearch, plan, 0)
      while (decoding.next().done !== true) count += 1
      return count
    }
    const decodedAlready = pieces()
    // A piece per field of each of the four terms (with nothing decoded at once), then none: they stay decoded.
    const { termTree } = expectInternals(snapshot.miniSearch)
    const fields = ['нефть', 'газ', 'рубль', 'биржа'].flatMap(terms).reduce((sum, term) => sum + ((termTree.get(term) as LazyTermData).postingArrays()?.length ?? 0), 0)
    expect(fields).toBeGreaterThanOrEqual(6)
    expect(decodedAlready).toBe(fields)
    expect(pieces()).toBe(0)
  })
})
