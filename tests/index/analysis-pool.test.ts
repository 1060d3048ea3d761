import MiniSearch from 'minisearch'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import type { Article } from '../../src/corpus/article.js'
import { listCorpusFiles } from '../../src/corpus/corpus-files.js'
import { readCorpus } from '../../src/corpus/read-corpus.js'
import { AnalysisPool } from '../../src/index/analysis-pool.js'
import type { AnalysedBatch } from '../../src/index/document-terms.js'
import { toIndexedDocument } from '../../src/index/build-index.js'
import { IndexBuilder } from '../../src/index/index-builder.js'
import { miniSearchOptions, SEARCH_FIELDS, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'

const analyzer = createDefaultAnalyzer()

describe('AnalysisPool', () => {
  it('counts many batches in flight at once across two workers as MiniSearch add does', async () => {
    const documents: IndexedDocument[] = []
    for await (const event of readCorpus(await listCorpusFiles([FIXTURE_CORPUS]))) {
      if (event.type === 'article') documents.push(toIndexedDocument(event.article, { offset: documents.length, length: 1 }))
    }
    const extra: Article = { id: 'x', kind: 'article', title: 'Экс-советник Дурова', body: 'Дуров, Дурова и Дурову: санкции. 14,5 млн.', tags: [] }
    documents.push(toIndexedDocument(extra, { offset: documents.length, length: 1 }))
    const expected = new MiniSearch<IndexedDocument>(miniSearchOptions(analyzer))
    expected.addAll(documents)

    const pool = new AnalysisPool(2, analyzer.version)
    try {
      // Batches of one or two documents, all sent before any is merged: replies may come back in any order.
      const batches: IndexedDocument[][] = []
      for (let start = 0; start < documents.length; start += 1 + (start % 2)) batches.push(documents.slice(start, start + 1 + (start % 2)))
      const analysed = batches.map(batch => pool.analyse(batch.map(document => SEARCH_FIELDS.map(field => document[field])), SEARCH_FIELDS.length))
      const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
      for (const [at, batch] of batches.entries()) builder.addBatch(batch, await (analysed[at] as Promise<AnalysedBatch>))
      expect(JSON.stringify(builder.build().toJSON())).toBe(JSON.stringify(expected.toJSON()))
    } finally {
      await pool.close()
    }
  })

  it('rejects batches once closed', async () => {
    const pool = new AnalysisPool(1, analyzer.version)
    const pending = expect(pool.analyse([['слово', 'другое слово', null]], 3)).rejects.toThrow(/closed/)
    await pool.close()
    await pending
    await expect(pool.analyse([['слово']], 1)).rejects.toThrow(/closed/)
    // Its counter (the build's token table and Map of terms) is let go for the rest of the build.
    expect((pool as unknown as { counter: unknown }).counter).toBeUndefined()
  })
})
