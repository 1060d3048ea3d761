import { describe, expect, it } from 'vitest'
import { search } from '../../src/search/search.js'
import { plainQueryOptions } from '../../src/search/query-options.js'
import { defaultSearchOptions } from '../../src/search/search.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'

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
      expect((await search(snapshot, query(q), defaultSearchOptions, plainQueryOptions)).total, q).toBe(0)
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
})
