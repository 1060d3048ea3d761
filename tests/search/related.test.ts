import { describe, expect, it } from 'vitest'
import { related } from '../../src/search/related.js'
import { indexOfArticles } from '../helpers/build-fixture.js'
import { RELATED_ARTICLES } from '../fixtures/related-articles.js'

describe('related articles', () => {
  it('finds the articles on the same subject first, by the distinctive words of the headline and opening', async () => {
    const snapshot = await indexOfArticles(RELATED_ARTICLES)
    const found = await related(snapshot, 'h1', { limit: 2 })
    expect(found?.id).toBe('h1')
    expect(found?.hits.map(hit => hit.id).sort()).toEqual(['h2', 'h3'])
    expect(found?.terms).toContain('хоккей')
    for (const hit of found?.hits ?? []) {
      expect(hit.score).toBeGreaterThan(0)
      expect(hit.title).toBe(RELATED_ARTICLES.find(article => article.id === hit.id)?.title)
    }
    const politics = await related(snapshot, 'g1', { limit: 2 })
    expect(politics?.hits.map(hit => hit.id).sort()).toEqual(['g2', 'g3'])
  })

  it('leaves out the article itself and its copy with the same headline', async () => {
    const snapshot = await indexOfArticles(RELATED_ARTICLES)
    const ids = (await related(snapshot, 'h1', { limit: 50 }))?.hits.map(hit => hit.id) ?? []
    expect(ids.length).toBeGreaterThan(2)
    expect(ids).not.toContain('h1')
    expect(ids).not.toContain('h1-copy')
    const scores = (await related(snapshot, 'h1', { limit: 50 }))?.hits.map(hit => hit.score) ?? []
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
  })

  it('answers undefined for an id the index does not hold', async () => {
    const snapshot = await indexOfArticles(RELATED_ARTICLES)
    expect(await related(snapshot, 'nope')).toBeUndefined()
  })
})
