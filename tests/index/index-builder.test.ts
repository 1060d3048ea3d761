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
import { analyseBatch, TermCounter, type DocumentFields } from '../../src/index/document-terms.js'
import { formKeyOf } from '../../src/analysis/form-key.js'
import { FormTable } from '../../src/index/form-table.js'
import { IndexBuilder } from '../../src/index/index-builder.js'
import { writeIndexFile } from '../../src/index/index-file.js'
import { miniSearchOptions, SEARCH_FIELDS, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { heapUsedAfterGc } from '../helpers/heap.js'

const analyzer = createDefaultAnalyzer()
type DocumentFieldsList = DocumentFields[]

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

/** Every batch counted by one long-lived counter, as a build counts them: its numbering is the dictionary's. */
function viaOneCounter (articles: Article[], batchSize: number, builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))): MiniSearch<IndexedDocument> {
  const counter = new TermCounter(analyzer, 0)
  const documents = articles.map((article, at) => toIndexedDocument(article, { offset: at * 10, length: 10 }))
  for (let start = 0; start < documents.length; start += batchSize) {
    const batch = documents.slice(start, start + batchSize)
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
      expect(JSON.stringify(viaOneCounter(documents, batchSize).toJSON())).toBe(JSON.stringify(expected.toJSON()))
    }
  })

  it('keeps no Map of terms while one counter numbers every batch, and makes one when another counter\'s batch comes', async () => {
    const documents = await fixtureArticles()
    const expected = viaAdd(documents)
    const direct = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
    const termsMap = (builder: IndexBuilder<IndexedDocument>): unknown => (builder as unknown as { terms: unknown }).terms
    expect(JSON.stringify(viaOneCounter(documents, 2, direct).toJSON())).toBe(JSON.stringify(expected.toJSON()))
    expect(termsMap(direct)).toBeUndefined()
    // The last batch from a second counter: the direct numbering is left mid-build, and the index is still add's.
    const mixed = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
    const counter = new TermCounter(analyzer, 0)
    const indexed = documents.map((article, at) => toIndexedDocument(article, { offset: at * 10, length: 10 }))
    const fields = (batch: IndexedDocument[]): DocumentFieldsList => batch.map(document => SEARCH_FIELDS.map(field => document[field]))
    mixed.addBatch(indexed.slice(0, 3), counter.analyse(fields(indexed.slice(0, 3)), SEARCH_FIELDS.length))
    expect(termsMap(mixed)).toBeUndefined()
    mixed.addBatch(indexed.slice(3), new TermCounter(analyzer, 1).analyse(fields(indexed.slice(3)), SEARCH_FIELDS.length))
    expect(termsMap(mixed)).toBeInstanceOf(Map)
    expect(JSON.stringify(mixed.build().toJSON())).toBe(JSON.stringify(expected.toJSON()))
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

  it('leaves an absent field\'s length a hole, and a document without any field no lengths, as add does', () => {
    // Fields absent at the end, in the middle and everywhere: the lengths' holes and array length are written to index.bin.
    const documents = [
      { id: 'title-only', kind: 'article', title: 'Санкции против Дурова', offset: 0, length: 1 },
      { id: 'no-lead', kind: 'article', title: 'Путин', body: 'Путин встретился с Эрдоганом', offset: 1, length: 1 },
      { id: 'none', kind: 'article', offset: 2, length: 1 },
      { id: 'all', kind: 'article', title: 'Дуров', lead: 'Дуров', body: 'Дуров и Дурову', offset: 3, length: 1 }
    ] as unknown as IndexedDocument[]
    const expected = new MiniSearch<IndexedDocument>(miniSearchOptions(analyzer))
    expected.addAll(documents)
    const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
    builder.addBatch(documents, analyseBatch(analyzer, documents.map(document => SEARCH_FIELDS.map(field => document[field])), SEARCH_FIELDS.length))
    const built = builder.build().toJSON()
    expect(built.fieldLength).toEqual(expected.toJSON().fieldLength)
    expect(JSON.stringify(built)).toBe(JSON.stringify(expected.toJSON()))
  })

  it('leaves the direct numbering for a batch whose new terms have their first postings out of number order', () => {
    const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
    const counter = new TermCounter(analyzer, 0)
    const first = [toIndexedDocument({ id: 'a', kind: 'article', title: 'Дуров', body: 'Дуров', tags: [] }, { offset: 0, length: 1 })]
    const analysed = counter.analyse(first.map(document => SEARCH_FIELDS.map(field => document[field])), SEARCH_FIELDS.length)
    builder.addBatch(first, analysed)
    // The next numbers of the same counter, «вторник» before «среда», but «среда» posted first.
    const base = analysed.newTerms.length
    const second = [toIndexedDocument({ id: 'b', kind: 'article', title: 'среда вторник', body: '', tags: [] }, { offset: 1, length: 1 })]
    builder.addBatch(second, {
      termSpace: 0,
      firstTermId: base,
      newTerms: ['вторник', 'среда'],
      fieldCount: SEARCH_FIELDS.length,
      fieldLengths: Int32Array.from([2, -1, -1]),
      postings: Uint32Array.from([base + 1, 1, base, 1]),
      ends: Uint32Array.from([2, 2, 2]),
      newTokenKeys: new Uint32Array(0),
      newTokenTermEnds: new Uint32Array(0),
      newTokenTerms: new Uint32Array(0)
    })
    const built = builder.finish()
    // The dictionary takes terms in the order of their first postings, as add would have met them.
    expect((built as unknown as { terms: string[] }).terms).toEqual([...analysed.newTerms, 'среда', 'вторник'])
    const index = built.withTerms()
    expect(index.search('вторник').map(result => result.id)).toEqual(['b'])
    expect(index.search('среда').map(result => result.id)).toEqual(['b'])
    expect(index.search('дуров').map(result => result.id)).toEqual(['a'])
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
    // One array for every equal list, frozen: changed for one document, it would change for all.
    expect(built.getStoredFields('d19999')?.tags).toBe(built.getStoredFields('d0')?.tags)
    expect(Object.isFrozen(built.getStoredFields('d0')?.tags)).toBe(true)
  })

  it('shares a stored list only with an equal one, whatever its strings hold', () => {
    const lists = [['a\u0000b', 'c'], ['a', 'b\u0000c'], ['a', 'b\u0000c'], ['a'], []]
    const builder = new IndexBuilder<IndexedDocument>(miniSearchOptions(analyzer))
    const batch = lists.map((tags, at) => ({ ...toIndexedDocument({ id: `d${at}`, kind: 'article', title: 'Новости', body: '', tags: [] }, { offset: 0, length: 1 }), tags }))
    builder.addBatch(batch, analyseBatch(analyzer, batch.map(document => SEARCH_FIELDS.map(field => document[field])), SEARCH_FIELDS.length))
    const built = builder.build()
    expect(lists.map((_, at) => built.getStoredFields(`d${at}`)?.tags)).toEqual(lists)
    expect(built.getStoredFields('d1')?.tags).not.toBe(built.getStoredFields('d0')?.tags)
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
