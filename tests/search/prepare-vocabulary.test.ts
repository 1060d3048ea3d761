import { describe, expect, it } from 'vitest'
import type { Analyzer } from '../../src/analysis/analyzer.js'
import { prepareVocabulary, prepareVocabularyInBackground, sortWords, vocabularyOf } from '../../src/search/vocabulary.js'
import { indexOfArticles } from '../helpers/build-fixture.js'

const WORDS = ['путин', 'переговоры', 'нефть', 'санкции', 'Дуров', 'Telegram', 'выборы', 'Зеленский', 'рубль', 'курс']

function articles (): object[] {
  return Array.from({ length: 150 }, (_, i) => ({
    id: `a-${i}`,
    title: `${WORDS[i % WORDS.length] ?? ''} ${WORDS[(i * 7) % WORDS.length] ?? ''} слово${i} новость`,
    body: `Текст статьи номер ${i} о том, что ${WORDS[(i * 3) % WORDS.length] ?? ''} снова в новостях.`
  }))
}

describe('prepareVocabulary', () => {
  it('builds, in slices that let the event loop turn, the same vocabulary as the build on first use', async () => {
    const sliced = await indexOfArticles(articles())
    const atOnce = await indexOfArticles(articles())
    let turns = 0
    const ticker = setInterval(() => { turns += 1 }, 0)
    const prepared = await prepareVocabulary(sliced, 0)
    clearInterval(ticker)
    expect(turns).toBeGreaterThan(0)
    const built = vocabularyOf(atOnce)
    expect(vocabularyOf(sliced)).toBe(prepared)
    for (const prefix of ['п', 'пер', 'сло', 'слово1', 'д', 'te', 'зел']) {
      expect(prepared.complete(prefix, 20)).toEqual(built.complete(prefix, 20))
    }
    for (const term of ['путин', 'дуров', 'telegram', 'зеленск', 'санкц']) {
      expect(prepared.surfaceOf(term)).toBe(built.surfaceOf(term))
    }
    expect(prepared.complete('слово1', 200).length).toBeGreaterThan(10)
  })

  it('lets the event loop turn every few headlines once its slice is spent: a cold headline\'s words are dictionary lookups', async () => {
    const snapshot = await indexOfArticles(articles())
    let turns = 0
    let counting = true
    const tick = (): void => { turns += 1; if (counting) setImmediate(tick) }
    setImmediate(tick)
    await prepareVocabulary(snapshot, 0)
    counting = false
    expect(turns).toBeGreaterThanOrEqual(Math.floor(articles().length / 8))
  })

  it('analyses each distinct headline word once, through none of the analyzer\'s caches (which serve queries and snippets)', async () => {
    const snapshot = await indexOfArticles(articles())
    const analyzer = snapshot.analyzer
    const cachedCalls: string[] = []
    const uncached: string[] = []
    const spied: Analyzer = {
      ...analyzer,
      termsOf: token => { cachedCalls.push(token); return analyzer.termsOf(token) },
      termsAt: (text, start, end) => { cachedCalls.push(text.slice(start, end)); return analyzer.termsAt(text, start, end) },
      analyzeToken: token => { cachedCalls.push(token); return analyzer.analyzeToken(token) },
      analyzeWithOffsets: text => { cachedCalls.push(text); return analyzer.analyzeWithOffsets(text) },
      analyzeTokenUncached: token => { uncached.push(token); return analyzer.analyzeTokenUncached(token) }
    }
    const prepared = await prepareVocabulary({ ...snapshot, analyzer: spied }, 0)
    expect(cachedCalls).toEqual([])
    expect(uncached.length).toBeGreaterThan(WORDS.length)
    expect(new Set(uncached).size).toBe(uncached.length)
    expect(prepared.surfaceOf(analyzer.termsOf('переговоры')[0] as string)).toBe('переговоры')
  })

  it('returns the vocabulary already built for the snapshot', async () => {
    const snapshot = await indexOfArticles(articles().slice(0, 10))
    const first = vocabularyOf(snapshot)
    expect(await prepareVocabulary(snapshot)).toBe(first)
  })
})

describe('prepareVocabularyInBackground', () => {
  it('answers at once with a vocabulary of the index\'s terms, without headline spellings, until the whole one is ready', async () => {
    const snapshot = await indexOfArticles(articles())
    const reference = vocabularyOf(await indexOfArticles(articles()))
    prepareVocabularyInBackground(snapshot, error => { throw error })
    const meanwhile = vocabularyOf(snapshot)
    // A headline word whose term is another spelling (a lemma or a stem): its surface comes from the headlines.
    const word = WORDS.map(w => w.toLowerCase()).find(w => !snapshot.analyzer.termsOf(w).includes(w)) as string
    const term = snapshot.analyzer.termsOf(word)[0] as string
    expect(reference.surfaceOf(term)).toBe(word)
    expect(meanwhile.surfaceOf(term)).toBe(term)
    expect(meanwhile.documentsWith(term)).toBe(reference.documentsWith(term))
    await prepareVocabulary(snapshot)
    const whole = vocabularyOf(snapshot)
    expect(whole).not.toBe(meanwhile)
    expect(whole.surfaceOf(term)).toBe(word)
  })
})

describe('sortWords', () => {
  it('sorts as Array.prototype.sort does, across many runs and with duplicates', () => {
    let seed = 7
    const random = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
    const alphabet = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcxyz-1'
    const words = Array.from({ length: 40_000 }, () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''))
    expect(sortWords(words)).toEqual([...words].sort())
    expect(sortWords([])).toEqual([])
    expect(sortWords(['б', 'а'])).toEqual(['а', 'б'])
  })
})
