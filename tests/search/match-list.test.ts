import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import MiniSearch, { type Query } from 'minisearch'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { miniSearchOptions, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { FormCollector } from '../../src/index/form-table.js'
import { readIndexFile, writeIndexFile } from '../../src/index/index-file.js'
import { matchList, matchListPausing, type MatchList } from '../../src/search/match-list.js'
import { prepareLengthColumns, scoreQuery } from '../../src/search/score-query.js'
import { wordsMatchedCounter } from '../../src/search/words-matched.js'
import { ITEMS_BETWEEN_PAUSES } from '../../src/index/time-slicer.js'

const analyzer = createDefaultAnalyzer()
const titles = ['Путин и Трамп', 'Трамп в Москве', 'Москва и Петербург', 'Выборы в России', 'Путин о выборах', 'Погода в Москве', 'Трамп, Путин и выборы', 'Петербург']
const index = new MiniSearch<IndexedDocument>(miniSearchOptions(analyzer))
index.addAll(titles.map((title, at) => ({ id: `d${at}`, title, lead: title, body: `${title}. ${titles[(at + 3) % titles.length] ?? ''}`, kind: 'article', offset: 0, length: 0, ...(at % 2 === 0 ? { date: `2020-01-0${at + 1}` } : {}) })))
const analysed = (word: string): string[] => analyzer.termsOf(word)
const options = { tokenize: (term: string) => [term], processTerm: (term: string) => term, bm25: { k: 1.2, b: 0.3, d: 0.5 } }

/** Every match as MiniSearch reports it, in the list's order. */
function listed (list: MatchList): Array<{ id: unknown, score: number, queryTerms: string[], at: number }> {
  return Array.from({ length: list.length }, (_, at) => ({ id: list.id(at), score: list.score(at) * (list.queryTerms(at).length || 1), queryTerms: [...list.queryTerms(at)].sort(), at }))
}

// The same index saved and loaded: its terms stay encoded and are scored from typed arrays.
let dir = ''
let loaded: MiniSearch<IndexedDocument>
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poisk-match-list-'))
  await writeIndexFile(join(dir, 'index.bin'), index, new FormCollector())
  loaded = (await readIndexFile(join(dir, 'index.bin'), miniSearchOptions(analyzer))).miniSearch
})
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

describe.each([['built in memory', () => index], ['loaded from its file', () => loaded]])('matchList, index %s', (_name, indexOf) => {
  it('gives MiniSearch\'s matches, scores and matched terms, in an order a stable sort makes MiniSearch\'s', () => {
    const searched = indexOf()
    const word = fc.record({ word: fc.constantFrom('путин', 'трамп', 'москва', 'выборы', 'петербург', 'погода', 'путин'), title: fc.boolean(), bare: fc.boolean() })
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.double({ min: 0.1, max: 1, noNaN: true }), fc.constantFrom(1, 1.5), (words, filtered, weight, titleBoost) => {
      const query: Query = {
        combineWith: 'OR',
        // A word of one term stands bare in the query, as search.ts puts it; else its terms are an OR group.
        queries: words.map(({ word, title, bare }) => {
          const terms = analysed(word)
          const group: Query = bare && terms.length === 1 ? terms[0] as string : { combineWith: 'OR', queries: terms }
          return title ? { combineWith: 'OR', queries: [group], fields: ['title'] } : group
        })
      }
      const weighted = { ...options, boost: { title: titleBoost, lead: 0.3, body: 1 }, boostTerm: (term: string) => term.startsWith('м') ? weight : 1 }
      const scored = scoreQuery(searched, query, weighted)
      expect(scored).not.toHaveProperty('unsupported') // the flat scorer, not the fallback, is what is compared
      if (!('unsupported' in scored)) scored.forEach(() => {})
      // Leaves out d2 by its id, and by their fields the documents without a date.
      const filter = { excludedIds: new Set(['d2']), keep: (fields: { date?: string }) => fields.date !== undefined }
      const expected = index.search(query, { ...weighted, ...(filtered ? { filter: result => result.id !== 'd2' && result.date !== undefined } : {}) })
      const list = matchList(searched, query, weighted, filtered ? filter : undefined)
      const matches = listed(list).sort((a, b) => b.score - a.score)
      expect(matches.map(match => [match.id, match.score, match.queryTerms])).toEqual(expected.map(result => [result.id, result.score, [...result.queryTerms].sort()]))
      expect(matches.map(match => list.result(match.at))).toEqual(expected)
    }))
  })
})

describe.each([['built in memory', () => index], ['loaded from its file', () => loaded]])('matchListPausing, index %s', (_name, indexOf) => {
  const query: Query = { combineWith: 'OR', queries: ['путин', 'трамп', 'москва', 'выборы'].map((word): Query => ({ combineWith: 'OR', queries: analysed(word) })) }
  const comparable = (list: MatchList): Array<[unknown, number, string[]]> => listed(list).map(match => [match.id, match.score, match.queryTerms])

  it('finds what matchList finds, pausing after each term and each merge', async () => {
    const searched = indexOf()
    const expected = comparable(matchList(searched, query, options))
    let pauses = 0
    const list = await matchListPausing(searched, query, options, async () => { pauses += 1 })
    expect(comparable(list)).toEqual(expected)
    const leaves = (query.queries as Array<{ queries: string[] }>).reduce((sum, group) => sum + group.queries.length, 0)
    // After each leaf and each merge; a group's first child is not merged but becomes the group's level (score-query's evaluate).
    const words = (query.queries as unknown[]).length
    expect(pauses).toBe(leaves + (leaves - words) + (words - 1))
  })

  it('is not disturbed by queries scored while it waits at a pause: they take another set of scratch arrays', async () => {
    const searched = indexOf()
    const expected = comparable(matchList(searched, query, options))
    const other: Query = { combineWith: 'OR', queries: analysed('петербург') }
    const otherExpected = comparable(matchList(searched, other, options))
    const meanwhile: Array<Array<[unknown, number, string[]]>> = []
    const list = await matchListPausing(searched, query, options, async () => {
      meanwhile.push(comparable(matchList(searched, other, options)))
    })
    expect(comparable(list)).toEqual(expected)
    expect(meanwhile.length).toBeGreaterThan(3)
    for (const found of meanwhile) expect(found).toEqual(otherExpected)
  })

  it('leaves nothing behind when a pause throws: the next query scores as before', async () => {
    const searched = indexOf()
    const expected = comparable(matchList(searched, query, options))
    let pauses = 0
    await expect(matchListPausing(searched, query, options, async () => {
      pauses += 1
      if (pauses === 3) throw new Error('the client went away')
    })).rejects.toThrow('the client went away')
    expect(comparable(matchList(searched, query, options))).toEqual(expected)
  })
})

describe('length columns of a loaded index', () => {
  const query: Query = { combineWith: 'OR', queries: ['путин', 'москва'].map((word): Query => ({ combineWith: 'OR', queries: analysed(word) })) }
  const leaves = (query.queries as Array<{ queries: string[] }>).reduce((sum, group) => sum + group.queries.length, 0)
  const comparable = (list: MatchList): Array<[unknown, number, string[]]> => listed(list).map(match => [match.id, match.score, match.queryTerms])
  const fresh = async (): Promise<MiniSearch<IndexedDocument>> => (await readIndexFile(join(dir, 'index.bin'), miniSearchOptions(analyzer))).miniSearch

  it('are made on first use with a pause in the making, which a query coming meanwhile goes on with', async () => {
    const expected = comparable(matchList(index, query, options)) // MiniSearch's own arithmetic, from its Maps
    const searched = await fresh()
    const other: Query = { combineWith: 'OR', queries: analysed('выборы') }
    const otherExpected = comparable(matchList(index, other, options))
    let pauses = 0
    let meanwhile: Array<[unknown, number, string[]]> = []
    const list = await matchListPausing(searched, query, options, async () => {
      pauses += 1
      if (pauses === 1) meanwhile = comparable(matchList(searched, other, options))
    })
    expect(pauses).toBe(2 * leaves - 1 + 1) // one more than a query on made columns: after the columns' arrays are made
    expect(comparable(list)).toEqual(expected)
    expect(meanwhile).toEqual(otherExpected)
  })

  it('can be made ahead (a server preparing a build), after which a query does not pause to make them', async () => {
    const searched = await fresh()
    let preparePauses = 0
    await prepareLengthColumns(searched, async () => { preparePauses += 1 })
    expect(preparePauses).toBe(1)
    let pauses = 0
    const list = await matchListPausing(searched, query, options, async () => { pauses += 1 })
    expect(pauses).toBe(2 * leaves - 1)
    expect(comparable(list)).toEqual(comparable(matchList(index, query, options)))
  })
})

describe('a query of a loaded index with more matches than a pass goes through between pauses', () => {
  it(`pauses within them (every ${ITEMS_BETWEEN_PAUSES}), and queries scored while it waits do not disturb it`, async () => {
    const count = ITEMS_BETWEEN_PAUSES + 1000
    const many = new MiniSearch<IndexedDocument>(miniSearchOptions(analyzer))
    many.addAll(Array.from({ length: count }, (_, at) => ({ id: `m${at}`, title: at % 3 === 0 ? 'Трамп' : 'Трамп и Путин', lead: '', body: at % 5 === 0 ? 'Москва' : 'Трамп', kind: 'article', offset: 0, length: 0 })))
    const file = join(dir, 'many.bin')
    await writeIndexFile(file, many, new FormCollector())
    const searched = (await readIndexFile(file, miniSearchOptions(analyzer))).miniSearch
    await prepareLengthColumns(searched, async () => {})
    // трамп second: merged into москв's matches, not taking the query's level as its first term would.
    const query: Query = { combineWith: 'OR', queries: ['москв', 'трамп'] }
    const other: Query = { combineWith: 'OR', queries: ['путин'] }
    const comparable = (list: MatchList): Array<[unknown, number]> => listed(list).map(match => [match.id, match.score])
    const expected = comparable(matchList(many, query, options))
    const otherExpected = comparable(matchList(many, other, options))
    let pauses = 0
    const meanwhile: Array<Array<[unknown, number]>> = []
    const list = await matchListPausing(searched, query, options, async () => {
      pauses += 1
      meanwhile.push(comparable(matchList(searched, other, options)))
    })
    // After москв's leaf; within трамп's title postings and after its leaf; within its merge and after it; within the matches.
    expect(pauses).toBe(1 + 2 + 2 + 1)
    expect(comparable(list)).toEqual(expected)
    expect(meanwhile.every(answer => JSON.stringify(answer) === JSON.stringify(otherExpected))).toBe(true)
  })
})

describe('wordsMatchedCounter', () => {
  it('counts the words any of whose terms matched, as a scan of every word does', () => {
    const term = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')
    const words = fc.array(fc.array(term, { minLength: 1, maxLength: 3 }).map(terms => ({ terms: new Map(terms.map(t => [t, 1])) })), { maxLength: 40 })
    fc.assert(fc.property(words, fc.array(term), (plan, matched) => {
      const naive = plan.filter(word => [...word.terms.keys()].some(t => matched.includes(t))).length
      expect(wordsMatchedCounter(plan)(matched)).toBe(naive)
    }))
  })
})
