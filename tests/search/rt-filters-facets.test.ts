/**
 * Filters and facets on the RT corpus (../shared/corpora/rt.jsonl.gz, 7,217 articles with
 * tags and no dates), checked against counts computed here from the raw file. To keep the
 * suite fast the index holds each article's title and summary (tags are what is counted);
 * the expected result set of a query word is computed independently of the index: the
 * records whose title or summary has a token the analyzer maps to one of the word's terms.
 */
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createAnalyzer } from '../../src/analysis/analyzer.js'
import { search } from '../../src/search/search.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

const RT = '../shared/corpora/rt.jsonl.gz'

interface RtRecord { id: string, title: string, summary?: string, tags?: string[], date?: string, source?: string }

/** The corpus reader's tag rule: trimmed, lower case, «все» (RT's catch-all) dropped. */
const tagsOf = (record: RtRecord): string[] => [...new Set((record.tags ?? []).map(tag => tag.trim().toLowerCase()).filter(tag => tag !== '' && tag !== 'все'))]

function countTags (records: RtRecord[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const record of records) for (const tag of tagsOf(record)) counts.set(tag, (counts.get(tag) ?? 0) + 1)
  return counts
}

describe.skipIf(!existsSync(RT))('filters and facets on rt', () => {
  it('return the counts computed from the raw file', { timeout: 180_000 }, async () => {
    const records = gunzipSync(readFileSync(RT)).toString('utf8').split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line) as RtRecord)
    expect(records.length).toBe(7217)
    const corpus = await tempDir()
    await writeFile(join(corpus, 'rt-short.jsonl'), records.map(record =>
      JSON.stringify({ id: record.id, title: record.title, body: record.summary ?? '', tags: record.tags ?? [] })).join('\n'))
    const { snapshot } = await buildFixtureIndex([corpus])

    // The expected result set of «санкции», computed without the index.
    const analyzer = createAnalyzer()
    const wanted = new Set(analyzer.termsOf('санкции'))
    const matching = records.filter(record => analyzer.analyzeWithOffsets(`${record.title}\n${record.summary ?? ''}`)
      .some(token => token.terms.some(term => wanted.has(term))))
    expect(matching.length).toBeGreaterThan(100)

    const all = await search(snapshot, { q: 'санкции', limit: 1, offset: 0, facets: true })
    expect(all.total).toBe(matching.length)
    const expectedTags = countTags(matching)
    expect(all.facets?.tags.length).toBe(20)
    for (const { value, count } of all.facets?.tags ?? []) expect(count, value).toBe(expectedTags.get(value))
    const topCount = Math.max(...expectedTags.values())
    expect(all.facets?.tags[0]?.count).toBe(topCount)

    // One tag, then two tags (both required).
    const [first, second] = all.facets?.tags ?? []
    const oneTag = await search(snapshot, { q: 'санкции', limit: 1, offset: 0, tag: [first?.value as string], facets: true })
    expect(oneTag.total).toBe(matching.filter(record => tagsOf(record).includes(first?.value as string)).length)
    const bothTags = await search(snapshot, { q: 'санкции', limit: 1, offset: 0, tag: [first?.value as string, second?.value as string] })
    expect(bothTags.total).toBe(matching.filter(record => tagsOf(record).includes(first?.value as string) && tagsOf(record).includes(second?.value as string)).length)
    for (const { value, count } of oneTag.facets?.tags ?? []) {
      expect(count, value).toBe(matching.filter(record => tagsOf(record).includes(first?.value as string) && tagsOf(record).includes(value)).length)
    }

    // rt has no dates and no sources: a date filter keeps nothing, and there is no month or source to count.
    const dated = records.filter(record => record.date !== undefined).length
    expect((await search(snapshot, { q: 'санкции', limit: 1, offset: 0, from: '1990-01-01' })).total).toBe(dated)
    expect((await search(snapshot, { q: 'санкции', limit: 1, offset: 0, to: '2100-12-31' })).total).toBe(dated)
    expect(all.facets?.months).toEqual([])
    expect(all.facets?.sources.length).toBe(new Set(records.flatMap(record => record.source === undefined ? [] : [record.source])).size)
  })
})
