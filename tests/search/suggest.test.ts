import { describe, expect, it } from 'vitest'
import { suggest } from '../../src/search/suggest.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'

describe('suggest', () => {
  it('completes «дур» to «дуров» on the bundled corpus', async () => {
    const { snapshot } = await buildFixtureIndex(['corpus'])
    const response = suggest(snapshot, 'дур')
    expect(response.suggestions.map(suggestion => suggestion.word)).toContain('дуров')
    expect(response.suggestions[0]).toMatchObject({ word: 'дуров', text: 'дуров' })
    expect(response.suggestions[0]?.documents).toBeGreaterThan(0)
  })

  it('keeps the words before the last one and prefers completions found with them', async () => {
    const { snapshot } = await buildFixtureIndex(['tests/fixtures/features'])
    const plain = suggest(snapshot, 'ст').suggestions.map(suggestion => suggestion.word)
    expect(plain[0]).toBe('ставка')
    const afterSport = suggest(snapshot, 'хоккей по ').suggestions
    expect(afterSport).toEqual([])
    const inContext = suggest(snapshot, 'турнир мо').suggestions
    expect(inContext[0]).toMatchObject({ text: 'турнир москве', word: 'москве', documents: 1 })
  })

  it('completes a partial word typed in the wrong layout', async () => {
    const { snapshot } = await buildFixtureIndex(['corpus'])
    expect(suggest(snapshot, 'lehj').suggestions.map(suggestion => suggestion.word)).toContain('дуров')
  })

  it('offers nothing for a one-letter prefix, an empty query or a word the index lacks', async () => {
    const { snapshot } = await buildFixtureIndex(['corpus'])
    for (const q of ['д', '', '   ', 'щщщщ', '"', 'дуров ']) expect(suggest(snapshot, q).suggestions, q).toEqual([])
  })
})
