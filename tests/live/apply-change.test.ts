import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import type { DocumentChange } from '../../src/index/change-records.js'
import { applyChange, applyChanges } from '../../src/live/apply-change.js'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { search } from '../../src/search/search.js'
import { getDocument } from '../../src/search/get-document.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'

const noTypos = { ...defaultQueryOptions, features: { ...defaultQueryOptions.features, fuzzy: false } }

describe('applying live changes', () => {
  it('keeps the index from growing when one document is replaced many times', async () => {
    const { snapshot } = await buildFixtureIndex()
    const termsBefore = snapshot.miniSearch.termCount
    for (let seq = 1; seq <= 300; seq += 1) {
      const title = `Правка номер слово${seq}`
      applyChange(snapshot, { seq, at: '', op: 'put', id: 'n-1', article: { id: 'n-1', kind: 'article', title, body: title, tags: [] } })
    }
    expect(snapshot.miniSearch.documentCount).toBe(9)
    // Replaced versions are discarded lazily; the auto-vacuum configured in miniSearchOptions removes them.
    await expect.poll(() => snapshot.miniSearch.dirtCount, { timeout: 5000 }).toBeLessThan(100)
    await sleep(50)
    expect(snapshot.miniSearch.termCount).toBeLessThan(termsBefore + 110)
    expect((await search(snapshot, { q: 'слово300', limit: 5, offset: 0 })).hits.map(hit => hit.id)).toEqual(['n-1'])
    // The first version's word is gone (typo correction off: «слово1» would otherwise be read as «слово»).
    expect((await search(snapshot, { q: 'слово1', limit: 5, offset: 0 }, defaultRanking, noTypos)).total).toBe(0)
    expect((await getDocument(snapshot, 'n-1'))?.title).toBe('Правка номер слово300')
  })

  it('removes a deleted document from search and lookup', async () => {
    const { snapshot } = await buildFixtureIndex()
    applyChange(snapshot, { seq: 1, at: '', op: 'delete', id: 'n-1' })
    expect((await search(snapshot, { q: 'Дуров', limit: 5, offset: 0 })).hits.map(hit => hit.id)).not.toContain('n-1')
    expect(await getDocument(snapshot, 'n-1')).toBeUndefined()
    expect(snapshot.miniSearch.documentCount).toBe(8)
  })

  it('marks the forms of a document put live, though the build never saw them', async () => {
    const { snapshot } = await buildFixtureIndex()
    const title = 'Туристы шли пешком через перевал'
    applyChange(snapshot, { seq: 1, at: '', op: 'put', id: 'live-1', article: { id: 'live-1', kind: 'article', title, body: `${title}. Они шли долго.`, tags: [] } })
    const hit = (await search(snapshot, { q: 'идти', limit: 5, offset: 0 })).hits.find(found => found.id === 'live-1')
    expect(hit?.titleHtml).toBe('Туристы <mark>шли</mark> пешком через перевал')
    expect(hit?.snippet).toContain('Они <mark>шли</mark> долго')
  })

  it('applies a run of changes in order: a document put twice keeps its second version, a deleted one is gone', async () => {
    const { snapshot } = await buildFixtureIndex()
    const put = (seq: number, id: string, word: string): DocumentChange =>
      ({ seq, at: '', op: 'put', id, article: { id, kind: 'article', title: `Новость про ${word}`, body: `Учёные изучают ${word}.`, tags: [] } })
    const existed = applyChanges(snapshot, [
      put(1, 'a', 'квазар'), put(2, 'b', 'бозон'), put(3, 'a', 'глюон'),
      { seq: 4, at: '', op: 'delete', id: 'b' }, put(5, 'c', 'мюон'), put(6, 'n-1', 'пульсар')
    ])
    // Whether each change's document was there before it, as if applied one at a time.
    expect(existed).toEqual([false, false, true, true, false, true])
    const ids = async (q: string): Promise<string[]> => (await search(snapshot, { q, limit: 5, offset: 0 }, defaultRanking, noTypos)).hits.map(hit => hit.id)
    expect(await ids('глюон')).toEqual(['a'])
    expect(await ids('квазар')).toEqual([])
    expect(await ids('бозон')).toEqual([])
    expect(await ids('мюон')).toEqual(['c'])
    expect(await ids('пульсар')).toEqual(['n-1'])
    expect(snapshot.miniSearch.documentCount).toBe(11)
    expect((await getDocument(snapshot, 'a'))?.title).toBe('Новость про глюон')
  })
})
