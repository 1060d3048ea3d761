import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { search } from '../../src/search/search.js'
import { getDocument } from '../../src/search/get-document.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

const query = (q: string, limit = 10, offset = 0) => ({ q, limit, offset })

describe('search', () => {
  it('finds a surname in any case form', async () => {
    const { snapshot } = await buildFixtureIndex()
    for (const q of ['Дуров', 'Дурова', 'Дурову', 'дуровым', 'ДУРОВ']) {
      const response = await search(snapshot, query(q))
      expect(response.hits[0]?.id, q).toBe('n-1')
    }
  })

  it('treats ё and е as one letter', async () => {
    const { snapshot } = await buildFixtureIndex()
    expect((await search(snapshot, query('елки'))).hits[0]?.id).toBe('n-3')
    expect((await search(snapshot, query('ёлок'))).hits[0]?.id).toBe('n-3')
  })

  it('finds hyphenated words whole and by their parts, and numbers', async () => {
    const { snapshot } = await buildFixtureIndex()
    expect((await search(snapshot, query('С-400'))).hits[0]?.id).toBe('n-4')
    expect((await search(snapshot, query('советник'))).hits[0]?.id).toBe('n-4')
    expect((await search(snapshot, query('14,5'))).hits[0]?.id).toBe('n-3')
    expect((await search(snapshot, query('Петербург'))).hits.map(hit => hit.title)).toContain('В Санкт-Петербурге открыли новую станцию метро')
  })

  it('returns an empty result for a query of stop words only', async () => {
    const { snapshot } = await buildFixtureIndex()
    expect(await search(snapshot, query('и в не на'))).toMatchObject({ total: 0, hits: [] })
  })

  it('pages through results with limit and offset', async () => {
    const { snapshot } = await buildFixtureIndex()
    const all = await search(snapshot, query('метро москва россия', 100))
    expect(all.total).toBeGreaterThan(2)
    const second = await search(snapshot, query('метро москва россия', 1, 1))
    expect(second.total).toBe(all.total)
    expect(second.hits.map(hit => hit.id)).toEqual([all.hits[1]?.id])
  })

  it('returns stored fields and a marked snippet', async () => {
    const { snapshot } = await buildFixtureIndex()
    const [hit] = (await search(snapshot, query('Дурову'))).hits
    expect(hit).toMatchObject({ id: 'n-1', url: 'https://example.ru/news/1', date: '2025-03-15', source: 'example.ru', kind: 'article' })
    expect(hit?.snippet).toContain('<mark>Дурову</mark>')
    expect(hit?.titleHtml).toBe('Павел <mark>Дуров</mark> покинул Францию')
  })

  it('fetches full documents by id', async () => {
    const { snapshot } = await buildFixtureIndex()
    expect(await getDocument(snapshot, 'n-2')).toMatchObject({ id: 'n-2', title: 'Лавров провёл переговоры в Анкаре', tags: ['лавров', 'турция'] })
    expect(await getDocument(snapshot, 'nope')).toBeUndefined()
  })

  describe('ranking set', () => {
    it('weighs a headline mention above a body mention, and more mentions above fewer', async () => {
      const corpus = await tempDir()
      await writeFile(join(corpus, 'ranking.jsonl'), [
        // Mentions the word once, in a long body.
        { id: 'body-once', title: 'Новости экономики', body: `Рынки росли. ${'Экономика стабильна. '.repeat(30)}Упомянули санкции.` },
        // The word once, in the headline.
        { id: 'headline', title: 'Новые санкции против банков', body: `Меры вводятся с понедельника. ${'Экономика стабильна. '.repeat(30)}` },
        // The word twice in a short body (and so in its lead), not in the headline.
        { id: 'body-twice', title: 'Банки и меры', body: 'Санкции затронули банки. Санкциями недовольны.' },
        // No match.
        { id: 'unrelated', title: 'Погода', body: 'Ожидается снег.' }
      ].map(record => JSON.stringify(record)).join('\n'))
      const { snapshot } = await buildFixtureIndex([corpus])
      const ranked = (await search(snapshot, query('санкции'))).hits.map(hit => hit.id)
      expect(ranked).toHaveLength(3)
      // One mention each, in bodies of the same length: the headline's counts more.
      expect(ranked.indexOf('headline')).toBeLessThan(ranked.indexOf('body-once'))
      expect(ranked.indexOf('body-twice')).toBeLessThan(ranked.indexOf('body-once'))
    })
  })
})
