import { describe, expect, it } from 'vitest'
import { search } from '../../src/search/search.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

const article = (id: string, date: string): object => ({ id, title: `Выборы мэра ${id}`, body: 'Выборы мэра прошли спокойно.', date })

describe('day filters and month facets in TIME_ZONE', () => {
  it('puts an article at 00:30 Moscow time on its Moscow day and month', async () => {
    const snapshot = await indexOfArticles([
      article('just-after-midnight', '2024-04-01T00:30+03:00'), // 2024-03-31T21:30Z
      article('evening-before', '2024-03-31 23:30'), // Moscow wall-clock time
      article('day-only', '01.04.2024')
    ])
    const ids = async (request: { from?: string, to?: string, timeZone?: string }): Promise<string[]> =>
      (await search(snapshot, { q: 'выборы', limit: 10, offset: 0, ...request })).hits.map(hit => hit.id).sort()
    expect(await ids({ from: '2024-04-01' })).toEqual(['day-only', 'just-after-midnight'])
    expect(await ids({ to: '2024-03-31' })).toEqual(['evening-before'])
    expect(await ids({ from: '2024-04-01', to: '2024-04-01' })).toEqual(['day-only', 'just-after-midnight'])
    // In UTC both instants are on 31 March.
    expect(await ids({ to: '2024-03-31', timeZone: 'UTC' })).toEqual(['evening-before', 'just-after-midnight'])

    const response = await search(snapshot, { q: 'выборы', limit: 10, offset: 0, facets: true })
    expect(response.timeZone).toBe('Europe/Moscow')
    expect(response.facets?.months).toEqual([{ value: '2024-04', count: 2 }, { value: '2024-03', count: 1 }])
    const inUtc = await search(snapshot, { q: 'выборы', limit: 10, offset: 0, facets: true, timeZone: 'UTC' })
    expect(inUtc.facets?.months).toEqual([{ value: '2024-04', count: 1 }, { value: '2024-03', count: 2 }])
  })
})
