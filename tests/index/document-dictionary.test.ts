import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Article } from '../../src/corpus/article.js'
import { DocumentDictionaryTrainer, MAX_DICTIONARY_BYTES, TRAINING_ARTICLES } from '../../src/index/document-dictionary.js'
import { encodeDocument } from '../../src/index/document-record.js'
import { buildPath } from '../../src/index/index-directory.js'
import { loadBuild } from '../../src/index/open-index.js'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

const WORDS = ['президент', 'России', 'заявил', 'журналистам', 'переговоры', 'продолжатся', 'министр', 'обороны', 'сообщил', 'агентству']

/** Article `n` of a small newsroom: the common words in a varying order, and a word of its own. */
function newsArticle (n: number): Article {
  const words = Array.from({ length: 60 }, (_, at) => WORDS[(n * 7 + at * 3) % WORDS.length])
  return { id: `news-${n}`, kind: 'article', title: `Новость номер ${n}`, body: `${words.join(' ')} особое${n}.`, url: `https://example.ru/news/${n}`, tags: [] }
}

describe('DocumentDictionaryTrainer', () => {
  it('makes its dictionary at the last training article, and learns nothing after', () => {
    const trainer = new DocumentDictionaryTrainer(3)
    trainer.learn(newsArticle(1))
    trainer.learn(newsArticle(2))
    expect(trainer.dictionary).toBeUndefined()
    trainer.learn(newsArticle(3))
    const made = trainer.dictionary
    expect(made?.toString('utf8')).toContain('президент')
    trainer.learn({ ...newsArticle(4), body: 'новоеслово '.repeat(100) })
    expect(trainer.dictionary).toBe(made)
  })

  it('ends with the last article\'s header, the most frequent words just before it, and leaves out rare words', () => {
    const trainer = new DocumentDictionaryTrainer(2)
    trainer.learn({ ...newsArticle(1), body: 'частое '.repeat(9) + 'среднее '.repeat(5) + 'редкое редкое' })
    trainer.learn({ ...newsArticle(2), body: 'частое' })
    const text = trainer.dictionary?.toString('utf8') ?? ''
    const { body: _body, ...header } = newsArticle(2)
    expect(text.endsWith(JSON.stringify(header))).toBe(true)
    expect(text.indexOf('среднее')).toBeLessThan(text.indexOf('частое'))
    expect(text).not.toContain('редкое')
  })

  it('holds at most 32 KB however many words the articles bring', () => {
    const trainer = new DocumentDictionaryTrainer(10)
    for (let n = 0; n < 10; n += 1) trainer.learn({ ...newsArticle(n), body: Array.from({ length: 20_000 }, (_, at) => `слово${at % 8000}`).join(' ') })
    const length = trainer.dictionary?.length ?? 0
    expect(length).toBeLessThanOrEqual(MAX_DICTIONARY_BYTES)
    expect(length).toBeGreaterThan(MAX_DICTIONARY_BYTES - 20) // filled up to the last whole word that fits
  })

  it('is deterministic, and deflates later articles shorter than without it', () => {
    const learnt = (): Buffer => {
      const trainer = new DocumentDictionaryTrainer(20)
      for (let n = 0; n < 20; n += 1) trainer.learn(newsArticle(n))
      return trainer.dictionary as Buffer
    }
    const dictionary = learnt()
    expect(learnt().equals(dictionary)).toBe(true)
    const later = Array.from({ length: 20 }, (_, at) => newsArticle(100 + at))
    const size = (records: Buffer[]): number => records.reduce((sum, record) => sum + record.length, 0)
    expect(size(later.map(article => encodeDocument(article, dictionary)))).toBeLessThan(size(later.map(article => encodeDocument(article))) * 0.8)
  })
})

describe('docs.dict in a build', () => {
  it('is learnt from the first articles; every document reads back, those after the training shorter', async () => {
    const corpus = await tempDir('poisk-corpus-')
    const articles = Array.from({ length: TRAINING_ARTICLES + 40 }, (_, n) => newsArticle(n))
    await writeFile(join(corpus, 'news.jsonl'), articles.map(article => JSON.stringify(article)).join('\n') + '\n')
    const { build, snapshot, indexDir } = await buildFixtureIndex([corpus])
    expect(build.manifest.formatVersion).toBe(9)
    const dictionary = await readFile(join(buildPath(indexDir, build.buildId), 'docs.dict'))
    expect(dictionary.length).toBeGreaterThan(100)
    const location = (article: Article): { offset: number, length: number } => {
      const { offset, length } = snapshot.miniSearch.getStoredFields(article.id) as { offset: number, length: number }
      return { offset, length }
    }
    for (const article of articles) expect(await snapshot.documents.read(location(article))).toMatchObject({ id: article.id, body: article.body })
    // Article TRAINING_ARTICLES - 1 taught the dictionary; the next one is deflated against it.
    const taught = articles[TRAINING_ARTICLES - 1] as Article
    const after = articles[TRAINING_ARTICLES] as Article
    expect(location(after).length).toBeLessThan(location(taught).length * 0.8)
  })

  it('is empty for a corpus smaller than the training, and a build of format 8 (no docs.dict) still loads', async () => {
    const { build, indexDir } = await buildFixtureIndex()
    const dir = buildPath(indexDir, build.buildId)
    expect(await readFile(join(dir, 'docs.dict'))).toHaveLength(0)
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))
    const files = manifest.files.filter((file: { name: string }) => file.name !== 'docs.dict')
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 8, files }))
    const snapshot = await loadBuild(indexDir, build.buildId, createDefaultAnalyzer())
    expect(snapshot.manifest.formatVersion).toBe(8)
    await snapshot.documents.close()
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, files }))
    await expect(loadBuild(indexDir, build.buildId, createDefaultAnalyzer())).rejects.toThrow(/lists no docs\.dict/)
  })
})
