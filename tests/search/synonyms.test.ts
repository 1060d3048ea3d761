import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/index/open-index.js'
import { ConfigError } from '../../src/errors.js'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { planQuery } from '../../src/search/query-plan.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { search } from '../../src/search/search.js'
import { parseSynonyms, readSynonymsFile, type Synonyms } from '../../src/search/synonyms.js'
import { vocabularyOf } from '../../src/search/vocabulary.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

const FILE = 'synonyms.txt'

describe('parseSynonyms', () => {
  it('reads comments, blank lines, equivalences and mappings, multi-word entries included', () => {
    const rules = parseSynonyms([
      '# central banks',
      '',
      '  ЦБ ,  Центробанк, Банк   России  ',
      'РФ => Россия',
      'США, Штаты => Соединённые Штаты, США'
    ].join('\n'), FILE)
    expect(rules).toEqual([
      { from: ['ЦБ', 'Центробанк', 'Банк России'], to: ['ЦБ', 'Центробанк', 'Банк России'], line: 3 },
      { from: ['РФ'], to: ['Россия'], line: 4 },
      { from: ['США', 'Штаты'], to: ['Соединённые Штаты', 'США'], line: 5 }
    ])
  })

  it.each([
    ['ЦБ', 'an equivalence needs two entries'],
    ['a, , b', 'an empty entry'],
    ['a =>', 'an empty entry'],
    ['=> b', 'an empty entry'],
    ['a => b => c', 'more than one «=>»']
  ])('refuses «%s» naming the file and line', (line, why) => {
    const parse = () => parseSynonyms(`# ok\nЦБ, Центробанк\n${line}\n`, FILE)
    expect(parse).toThrow(ConfigError)
    expect(parse).toThrow(`${FILE}:3: ${why}`)
  })

  it('names a file it cannot read', () => {
    expect(() => readSynonymsFile('/no/such/synonyms.txt')).toThrow('SYNONYMS_FILE /no/such/synonyms.txt: cannot be read (ENOENT)')
  })
})

const ARTICLES = [
  { id: 'cb', title: 'ЦБ сохранил ставку', body: 'Регулятор оставил ставку без изменений.' },
  { id: 'central', title: 'Центробанк повысил ставку', body: 'Решение принято в пятницу.' },
  { id: 'bank', title: 'Банк России снизил ставку', body: 'Совет директоров принял решение.' },
  { id: 'russia', title: 'Россия и Китай', body: 'Переговоры прошли в Пекине.' },
  { id: 'usa', title: 'Соединённые Штаты ввели пошлины', body: 'Пошлины вступят в силу в мае.' }
]

const fixture = async (): Promise<Snapshot> => await indexOfArticles(ARTICLES)

const synonyms: Synonyms = {
  file: FILE,
  rules: parseSynonyms('ЦБ, Центробанк, Банк России\nРФ => Россия\nСША, Соединённые Штаты', FILE)
}
const withSynonyms = { ...defaultQueryOptions, synonyms }
const ids = async (q: string) => {
  const response = await search(await fixture(), { q, limit: 10, offset: 0 }, defaultRanking, withSynonyms)
  return { ...response, ids: response.hits.map(hit => hit.id) }
}

describe('synonyms at query time', () => {
  it('searches a word of an equivalence as every entry, at full weight, and says so', async () => {
    const response = await ids('цб')
    // Every article naming the bank ranks above the one holding only «Россия» of «Банк России».
    expect(response.ids.slice(0, 3).sort()).toEqual(['bank', 'cb', 'central'])
    expect(response.totalAllWords).toBe(3)
    expect(response.corrections).toEqual([{ from: 'цб', to: 'ЦБ OR Центробанк OR «Банк России»', kind: 'synonym' }])
    expect(response.interpretedAs).toBe('ЦБ OR Центробанк OR «Банк России»')
  })

  it('matches a multi-word entry in another form («Банка России»)', async () => {
    const response = await ids('Банка России')
    expect(response.ids.slice(0, 3).sort()).toEqual(['bank', 'cb', 'central'])
    expect(response.corrections?.[0]).toMatchObject({ from: 'Банка России', kind: 'synonym' })
  })

  it('replaces the left side of a mapping by the right one', async () => {
    const snapshot = await fixture()
    const plan = planQuery('РФ ставка', snapshot.analyzer, vocabularyOf(snapshot), withSynonyms)
    expect([...(plan.words[0]?.terms.keys() ?? [])]).toEqual(snapshot.analyzer.termsOf('Россия'))
    expect(plan.interpretedAs).toBe('Россия ставка')
    // Searched as «Россия» only: «Банк России» holds it, «ЦБ» does not.
    expect((await ids('РФ')).ids.sort()).toEqual(['bank', 'russia'])
  })

  it('finds a multi-word entry from its abbreviation', async () => {
    expect((await ids('США')).ids).toEqual(['usa'])
  })

  it('leaves a quoted or excluded word as typed', async () => {
    const snapshot = await fixture()
    const plan = planQuery('ставка -ЦБ', snapshot.analyzer, vocabularyOf(snapshot), withSynonyms)
    expect(plan.corrections).toEqual([])
    expect(plan.excluded).toEqual([{ terms: ['цб'] }])
    const quoted = planQuery('«ЦБ сохранил»', snapshot.analyzer, vocabularyOf(snapshot), withSynonyms)
    expect(quoted.corrections).toEqual([])
  })
})
