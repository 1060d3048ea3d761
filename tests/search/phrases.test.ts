import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/index/open-index.js'
import { search } from '../../src/search/search.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

const IN_ORDER = ['санкции против России', 'санкций против России', 'санкциях против России', 'санкциям против России']
const FILLER = 'Погода в регионе оставалась спокойной весь день, синоптики ждут дождя. '

/**
 * 150 articles holding the three words, 120 of them in order (in four inflected forms), more
 * than the 100 candidates the phrase check used to stop at; a long article whose opening holds
 * the words apart and only a later passage the phrase; an interview with a headline in quotes.
 */
function corpus (): string {
  const articles: object[] = []
  for (let at = 0; at < 150; at += 1) {
    const body = at < 120
      ? `Евросоюз продлил ${IN_ORDER[at % IN_ORDER.length] as string} ещё на полгода. ${FILLER}`
      : `Россия ответила на санкции Евросоюза, выступив против продления. ${FILLER}`
    articles.push({ id: `s-${at}`, title: `Новости Европы номер ${at}`, body })
  }
  articles.push({
    id: 'long',
    title: 'Обзор недели',
    body: `Весь день обсуждали санкции, в России выступали против. ${FILLER.repeat(12)}Позже министры снова заговорили о санкциях против России. ${FILLER.repeat(12)}`
  })
  articles.push({ id: 'gontmakher', title: 'Гонтмахер о соцсетях', body: 'Экономист Евгений Гонтмахер рассуждает, зачем Путину соцсети и чем Twitter плох.' })
  return articles.map(article => JSON.stringify(article)).join('\n') + '\n'
}

async function phraseIndex (): Promise<Snapshot> {
  const dir = await tempDir('poisk-phrases-')
  const file = join(dir, 'phrases.jsonl')
  await writeFile(file, corpus())
  return (await buildFixtureIndex([file])).snapshot
}

const query = (q: string, limit = 10) => ({ q, limit, offset: 0 })

describe('phrase queries', () => {
  it('counts every candidate holding the phrase, beyond the first hundred', async () => {
    const snapshot = await phraseIndex()
    const plain = await search(snapshot, query('санкции против России'))
    expect(plain.total).toBe(151) // the 150 and the long article
    const phrase = await search(snapshot, query('"санкции против России"', 200))
    expect(phrase.total).toBe(121) // the 120 in order and the long article
    expect(phrase.hits.map(hit => hit.id)).not.toContain('s-130')
    expect(phrase).not.toHaveProperty('phraseChecked')
  })

  it('matches the phrase in any inflected form of its words', async () => {
    const snapshot = await phraseIndex()
    const response = await search(snapshot, query('"санкциями против России"', 200))
    expect(response.total).toBe(121)
    const ids = response.hits.map(hit => hit.id)
    for (const id of ['s-0', 's-1', 's-2', 's-3', 'long']) expect(ids).toContain(id)
  })

  it('says how many candidates were checked when they are more than maxPhraseCandidates', async () => {
    const snapshot = await phraseIndex()
    const { defaultQueryOptions } = await import('../../src/search/query-options.js')
    const options = { ...defaultQueryOptions, limits: { ...defaultQueryOptions.limits, maxPhraseCandidates: 50 } }
    const response = await search(snapshot, query('"санкции против России"'), undefined, options)
    expect(response.phraseChecked).toBe(50)
    expect(response.total).toBeLessThanOrEqual(50)
  })

  it('shows an occurrence of the phrase in the snippet, not the first passage holding its words', async () => {
    const snapshot = await phraseIndex()
    const response = await search(snapshot, query('"санкции против России" обзор'))
    const hit = response.hits.find(found => found.id === 'long')
    expect(hit?.snippet).toContain('<mark>санкциях</mark> <mark>против</mark> <mark>России</mark>')
  })

  it('answers the other words without a phrase nothing holds, and says so', async () => {
    const snapshot = await phraseIndex()
    const response = await search(snapshot, query('Гонтмахер: "Почему Путин не ведет Twitter?"'))
    expect(response.hits[0]?.id).toBe('gontmakher')
    expect(response.droppedPhrases).toEqual(['Почему Путин не ведет Twitter'])
    expect(response.interpretedAs).toBe('Гонтмахер: Почему Путин не ведет Twitter?')
  })

  it('answers nothing for a query of only a phrase nothing holds', async () => {
    const snapshot = await phraseIndex()
    const response = await search(snapshot, query('"Почему Путин не ведет Twitter?"'))
    expect(response.total).toBe(0)
    expect(response.hits).toEqual([])
    expect(response).not.toHaveProperty('droppedPhrases')
  })
})

describe('quotes in a headline-length query', () => {
  it('are plain words among more than 3 other words, and a demand among fewer', async () => {
    const snapshot = await phraseIndex()
    const ask = async (q: string) => await search(snapshot, { q, limit: 200, offset: 0 })
    // 3 other words: the phrase is demanded — only the 120 in order and the long review hold it.
    const few = await ask('Евросоюз продлил "санкции против России" полгода')
    expect(few.total).toBe(121)
    expect(few.droppedPhrases).toBeUndefined()
    // 4 other words, as in a pasted headline: the quotes are not a demand, and the response says so.
    const many = await ask('Евросоюз продлил "санкции против России" ещё полгода ответила')
    expect(many.total).toBeGreaterThan(121)
    expect(many.hits.map(hit => hit.id)).toContain('s-130')
    expect(many.droppedPhrases).toEqual(['санкции против России'])
    expect(many.interpretedAs).toBe('Евросоюз продлил санкции против России ещё полгода ответила')
  })

  it('reads a batch of bodies together and inflates and checks them one by one, pausing before each', async () => {
    const snapshot = await phraseIndex()
    const events: string[] = []
    const reader = snapshot.documents.bodyReader.bind(snapshot.documents)
    const documents = Object.create(snapshot.documents) as Snapshot['documents']
    documents.bodyReader = async location => {
      const decode = await reader(location)
      return () => { events.push('inflate'); return decode() }
    }
    const paused = await search({ ...snapshot, documents }, query('"санкции против России"', 200), undefined, undefined, { pause: async () => { events.push('pause') } })
    const plain = await search(snapshot, query('"санкции против России"', 200))
    expect(paused.hits.map(hit => hit.id)).toEqual(plain.hits.map(hit => hit.id))
    expect(paused.total).toBe(plain.total)
    // The phrase check comes first: each of the 151 candidates' bodies (the words are in no headline) is inflated after a
    // pause of its own; the page's snippets are read after.
    const start = events.indexOf('inflate') - 1 // after the scoring's pauses
    const checks = events.slice(start, start + 2 * 151)
    expect(checks.filter(event => event === 'inflate')).toHaveLength(151)
    checks.forEach((event, at) => expect(event).toBe(at % 2 === 0 ? 'pause' : 'inflate'))
  })
})
