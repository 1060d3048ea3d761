import { describe, expect, it } from 'vitest'
import { suggest } from '../../src/search/suggest.js'
import { buildFixtureIndex, indexOfArticles } from '../helpers/build-fixture.js'
import { SUGGEST_ARTICLES } from '../fixtures/suggest-articles.js'

describe('suggest', () => {
  it('completes «дур» to «Дуров» on the bundled corpus', async () => {
    const { snapshot } = await buildFixtureIndex(['corpus'])
    const response = suggest(snapshot, 'дур')
    expect(response.suggestions[0]).toMatchObject({ word: 'Дуров', text: 'Дуров' })
    expect(response.suggestions[0]?.documents).toBeGreaterThan(0)
  })

  it('keeps the words before the last one and prefers completions found with them', async () => {
    const { snapshot } = await buildFixtureIndex(['tests/fixtures/features'])
    const plain = suggest(snapshot, 'ст').suggestions.map(suggestion => suggestion.word)
    // The family's form headlines use most.
    expect(plain[0]).toBe('ставку')
    const afterSport = suggest(snapshot, 'хоккей по ').suggestions
    expect(afterSport).toEqual([])
    const inContext = suggest(snapshot, 'турнир мо').suggestions
    expect(inContext[0]).toMatchObject({ text: 'турнир Москве', word: 'Москве', documents: 1 })
  })

  it('completes a partial word typed in the wrong layout', async () => {
    const { snapshot } = await buildFixtureIndex(['corpus'])
    expect(suggest(snapshot, 'lehj').suggestions.map(suggestion => suggestion.word)).toContain('Дуров')
  })

  it('offers nothing for a one-letter prefix, an empty query or a word the index lacks', async () => {
    const { snapshot } = await buildFixtureIndex(['corpus'])
    for (const q of ['д', '', '   ', 'щщщщ', '"', 'дуров ']) expect(suggest(snapshot, q).suggestions, q).toEqual([])
  })
})

describe('suggest from the build\'s suggestion table', () => {
  const words = (response: { suggestions: Array<{ word: string }> }): string[] => response.suggestions.map(suggestion => suggestion.word)

  it('offers words as written, one form per family, the family people use most first', async () => {
    const snapshot = await indexOfArticles(SUGGEST_ARTICLES)
    const offered = suggest(snapshot, 'пут')
    expect(offered.suggestions[0]).toMatchObject({ word: 'Путин', text: 'Путин', kind: 'word' })
    // «путь», «пути», «путями» are one word: it is offered once.
    expect(words(offered).filter(word => ['путь', 'пути', 'путями', 'Пути'].includes(word))).toHaveLength(1)
    expect(words(offered)).not.toContain('Путина')
  })

  it('counts the documents of the form shown, not of its whole family', async () => {
    const snapshot = await indexOfArticles(SUGGEST_ARTICLES)
    // «Путин» is written in p1, p2 and p3; p4 has only «Путина».
    expect(suggest(snapshot, 'пут').suggestions[0]).toMatchObject({ word: 'Путин', documents: 3 })
  })

  it('keeps ё and never offers a stem that is not a word', async () => {
    const snapshot = await indexOfArticles(SUGGEST_ARTICLES)
    expect(words(suggest(snapshot, 'зел'))[0]).toBe('зелёный')
    const texts = SUGGEST_ARTICLES.map(article => `${article.title} ${article.body}`.toLowerCase())
    for (const prefix of ['скрип', 'пут', 'дур', 'чемп', 'зел']) {
      for (const word of words(suggest(snapshot, prefix))) {
        expect(texts.some(text => new RegExp(`(^|[^\\p{L}])${word.toLowerCase()}($|[^\\p{L}])`, 'u').test(text)), `${prefix} → ${word}`).toBe(true)
      }
    }
  })

  it('completes frequent pairs, the word before shown as written', async () => {
    const snapshot = await indexOfArticles(SUGGEST_ARTICLES)
    expect(suggest(snapshot, 'павел дур').suggestions[0]).toEqual({ text: 'Павел Дуров', word: 'Дуров', documents: 2, kind: 'phrase' })
    expect(suggest(snapshot, 'новости павел дур').suggestions[0]?.text).toBe('новости Павел Дуров')
    const championship = suggest(snapshot, 'чемпионат ми')
    expect(championship.suggestions[0]).toMatchObject({ text: 'чемпионат мира', word: 'мира', documents: 2, kind: 'phrase' })
    expect(words(championship)).not.toContain('мирам')
  })

  it('falls back to the index vocabulary for a prefix the table lacks', async () => {
    const snapshot = await indexOfArticles(SUGGEST_ARTICLES)
    // «Telegram» is in one body only: too rare for the table, still a word of the index.
    expect(words(suggest(snapshot, 'tele'))).toContain('telegram')
  })
})
