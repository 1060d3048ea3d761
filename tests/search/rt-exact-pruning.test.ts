/**
 * On rt (SHARED_DIR, ../shared by default: 7,217 articles, titles and bodies indexed, as the
 * evaluation indexes them), every tag query's and every known-item headline's response is the
 * same whether its page comes from part of the matches (search.ts: the documents holding every
 * word, pageOfAllWords; those whose score bound reaches the page, pageOfBest) or from ranking
 * every match: hits and their order, scores, snippets, duplicates and every count.
 */
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { search, type RankedMatches, type SearchRequest } from '../../src/search/search.js'
import { defaultRanking } from '../../src/search/ranking.js'
import { defaultQueryOptions } from '../../src/search/query-options.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

const SHARED = process.env.SHARED_DIR ?? '../shared'
const RT = join(SHARED, 'corpora/rt.jsonl.gz')
const TAG_QUERIES = join(SHARED, 'eval/rt-tag-queries.tsv')
const KNOWN_ITEMS = join(SHARED, 'eval/rt-known-item.tsv')

describe.skipIf(!existsSync(RT) || !existsSync(TAG_QUERIES) || !existsSync(KNOWN_ITEMS))('ranking part of the matches, on rt', () => {
  it('answers every tag query and known-item headline as ranking every match does, at the first page and the third', { timeout: 600_000 }, async () => {
    const corpus = await tempDir()
    const records = gunzipSync(readFileSync(RT)).toString('utf8').split('\n').filter(line => line.trim() !== '')
      .map(line => JSON.parse(line) as { id: string, title: string, body: string })
    await writeFile(join(corpus, 'rt.jsonl'), records.map(({ id, title, body }) => JSON.stringify({ id, title, body })).join('\n'))
    const { snapshot } = await buildFixtureIndex([corpus])
    const column = (path: string, at: number): string[] => readFileSync(path, 'utf8').split('\n').map(line => line.split('\t')[at]?.trim() ?? '').filter(query => query !== '')
    const tags = column(TAG_QUERIES, 0)
    const headlines = column(KNOWN_ITEMS, 1)
    expect(tags.length).toBeGreaterThan(1000)
    expect(headlines.length).toBeGreaterThan(900)
    const queries = [...tags, ...headlines]
    const ranked = new Map<RankedMatches, number>()
    for (const q of queries) {
      for (const offset of [0, 20]) {
        const request: SearchRequest = { q, limit: 10, offset }
        let how: RankedMatches = 'all'
        // Pruned from a thousand matches, as an archive's broad queries are from PRUNED_FROM_MATCHES: rt's 7,217 articles have fewer.
        const pruned = await search(snapshot, request, defaultRanking, defaultQueryOptions, { onRanking: used => { how = used }, pruneFrom: 1000 })
        const exhaustive = await search(snapshot, request, defaultRanking, defaultQueryOptions, { exhaustive: true })
        expect({ ...pruned, tookMs: 0 }, `${q} at ${offset}`).toEqual({ ...exhaustive, tookMs: 0 })
        ranked.set(how, (ranked.get(how) ?? 0) + 1)
      }
    }
    // Most multi-word tag queries have a page of documents holding every word; most headlines (long queries) match thousands.
    expect(ranked.get('allWords') ?? 0).toBeGreaterThan(500)
    expect(ranked.get('best') ?? 0).toBeGreaterThan(500)
  })
})
