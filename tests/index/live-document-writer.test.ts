import { describe, expect, it } from 'vitest'
import type { Article } from '../../src/corpus/article.js'
import { toIndexedDocument } from '../../src/index/build-index.js'
import { signatureOfText } from '../../src/index/duplicate-index.js'
import { LiveDocumentWriter, type LiveDocumentWriterOptions } from '../../src/index/live-document-writer.js'
import type { IndexedDocument } from '../../src/index/minisearch-options.js'
import type { Snapshot } from '../../src/index/open-index.js'
import { putDocument } from '../../src/index/put-document.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'

const sentence = 'Павел Дуров заявил, что Telegram ещё раз обновил правила; у Дурова и у команды мессенджера — новые планы на 2024-й год.'

const articles: Article[] = [
  { id: 'w-1', kind: 'article', title: 'Дуров и Дурову: ёлки, ЕЛКИ и ёлка', body: `${sentence} ${sentence} Сто пятьдесят третий раз.`, tags: [] },
  // A headline: an empty body is a field of length 0, not an absent one.
  { id: 'w-2', kind: 'headline', title: 'Жители Санкт-Петербурга встретили белые ночи', body: '', tags: [] },
  { id: 'w-3', kind: 'article', title: 'Стали известны новые данные о стали', body: `Сталь подорожала. ${'Рынок стали растёт, и рынки ждут. '.repeat(30)}`, tags: ['экономика'], url: 'https://example.org/a', date: '2024-04-01T00:30:00+03:00', source: 'example.org' },
  { id: 'w-4', kind: 'article', title: 'Дуров', body: sentence.split(' ').reverse().join(' '), tags: [] }
]
const documents = articles.map((article, at) => toIndexedDocument(article, { offset: at * 100, length: 100 }))

/** Every term of the documents has the same forms (snippets mark them) in both snapshots. */
function expectSameForms (actual: Snapshot, expected: Snapshot): void {
  const terms = new Set(articles.flatMap(({ title, body }) => expected.analyzer.analyzeWithOffsets(`${title} ${body}`).flatMap(token => token.terms)))
  expect(terms.size).toBeGreaterThan(30)
  for (const term of terms) expect(new Set(actual.forms.keysOf(term)), term).toEqual(new Set(expected.forms.keysOf(term)))
}

describe('the live document writer', () => {
  /** The documents added by a writer (with `options`, in `batches`) to one fixture index, and by `add` to another: the same index and forms. */
  async function expectAddedAsAddWould (batches: IndexedDocument[][], options?: LiveDocumentWriterOptions): Promise<void> {
    const viaWriter = (await buildFixtureIndex()).snapshot
    const viaAdd = (await buildFixtureIndex()).snapshot
    const writer = new LiveDocumentWriter(viaWriter.miniSearch, viaWriter.forms, viaWriter.analyzer, options)
    for (const batch of batches) writer.add(batch)
    for (const document of batches.flat()) putDocument(viaAdd.miniSearch, viaAdd.forms, viaAdd.analyzer, document)
    expect(JSON.stringify(viaWriter.miniSearch)).toBe(JSON.stringify(viaAdd.miniSearch))
    expectSameForms(viaWriter, viaAdd)
  }

  it('adds documents exactly as MiniSearch\'s add does: terms, frequencies, field lengths and their order', async () => {
    // Two batches: the second meets tokens the counter already knows.
    await expectAddedAsAddWould([documents.slice(0, 2), documents.slice(2)])
  })

  it('stays exact after its counter is replaced for growing past its term limit', async () => {
    await expectAddedAsAddWould(documents.map(document => [document]), { maxCounterTerms: 5 })
  })

  it('stays exact when a vacuum removed terms it had looked up before', async () => {
    const viaWriter = (await buildFixtureIndex()).snapshot
    const viaAdd = (await buildFixtureIndex()).snapshot
    const writer = new LiveDocumentWriter(viaWriter.miniSearch, viaWriter.forms, viaWriter.analyzer)
    const renamed = documents.map(document => ({ ...document, id: `${document.id}-again` }))
    for (const snapshot of [viaWriter, viaAdd]) {
      if (snapshot === viaWriter) writer.add(documents)
      else for (const document of documents) putDocument(snapshot.miniSearch, snapshot.forms, snapshot.analyzer, document)
      for (const { id } of documents) snapshot.miniSearch.discard(id)
      await snapshot.miniSearch.vacuum()
    }
    // The terms only these documents had are gone from the tree.
    expect(viaWriter.miniSearch.termCount).toBe(viaAdd.miniSearch.termCount)
    expect(viaWriter.miniSearch.search('Дуровым', { prefix: false, fuzzy: false }).map(result => result.id)).not.toContain('w-4')
    writer.add(renamed)
    for (const document of renamed) putDocument(viaAdd.miniSearch, viaAdd.forms, viaAdd.analyzer, document)
    expect(JSON.stringify(viaWriter.miniSearch)).toBe(JSON.stringify(viaAdd.miniSearch))
    expect(viaWriter.miniSearch.search('ёлки', { prefix: false, fuzzy: false }).map(result => result.id)).toContain('w-1-again')
  })

  it('gives each document the near-duplicate signature of its body that a single put gives it', async () => {
    const { snapshot } = await buildFixtureIndex()
    const writer = new LiveDocumentWriter(snapshot.miniSearch, snapshot.forms, snapshot.analyzer)
    const signatures = writer.add(documents)
    expect(signatures.map(signature => signature === undefined ? undefined : [...signature]))
      .toEqual(articles.map(({ body }) => { const signature = signatureOfText(snapshot.analyzer, body); return signature === undefined ? undefined : [...signature] }))
    // w-3's body is long enough to be signed; the headline's empty body is not.
    expect(signatures[2]).toBeDefined()
    expect(signatures[1]).toBeUndefined()
  })
})
