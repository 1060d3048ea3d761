/**
 * The query language people type, one row per operator: the query, the hits it finds on a
 * small corpus written here, and what the response says about how it was read.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { QueryError } from '../../src/errors.js'
import { buildIndex } from '../../src/index/build-index.js'
import { loadBuild, type Snapshot } from '../../src/index/open-index.js'
import { IndexStore } from '../../src/live/index-store.js'
import { search, type SearchResponse } from '../../src/search/search.js'
import { buildApp } from '../../src/server/app.js'

const CORPUS = [
  { id: 'board', title: 'Совет директоров «Газпрома» собрался', body: 'Совет директоров утвердил дивиденды.' },
  { id: 'board-apart', title: 'Директоров завода уволили', body: 'Совет одобрил отставку директоров.' },
  // Operators searched as words would find this one (and «нот», «анд», «ор» through their Cyrillic spellings).
  { id: 'operators', title: 'Логика: OR, AND, NOT, ИЛИ, НЕ', body: 'Операторы OR, AND, NOT, ИЛИ и НЕ; сборник нот, горы Анд.' },
  { id: 'council', title: 'Совет Федерации одобрил закон', body: 'Совет Федерации принял закон о бюджете.' },
  { id: 'putin', title: 'Путин провёл совещание', body: 'Путин обсудил с правительством бюджет.' },
  { id: 'trump', title: 'Трамп выступил в Огайо', body: 'Трамп пообещал снизить налоги.' },
  { id: 'both', title: 'Путин и Трамп провели переговоры', body: 'Путин и Трамп обсудили Украину по телефону.' },
  { id: 'putin-meeting', title: 'Встреча Путина в Пекине', body: 'Путин прибыл на встречу с председателем КНР.' },
  { id: 'trump-meeting', title: 'Встреча Трампа с избирателями', body: 'Трамп провёл встречу в Техасе.' },
  { id: 'president', title: 'Президент подписал указ', body: 'Президент подписал указ о налогах: он вступит в силу в январе, сообщили в администрации.' },
  { id: 'president-2', title: 'Послание Федеральному собранию', body: 'Президент выступил с посланием. Речь длилась два часа, в ней говорилось об экономике, армии и школах.' },
  // «резидент» is two edits from «прзидент», «президент» one; these documents say it many times.
  { id: 'resident', title: 'Резиденты ОЭЗ получили льготы', body: 'Резидентов зоны стало больше: резидент, резиденты, резидентам.' },
  { id: 'resident-2', title: 'Резидент технопарка', body: 'Резидент технопарка, резиденты и резидентов стало больше.' },
  { id: 'resident-3', title: 'Новые резиденты', body: 'Резиденты, резидент, резидентам.' }
]

let snapshot: Snapshot
let corpusDir: string
let indexDir: string

beforeAll(async () => {
  corpusDir = await mkdtemp(join(tmpdir(), 'poisk-language-corpus-'))
  indexDir = await mkdtemp(join(tmpdir(), 'poisk-language-index-'))
  await writeFile(join(corpusDir, 'language.jsonl'), CORPUS.map(record => JSON.stringify(record)).join('\n'))
  const analyzer = createDefaultAnalyzer()
  const build = await buildIndex({ corpusPaths: [corpusDir], indexDir, analyzer })
  snapshot = await loadBuild(indexDir, build.buildId, analyzer)
})

afterAll(async () => {
  await snapshot?.documents.close()
  await rm(corpusDir, { recursive: true, force: true })
  await rm(indexDir, { recursive: true, force: true })
})

const find = async (q: string): Promise<SearchResponse> => await search(snapshot, { q, limit: 100, offset: 0 })
const ids = (response: SearchResponse): string[] => response.hits.map(hit => hit.id)
const sorted = (list: string[]): string[] => [...list].sort()

const PUTIN = ['both', 'putin', 'putin-meeting']
const TRUMP = ['both', 'trump', 'trump-meeting']
const EITHER = [...new Set([...PUTIN, ...TRUMP])]

interface Row {
  q: string
  /** Every hit, in any order. */
  hits?: string[]
  /** The first hits, in any order among themselves. */
  first?: string[]
  /** The same hits, in the same order, as this query. */
  like?: string
  interpretedAs?: string
  corrections?: SearchResponse['corrections']
}

const ROWS: Row[] = [
  { q: 'совет директоров', hits: ['board', 'board-apart', 'council'], first: ['board'] },
  { q: '"совет директоров"', hits: ['board'] },
  { q: '«совет директоров»', hits: ['board'] },
  { q: '„совет директоров“', hits: ['board'] },
  { q: '“совет директоров”', hits: ['board'] },
  { q: '«директоров совет»', hits: [] },
  { q: '«совет директоров', like: 'совет директоров' }, // unbalanced: plain words
  { q: 'Путин -Трамп', hits: ['putin', 'putin-meeting'] },
  { q: 'Путин NOT Трамп', hits: ['putin', 'putin-meeting'] },
  { q: 'Путин НЕ Трамп', hits: ['putin', 'putin-meeting'] },
  { q: 'совет', hits: ['board', 'board-apart', 'council'] },
  // A negated phrase excludes the documents holding all its words (their order is not checked).
  { q: 'совет NOT «совет директоров»', hits: ['council'] },
  { q: 'совет -"совет директоров"', hits: ['council'] },
  { q: 'Путин NOT «Трамп Огайо»', hits: PUTIN },
  { q: 'Трамп NOT «Трамп Огайо»', hits: ['both', 'trump-meeting'] },
  { q: 'Путин Трамп', hits: EITHER, first: ['both'] },
  { q: 'Путин AND Трамп', like: 'Путин Трамп' },
  { q: 'Путин И Трамп', like: 'Путин Трамп' },
  { q: 'путин и трамп', like: 'путин трамп' }, // lowercase «и» is a (stop) word, not an operator
  { q: 'Путин OR Трамп', hits: EITHER },
  { q: 'Путин ИЛИ Трамп', like: 'Путин OR Трамп' },
  // (Путин or Трамп) and встреча: «both» holds one of the two words, the meetings both.
  { q: 'Путин OR Трамп встреча', hits: EITHER, first: ['putin-meeting', 'trump-meeting'] },
  { q: 'OR Путин', like: 'Путин' },
  { q: 'Путин OR', like: 'Путин' },
  { q: 'Путин OR OR Трамп', like: 'Путин OR Трамп' },
  { q: 'title:Путин', hits: ['putin', 'both', 'putin-meeting'] },
  { q: 'title:встреча NOT title:Трамп', hits: ['putin-meeting'] },
  { q: 'президент', hits: ['president', 'president-2'] },
  { q: 'прзидент', like: 'президент', interpretedAs: 'президент', corrections: [{ from: 'прзидент', to: 'президент', kind: 'typo' }] }
]

describe('the query language, operator by operator', () => {
  it.each(ROWS)('$q', async row => {
    const response = await find(row.q)
    if (row.hits !== undefined) expect(sorted(ids(response))).toEqual(sorted(row.hits))
    if (row.first !== undefined) expect(sorted(ids(response).slice(0, row.first.length))).toEqual(sorted(row.first))
    if (row.like !== undefined) {
      const like = await find(row.like)
      expect(ids(response)).toEqual(ids(like))
      expect(response.hits.map(hit => hit.score)).toEqual(like.hits.map(hit => hit.score))
    }
    expect(response.interpretedAs).toBe(row.interpretedAs)
    expect(response.corrections).toEqual(row.corrections)
  })

  it.each(['-путин', 'NOT Путин', 'НЕ Путин', '-путин -трамп', '-«совет директоров»', 'и -путин'])('«%s» excludes words and searches none: a QueryError', async q => {
    const error = await find(q).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(QueryError)
    expect(error).toMatchObject({ code: 'POISK_ONLY_EXCLUSIONS', statusCode: 400 })
  })
})

describe('corrections that mean what they say', () => {
  it('marks only the corrected word, never a near word of another meaning', async () => {
    const response = await find('прзидент')
    expect(response.total).toBe(2)
    for (const hit of response.hits) {
      const marked = [...`${hit.titleHtml} ${hit.snippet}`.matchAll(/<mark>([^<]*)<\/mark>/gu)].map(match => match[1]?.toLowerCase())
      expect(marked.length, hit.id).toBeGreaterThan(0)
      expect(marked.every(word => word?.startsWith('президент')), `${hit.id}: ${marked.join(', ')}`).toBe(true)
    }
  })
})

describe('GET /search with only exclusions', () => {
  it('answers 400 with a message that says why', async () => {
    const app = await buildApp({ store: new IndexStore(snapshot) })
    try {
      const response = await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('-путин')}` })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({ statusCode: 400, code: 'POISK_ONLY_EXCLUSIONS', message: expect.stringMatching(/only excludes words/) })
    } finally {
      await app.close()
    }
  })
})
