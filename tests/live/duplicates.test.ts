import { describe, expect, it } from 'vitest'
import { applyChange } from '../../src/live/apply-change.js'
import { search } from '../../src/search/search.js'
import { newsText, withWordsReplaced } from '../fixtures/near-duplicate-texts.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

const original = newsText(201)
const ARTICLES = [
  { id: 'o-1', title: 'Нефть: решение парламента', body: original, tags: [] },
  { id: 'o-2', title: 'Нефть и рынок', body: newsText(202), tags: [] }
]
const put = (seq: number, id: string, title: string, body: string) =>
  ({ seq, at: '', op: 'put' as const, id, article: { id, kind: 'article' as const, title, body, tags: [] } })

describe('near-duplicates under live changes', () => {
  it('a copy put live joins its original\'s group; changed or deleted, the group goes', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const query = { q: 'нефть', limit: 10, offset: 0 }
    expect((await search(snapshot, query)).totalGroups).toBe(2)

    applyChange(snapshot, put(1, 'live-1', 'Нефть подешевела', withWordsReplaced(original, 0.05)))
    const joined = await search(snapshot, query)
    expect(joined.total).toBe(3)
    expect(joined.totalGroups).toBe(2)
    const hit = joined.hits.find(found => found.id === 'o-1' || found.id === 'live-1')
    expect(hit?.duplicates).toEqual({ count: 1, ids: [hit?.id === 'o-1' ? 'live-1' : 'o-1'] })

    applyChange(snapshot, put(2, 'live-1', 'Нефть подешевела', newsText(203)))
    expect((await search(snapshot, query)).totalGroups).toBe(3)

    applyChange(snapshot, put(3, 'live-1', 'Нефть подешевела', original))
    expect((await search(snapshot, query)).totalGroups).toBe(2)
    applyChange(snapshot, { seq: 4, at: '', op: 'delete', id: 'o-1' })
    const left = await search(snapshot, query)
    expect(left.total).toBe(2)
    expect(left.totalGroups).toBe(2)
    expect(left.hits.some(found => found.duplicates !== undefined)).toBe(false)
  })
})
