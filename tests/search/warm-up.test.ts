import { describe, expect, it } from 'vitest'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { warmUp } from '../../src/search/warm-up.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

// «нефть» heads 24 of the headlines, «рубль» 12, «биржа» 6, each other word 3. Every body names «завод»: in 36
// documents, but in 3 headlines, it is a body's frequent word, not a headline's.
const OTHERS = ['завод', 'порт', 'склад', 'вокзал', 'театр', 'музей', 'парк', 'мост', 'рынок', 'банк', 'суд', 'школа']
const ARTICLES = Array.from({ length: 36 }, (_, at) => ({
  id: `a${at}`,
  title: [at < 24 ? 'нефть' : '', at % 3 === 0 ? 'рубль' : '', at % 6 === 1 ? 'биржа' : '', OTHERS[at % OTHERS.length] as string].filter(Boolean).join(' '),
  body: `Завод сообщил: номер ${at}.`
}))

describe('warmUp', () => {
  it('searches the most frequent words of the newest headlines alone, then together', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    const queries = await warmUp(snapshot, defaultQueryOptions, async () => {})
    expect(queries.slice(0, 3)).toEqual(['нефть', 'рубль', 'биржа'])
    expect(queries).toHaveLength(12 + 4)
    expect(queries.slice(12)).toEqual(['нефть рубль', 'нефть рубль биржа', queries.slice(0, 6).join(' '), queries.slice(6, 12).join(' ')])
  })

  it('gives way while it counts the words and while it searches', async () => {
    const snapshot = await indexOfArticles(ARTICLES)
    let pauses = 0
    const queries = await warmUp(snapshot, defaultQueryOptions, async () => { pauses += 1 })
    // A pause per word counted (15 words), and at least one per search.
    expect(pauses).toBeGreaterThanOrEqual(15 + queries.length)
  })
})
