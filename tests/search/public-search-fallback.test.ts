import { describe, expect, it } from 'vitest'
import { search } from '../../src/search/search.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

// MiniSearch's private state is read where it has the shape of MiniSearch 7.2
// (minisearch-internals.ts); with another shape, search falls back to its public API.
describe('search without MiniSearch internals', () => {
  it('ranks as with them: the same hits, scores and counts', async () => {
    const articles = [
      { id: 'a', title: 'Выборы президента России', body: 'Выборы президента пройдут в марте. Россия голосует.' },
      { id: 'b', title: 'Президент о выборах', body: 'Президент России говорил о выборах и о России.' },
      { id: 'c', title: 'Погода в Москве', body: 'Выборы не отменят дождь. Президент не комментирует погоду.' },
      { id: 'd', title: 'Россия и Франция', body: 'Переговоры России и Франции. Выборы во Франции.' },
      { id: 'e', title: 'Новости спорта', body: 'Сборная России выиграла. Президент поздравил.' }
    ]
    const snapshot = await indexOfArticles(articles)
    const request = { q: 'выборы президента россии 2018', limit: 10, offset: 0, collapse: false }
    const strip = ({ tookMs: _took, ...rest }: Awaited<ReturnType<typeof search>>) => rest
    const withInternals = strip(await search(snapshot, request))
    const state = snapshot.miniSearch as unknown as { _dirtCount: unknown }
    const dirtCount = state._dirtCount
    state._dirtCount = String(dirtCount) // no longer MiniSearch 7.2's shape
    const reasons: string[] = []
    try {
      const viaPublicSearch = strip(await search(snapshot, request, undefined, undefined, { onScoringFallback: reason => reasons.push(reason) }))
      expect(reasons).toHaveLength(1)
      expect(withInternals.total).toBe(5)
      expect(viaPublicSearch).toEqual(withInternals)
    } finally {
      state._dirtCount = dirtCount
    }
  })
})
