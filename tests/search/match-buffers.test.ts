import { describe, expect, it } from 'vitest'
import { MatchBufferLease } from '../../src/search/match-buffers.js'
import { search } from '../../src/search/search.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

describe('match buffers', () => {
  it('lends a released set to the next query, and never one that is still lent', () => {
    const first = new MatchBufferLease()
    const held = first.arrays(100)
    const second = new MatchBufferLease()
    const meanwhile = second.arrays(100)
    expect(meanwhile.scores.buffer).not.toBe(held.scores.buffer)
    first.release()
    const third = new MatchBufferLease()
    const reused = third.arrays(50)
    expect(reused.scores.buffer).toBe(held.scores.buffer)
    expect(reused.scores).toHaveLength(50)
    second.release()
    third.release()
  })

  it('answers a search the same when another one runs while it reads its snippets', async () => {
    const words = ['нефть', 'газ', 'уголь', 'зерно']
    // More matches than the sets lent before hold: the first search gets a set of its own, which the other one then reuses.
    const articles = Array.from({ length: 200 }, (_, at) => ({
      id: `d-${at}`,
      title: `${words[at % 4] as string} и ${words[(at + 1) % 4] as string}: новость ${at}`,
      body: `Цены на ${words[at % 4] as string} выросли. ${'Рынок следит за новостями. '.repeat(1 + at % 5)}Про ${words[(at + 2) % 4] as string} ничего.`,
      tags: [`тег-${at % 7}`]
    }))
    const snapshot = await indexOfArticles(articles)
    const request = (q: string) => ({ q, limit: 10, offset: 0, facets: true })
    const strip = ({ tookMs: _took, ...rest }: Awaited<ReturnType<typeof search>>) => rest
    const alone = strip(await search(snapshot, request('рынок')))
    // The other search runs whole inside the first one's first body read: a set lent back too
    // early would be its, and the first one's facets and counts (read after its snippets) its numbers.
    const documents = snapshot.documents
    const read = documents.readBodyOpening.bind(documents)
    let other: Promise<Awaited<ReturnType<typeof search>>> | undefined
    documents.readBodyOpening = async (location, chars) => {
      if (other === undefined) {
        other = search(snapshot, request('уголь')) // fewer matches: the first one's set is large enough for it
        await other
      }
      return await read(location, chars)
    }
    const interleaved = strip(await search(snapshot, request('рынок')))
    expect(alone.total).toBe(200)
    expect((await other)?.total).toBeLessThan(200)
    expect(interleaved).toEqual(alone)
  })
})
