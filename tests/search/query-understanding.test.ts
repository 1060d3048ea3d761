import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { search } from '../../src/search/search.js'
import { defaultQueryOptions, plainQueryOptions } from '../../src/search/query-options.js'
import { planQuery } from '../../src/search/query-plan.js'
import { MAX_QUERY_WORDS } from '../../src/search/query/query-syntax.js'
import { vocabularyOf } from '../../src/search/vocabulary.js'
import { maxEditsFor } from '../../src/search/word-variants.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

const BUNDLED = 'corpus'
const DUROV_TITLE = 'Павел Дуров: Telegram скорее покинет рынок, чем отдаст силовикам переписку пользователей'
const query = (q: string, limit = 10) => ({ q, limit, offset: 0 })

describe('query understanding on the bundled corpus', () => {
  it.each([
    ['lehjd', 'layout'],
    ['durov', 'transliteration'],
    ['телеграм', 'transliteration'],
    ['Дуроф', 'typo']
  ])('«%s» finds the Durov article first and says how it read the word (%s)', async (q, kind) => {
    const { snapshot } = await buildFixtureIndex([BUNDLED])
    const response = await search(snapshot, query(q))
    expect(response.hits[0]?.title).toBe(DUROV_TITLE)
    expect(response.corrections?.map(correction => correction.kind)).toContain(kind)
  })

  it('finds none of them with every feature off', async () => {
    const { snapshot } = await buildFixtureIndex([BUNDLED])
    for (const q of ['lehjd', 'durov', 'телеграм', 'Дуроф']) {
      expect((await search(snapshot, query(q), defaultRanking, plainQueryOptions)).total, q).toBe(0)
    }
  })

  it('reports the layout fix and the corrected query', async () => {
    const { snapshot } = await buildFixtureIndex([BUNDLED])
    const layout = await search(snapshot, query('lehjd'))
    expect(layout).toMatchObject({ layoutFixed: true, interpretedAs: 'дуров' })
    const typo = await search(snapshot, query('Дуроф'))
    expect(typo.corrections).toContainEqual({ from: 'Дуроф', to: 'Дуров', kind: 'typo' })
    expect(typo.interpretedAs).toBe('Дуров')
    expect(typo.layoutFixed).toBeUndefined()
  })

  it('finds «ntktuhfv» (телеграм in the English layout) as «Telegram»', async () => {
    const { snapshot } = await buildFixtureIndex([BUNDLED])
    const response = await search(snapshot, query('ntktuhfv'))
    expect(response.hits[0]?.title).toBe(DUROV_TITLE)
    expect(response.layoutFixed).toBe(true)
  })

  it('leaves stop words alone, inside phrases too', async () => {
    const { snapshot } = await buildFixtureIndex([BUNDLED])
    for (const q of ['«Telegram скорее покинет рынок, чем отдаст силовикам»', 'он и Telegram', 'его Дуров']) {
      const response = await search(snapshot, query(q))
      expect(response.corrections ?? [], q).toEqual([])
      expect(response.hits[0]?.title, q).toBe(DUROV_TITLE)
    }
  })

  it('does not read a Cyrillic typo as another layout spelled back in Cyrillic', async () => {
    const corpus = await tempDir()
    // «Дуроф» in the other layout is «Lehja», which transliterates to «легя»: a word this corpus has.
    await writeFile(join(corpus, 'layout.jsonl'), [
      { id: 'durov', title: 'Дурова вызвали в суд', body: 'Дурову предъявили обвинения.' },
      { id: 'durov-2', title: 'Дурову разрешили уехать', body: 'Дуров покинул страну.' },
      { id: 'legya', title: 'Легя и Краков', body: 'Легя выиграла матч.' }
    ].map(record => JSON.stringify(record)).join('\n'))
    const { snapshot } = await buildFixtureIndex([corpus])
    const response = await search(snapshot, query('Дуроф'))
    // Corrected to the index's spelling of the Durov word family (here its most frequent form).
    expect(response.corrections).toEqual([{ from: 'Дуроф', to: expect.stringMatching(/^Дуров/), kind: 'typo' }])
    expect(response.hits.map(hit => hit.id).sort()).toEqual(['durov', 'durov-2'])
  })

  it('never corrects short words and bounds how many words get typo candidates', async () => {
    const { snapshot } = await buildFixtureIndex([BUNDLED])
    const short = await search(snapshot, query('лот'))
    expect(short.corrections?.filter(correction => correction.kind === 'typo') ?? []).toEqual([])
    const many = await search(snapshot, query('Дуроф пользоватилей перепистку францыя рынак силавикам полицыи законапроект'))
    expect(many.corrections?.filter(correction => correction.kind === 'typo').length).toBe(4)
  })

  it('ranks typo matches below exact matches', async () => {
    const corpus = await tempDir()
    await writeFile(join(corpus, 'typo.jsonl'), [
      { id: 'near', title: 'Префект Нуньез выступил', body: 'Нуньез, Нуньез и ещё раз Нуньез: префект говорил долго.' },
      { id: 'near-2', title: 'Нуньез о тюрьмах', body: 'Префект Нуньез рассказал о тюрьмах.' },
      { id: 'exact', title: 'Заявление полиции', body: 'Префект Нуньес сделал заявление.' }
    ].map(record => JSON.stringify(record)).join('\n'))
    const { snapshot } = await buildFixtureIndex([corpus])
    const response = await search(snapshot, query('Нуньес'))
    expect(response.hits[0]?.id).toBe('exact')
    expect(response.hits.map(hit => hit.id).sort()).toEqual(['exact', 'near', 'near-2'])
    // The word was found as typed: the near spelling widens the search silently.
    expect(response.corrections).toBeUndefined()
    expect(response.hits[1]?.titleHtml).toMatch(/<mark>Нуньез<\/mark>/)
  })
})

describe('typo readings: MiniSearch\'s fuzzy term lookup through the query plan', () => {
  // The fixture corpus: n-2 «Лавров провёл переговоры в Анкаре» (Лавров, Эрдоган), n-3 «Ёлки подорожали».
  it.each([
    ['Перегвооры', 'Переговоры', 'a transposition in a long word'],
    ['Лавов', 'Лавров', 'a missing letter'],
    ['Лавроф', 'Лавров', 'a wrong letter'],
    ['Эрдогаан', 'Эрдоган', 'an extra letter']
  ])('corrects «%s» to «%s» (%s) and finds the article', async (typed, corrected) => {
    const { snapshot } = await buildFixtureIndex()
    const response = await search(snapshot, query(typed))
    expect(response.corrections).toEqual([{ from: typed, to: corrected, kind: 'typo' }])
    expect(response.interpretedAs).toBe(corrected)
    expect(response.hits.map(hit => hit.id)).toEqual(['n-2'])
  })

  it.each(['Лавров', 'Переговоры', 'Эрдоган'])('leaves the correct word «%s» alone', async q => {
    const { snapshot } = await buildFixtureIndex()
    const response = await search(snapshot, query(q))
    expect(response.corrections).toBeUndefined()
    expect(response.interpretedAs).toBeUndefined()
    expect(response.hits.map(hit => hit.id)).toEqual(['n-2'])
  })

  it.each(['Лёвкин', 'Левкин', 'лёвкина'])('finds «%s» without a correction: ё and е are one letter, not an edit', async q => {
    // A surname no dictionary knows, spelt with ё in one article and with е in the other.
    const corpus = await tempDir()
    await writeFile(join(corpus, 'yo.jsonl'), [
      { id: 'yo', title: 'Лёвкин возглавил комитет', body: 'Комитет возглавил Лёвкин.' },
      { id: 'ye', title: 'Заявление Левкина', body: 'Левкин сделал заявление.' },
      { id: 'other', title: 'Погода', body: 'Снег в Москве.' }
    ].map(record => JSON.stringify(record)).join('\n'))
    const { snapshot } = await buildFixtureIndex([corpus])
    const response = await search(snapshot, query(q))
    expect(response.corrections).toBeUndefined()
    expect(response.hits.map(hit => hit.id).sort()).toEqual(['ye', 'yo'])
  })

  it('allows one edit below 8 letters: a transposition (two edits for MiniSearch) in «Лаврво» finds nothing', async () => {
    const { snapshot } = await buildFixtureIndex()
    const response = await search(snapshot, query('Лаврво'))
    expect(response.corrections).toBeUndefined()
    expect(response.total).toBe(0)
  })

  it.each([
    ['', 0], ['в', 0], ['мир', 0], ['сво', 0], ['пути', 1], ['путин', 1], ['дуров', 1], ['москва', 1], ['эрдоган', 1],
    ['телеграм', 2], ['навальный', 2], ['зеленский', 2], ['экс-советник', 2], ['😀😀😀', 0], ['😀😀😀😀', 1]
  ] as const)('allows «%s» %i edits (counted in code points)', (term, edits) => {
    expect(maxEditsFor(term)).toBe(edits)
  })
})

describe('the word limit', () => {
  it('plans at most the 32 words the server accepts', async () => {
    const { snapshot } = await buildFixtureIndex()
    const words = Array.from({ length: 40 }, (_, at) => `слово${at}`)
    const plan = planQuery(words.join(' '), snapshot.analyzer, vocabularyOf(snapshot), defaultQueryOptions)
    expect(plan.words.map(word => word.typed)).toEqual(words.slice(0, MAX_QUERY_WORDS))
  })
})

describe('reading queries as typed', () => {
  async function smallIndex (records: Array<{ id: string, title: string, body: string }>) {
    const corpus = await tempDir()
    await writeFile(join(corpus, 'small.jsonl'), records.map(record => JSON.stringify(record)).join('\n'))
    return (await buildFixtureIndex([corpus])).snapshot
  }

  it('keeps a query whose every word is found, even when its other-layout spelling finds more words', async () => {
    // «звёзды» typed on a Latin layout is «pd`pls»: two fragments that both occur in this index.
    const snapshot = await smallIndex([
      { id: 'stars', title: 'Звёзды эстрады на фестивале', body: 'Звёзды эстрады выступили в Сочи.' },
      { id: 'codes', title: 'Коды PD и PLS', body: 'Протоколы PD и PLS в сетях.' }
    ])
    const response = await search(snapshot, query('звёзды'))
    expect(response.layoutFixed).toBeUndefined()
    expect(response.hits.map(hit => hit.id)).toEqual(['stars'])
  })

  it('counts a word found under two spellings once, not as two matched words', async () => {
    // «twitter» is searched as Twitter and твиттер. MiniSearch multiplies a score by the number
    // of query terms matched, which would double the article that uses both spellings once.
    const snapshot = await smallIndex([
      { id: 'both-spellings', title: 'Соцсети', body: 'Twitter, он же твиттер, обновил правила.' },
      { id: 'about-twitter', title: 'Twitter меняет ленту', body: 'Twitter показал новую ленту. Twitter объяснил решение.' },
      { id: 'other', title: 'Погода', body: 'Снег в Москве.' }
    ])
    const response = await search(snapshot, query('twitter'))
    expect(response.hits.map(hit => hit.id)).toEqual(['about-twitter', 'both-spellings'])
  })
})
