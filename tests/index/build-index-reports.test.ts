import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import type { RecordLocation, RecordWarning } from '../../src/corpus/article.js'
import type { SkipEvent } from '../../src/corpus/corpus-event.js'
import { buildIndex } from '../../src/index/build-index.js'
import { indexFreshness } from '../../src/index/index-freshness.js'
import { tempDir } from '../helpers/temp-dir.js'

const line = (fields: Record<string, unknown>): string => JSON.stringify({ title: 'Новость', body: 'Текст новости.', ...fields })

describe('buildIndex reports', () => {
  it('reports a repeated id with its file and line, and bad URLs as warnings of indexed articles', async () => {
    const corpus = await tempDir()
    const indexDir = await tempDir()
    const file = join(corpus, 'news.jsonl')
    await writeFile(file, [
      line({ id: 'a', url: 'https://russian.rt.comhttps://russian.rt.com/a' }),
      line({ id: 'b', url: 'https://russian.rt.com/b' }),
      line({ id: 'a', url: 'https://russian.rt.com/a-again' }),
      line({ id: 'c', url: 'javascript:alert(1)' })
    ].join('\n'))
    const skips: SkipEvent[] = []
    const warnings: Array<{ location: RecordLocation, warning: RecordWarning }> = []
    const { manifest } = await buildIndex({
      corpusPaths: [corpus],
      indexDir,
      analyzer: createDefaultAnalyzer(),
      onSkip: event => skips.push(event),
      onWarning: (location, warning) => warnings.push({ location, warning })
    })
    expect(skips).toEqual([{ type: 'skip', location: { file, line: 3 }, reason: 'duplicate-id', message: expect.stringContaining('«a»') }])
    expect(warnings.map(({ location, warning }) => [location.line, warning.reason])).toEqual([[1, 'invalid-url'], [4, 'invalid-url']])
    expect(manifest.summary).toMatchObject({ seen: 4, indexed: 3, skipped: 1, skippedByReason: { 'duplicate-id': 1 }, warned: 2, warnedByReason: { 'invalid-url': 2 } })
    expect(manifest.timeZone).toBe('Europe/Moscow')
  })

  it('records TIME_ZONE in the manifest, and a build read in another zone is not fresh', async () => {
    const corpus = await tempDir()
    const indexDir = await tempDir()
    await writeFile(join(corpus, 'news.jsonl'), line({ id: 'a', date: '2019-08-10 17:12:51' }))
    const analyzer = createDefaultAnalyzer()
    const { manifest } = await buildIndex({ corpusPaths: [corpus], indexDir, analyzer, timeZone: 'Asia/Vladivostok' })
    expect(manifest.timeZone).toBe('Asia/Vladivostok')
    expect(await indexFreshness(indexDir, [corpus], analyzer, 'Asia/Vladivostok')).toMatchObject({ fresh: true })
    expect(await indexFreshness(indexDir, [corpus], analyzer, 'Europe/Moscow')).toEqual({ fresh: false, reason: 'TIME_ZONE changed (Asia/Vladivostok → Europe/Moscow)' })
  })
})
