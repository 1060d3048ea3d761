import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import MiniSearch from 'minisearch'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import type { Article } from '../../src/corpus/article.js'
import { listCorpusFiles } from '../../src/corpus/corpus-files.js'
import { readCorpus } from '../../src/corpus/read-corpus.js'
import { toIndexedDocument } from '../../src/index/build-index.js'
import { analyseBatch, TermCounter } from '../../src/index/document-terms.js'
import { formKeyOf } from '../../src/analysis/form-key.js'
import { FormTable } from '../../src/index/form-table.js'
import { IndexBuilder } from '../../src/index/index-builder.js'
import { writeIndexFile } from '../../src/index/index-file.js'
import { miniSearchOptions, SEARCH_FIELDS, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { heapUsedAfterGc } from '../helpers/heap.js'

const analyzer = createDefaultAnalyzer()

async function fixtureArticles (): Promise<Article[]> {
  const articles: Article[] = []
  for await (const event of readCorpus(await listCorpusFiles([FIXTURE_CORPUS]))) {
    if (event.type === 'article') articles.push(event.article)
  }
  return articles
}

/** Words repeated within and across fields and documents, hyphens, stop words, an empty body. */
const made: Article[] = [
  { id: 'a', kind: 'article', title: 'Экс-советник Дурова заявил о санкциях', body: 'Дуров, Дурова и Дурову: санкции, санкции и ещё раз санкции. Telegram 14,5 млн.', tags: [] },
  { id: 'b', kind: 'article', title: 'Санкции', body: '', tags: ['мир'], url: 'https://example.org/b' },
  { id: 'c', kind: 'headline', title: 'Люди и человек: стали сталью', body: 'Люди людей людям. И и и в на.', tags: [] },
  { id: 'd', kind: 'article', title: 'Эрдоган встретился с Путиным', body: 'Эрдоганом и Путиным подписано; Санкт-Петербург, С-400.', tags: [], date: '2020-01-02' }
]

function viaAdd (articles: Article[]): MiniSearch<IndexedDocument> {
  const miniSearch = new MiniSearch<IndexedDocument>(miniSearchOptions(analyzer))
  articles.forEach((article, at) => miniSearch.add(toIndexedDocument(article, { offset: at * 10, length: 10 })))
  return miniSearch
}

/** In batches of `batchSize` documents, as a build hands them over. */
function viaBuilder (articles: Article[], batchSize = 3, builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))): MiniSearch<IndexedDocument> {
  fill(builder, articles, batchSize)
  return builder.build()
}

function fill (builder: IndexBuilder<IndexedDocument>, articles: Article[], batchSize: number): void {
  const documents = articles.map((article, at) => toIndexedDocument(article, { offset: at * 10, length: 10 }))
  for (let start = 0; start < documents.length; start += batchSize) {
    const batch = documents.slice(start, start + batchSize)
    builder.addBatch(batch, analyseBatch(analyzer, batch.map(document => SEARCH_FIELDS.map(field => document[field])), SEARCH_FIELDS.length))
  }
}

/** Batches counted in turn by two long-lived counters, as two analysis workers count them. */
function viaTwoCounters (articles: Article[], batchSize: number): MiniSearch<IndexedDocument> {
  const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
  const counters = [new TermCounter(analyzer, 1), new TermCounter(analyzer, 2)]
  const documents = articles.map((article, at) => toIndexedDocument(article, { offset: at * 10, length: 10 }))
  for (let start = 0, turn = 0; start < documents.length; start += batchSize, turn += 1) {
    const batch = documents.slice(start, start + batchSize)
    const counter = counters[turn % 2] as TermCounter
    builder.addBatch(batch, counter.analyse(batch.map(document => SEARCH_FIELDS.map(field => document[field])), SEARCH_FIELDS.length))
  }
  return builder.build()
}

describe('IndexBuilder', () => {
  it.each([
    ['the fixture corpus', fixtureArticles],
    ['made-up documents', async () => made]
  ])('builds the index MiniSearch add builds, on %s', async (_name, articles) => {
    const documents = await articles()
    const expected = viaAdd(documents)
    // Searched before anything else touches its postings (they are decoded on first use).
    expect(viaBuilder(documents).search('санкции дуров')).toEqual(expected.search('санкции дуров'))
    for (const batchSize of [1, 3, 100]) {
      // toJSON lists terms in dictionary order, postings and fields in insertion order: all must match.
      expect(JSON.stringify(viaBuilder(documents, batchSize).toJSON())).toBe(JSON.stringify(expected.toJSON()))
      expect(JSON.stringify(viaTwoCounters(documents, batchSize).toJSON())).toBe(JSON.stringify(expected.toJSON()))
    }
  })

  it.each([
    ['the fixture corpus', fixtureArticles],
    ['made-up documents', async () => made]
  ])('builds the same index with its postings kept in scratch files, in runs or not, on %s', async (_name, articles) => {
    const documents = await articles()
    const expected = JSON.stringify(viaAdd(documents).toJSON())
    for (const budget of [undefined, 7, 500]) {
      const dir = await mkdtemp(join(tmpdir(), 'poisk-scratch-'))
      try {
        const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer), dir, budget)
        const built = viaBuilder(documents, 3, builder)
        expect((await readdir(dir)).sort()).toEqual(['posting-runs.scratch', 'postings.scratch'])
        // The postings are read from the scratch file, not from memory: decoded by toJSON here.
        expect(JSON.stringify(built.toJSON())).toBe(expected)
        await builder.removeScratch()
        expect(await readdir(dir)).toEqual([])
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    }
  })

  it.each([
    ['the fixture corpus', fixtureArticles],
    ['made-up documents', async () => made]
  ])('writes the same index file from its own trie as from MiniSearch\'s tree, on %s', async (_name, articles) => {
    const documents = await articles()
    const dir = await mkdtemp(join(tmpdir(), 'poisk-trie-'))
    try {
      const viaTree = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
      await writeIndexFile(join(dir, 'tree.bin'), viaBuilder(documents, 3, viaTree), viaTree.forms)
      const viaTrie = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer), dir, 50)
      fill(viaTrie, documents, 3)
      const built = viaTrie.finish()
      expect(built.termCount).toBeGreaterThan(20)
      await writeIndexFile(join(dir, 'trie.bin'), built.miniSearch, viaTrie.forms, built)
      await viaTrie.removeScratch()
      expect((await readFile(join(dir, 'trie.bin'))).equals(await readFile(join(dir, 'tree.bin')))).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it.each([
    ['the fixture corpus', fixtureArticles],
    ['made-up documents', async () => made]
  ])('records the forms of every term that the documents hold, as a live change records them, on %s', async (_name, articles) => {
    const documents = (await articles()).map((article, at) => toIndexedDocument(article, { offset: at, length: 1 }))
    const texts = documents.map(document => SEARCH_FIELDS.map(field => document[field]))
    const expected = FormTable.empty()
    for (const fields of texts) expected.addTexts(fields, createDefaultAnalyzer())
    const terms = new Set(texts.flat().flatMap(text => text === undefined ? [] : analyzer.analyzeWithOffsets(text).flatMap(token => token.terms)))
    expect(terms.size).toBeGreaterThan(20)
    for (const batchSize of [1, 3, 100]) {
      const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
      const counters = [new TermCounter(analyzer, 1), new TermCounter(analyzer, 2)]
      for (let start = 0, turn = 0; start < documents.length; start += batchSize, turn += 1) {
        builder.addBatch(documents.slice(start, start + batchSize), (counters[turn % 2] as TermCounter).analyse(texts.slice(start, start + batchSize), SEARCH_FIELDS.length))
      }
      builder.build()
      const table = builder.forms.toTable()
      for (const term of terms) expect([term, table.keysOf(term).sort()]).toEqual([term, expected.keysOf(term).sort()])
    }
    // «Люди» carries «человек»'s term: its form is listed under it.
    const human = analyzer.termsOf('человек')[0] as string
    if (documents.some(document => document.body?.includes('Люди') === true)) expect(expected.keysOf(human)).toContain(formKeyOf('люди'))
  })

  it('holds one string for the equal tags of many documents', () => {
    // Each document's tags are strings of their own, as parsed from each record: 20,000 documents
    // × 10 tags of 200 characters would hold 80 MB without sharing.
    const tagOf = (k: number): string => String.fromCharCode(...Array.from({ length: 200 }, (_, at) => 0x430 + (at * k) % 32))
    const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
    const before = heapUsedAfterGc()
    for (let start = 0; start < 20_000; start += 500) {
      const batch = Array.from({ length: 500 }, (_, at) => ({
        ...toIndexedDocument({ id: `d${start + at}`, kind: 'article', title: 'Новости', body: '', tags: [] }, { offset: 0, length: 1 }),
        tags: Array.from({ length: 10 }, (_, k) => tagOf(k + 1))
      }))
      builder.addBatch(batch, analyseBatch(analyzer, batch.map(document => SEARCH_FIELDS.map(field => document[field])), SEARCH_FIELDS.length))
    }
    expect(heapUsedAfterGc() - before).toBeLessThan(30 * 1024 * 1024)
    const built = builder.build()
    expect(built.getStoredFields('d19999')?.tags).toEqual(Array.from({ length: 10 }, (_, k) => tagOf(k + 1)))
  })

  it('refuses a counter\'s batches out of order', () => {
    const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
    const counter = new TermCounter(analyzer, 1)
    const documents = made.map((article, at) => toIndexedDocument(article, { offset: at, length: 1 }))
    const texts = documents.map(document => SEARCH_FIELDS.map(field => document[field]))
    const first = counter.analyse(texts.slice(0, 2), SEARCH_FIELDS.length)
    const second = counter.analyse(texts.slice(2), SEARCH_FIELDS.length)
    expect(() => builder.addBatch(documents.slice(2), second)).toThrow(/out of order/)
    expect(first.firstTermId).toBe(0)
  })

  it('refuses a duplicate id', () => {
    const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
    const document = toIndexedDocument(made[1] as Article, { offset: 0, length: 1 })
    const batch = analyseBatch(analyzer, [[document.title, document.body]], 2)
    builder.addBatch([document], batch)
    expect(() => builder.addBatch([document], batch)).toThrow(/duplicate/)
  })
})
