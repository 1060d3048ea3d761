import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SuggestCollector, SuggestTable } from '../../src/index/suggest-table.js'
import { heapUsedAfterGc, uniqueWord } from '../helpers/heap.js'

function tableOf (documents: Array<[string, string]>): SuggestTable {
  const collector = new SuggestCollector()
  for (const [title, body] of documents) collector.addDocument(title, body)
  return SuggestTable.fromCollector(collector)
}

describe('suggestion table', () => {
  it('shows a form as written mid-sentence, not capitalised at a sentence start', () => {
    const table = tableOf([
      ['Новости', 'Сегодня дождь. Сегодня ветер. «Сегодня» снег, а сегодня солнце.'],
      ['Ещё новости', 'Сегодня тихо, и ещё сегодня ясно.']
    ])
    expect(table.form('сегодня')).toEqual({ folded: 'сегодня', shown: 'сегодня', documents: 2, headlines: 0 })
    expect(table.form('еще')?.shown).toBe('ещё')
  })

  it('keeps names capitalised and counts documents and headlines once each', () => {
    const table = tableOf([
      ['Путин провёл встречу', 'Путин и Путин.'],
      ['Итоги', 'Заявил Путин.']
    ])
    expect(table.form('путин')).toEqual({ folded: 'путин', shown: 'Путин', documents: 2, headlines: 1 })
  })

  it('counts pairs of neighbouring words only, never across punctuation, and drops rare ones', () => {
    const table = tableOf([
      ['Павел Дуров', 'Москва, Путин.'],
      ['Итоги', 'Рассказал Павел Дуров. Москва, Путин.'],
      ['Павел Иванов', '']
    ])
    expect(table.pairsAfter('павел', 'дур').map(pair => [pair.second.shown, pair.documents, pair.headlines])).toEqual([['Дуров', 2, 1]])
    expect(table.pairsAfter('москва', '')).toEqual([])
    // Seen in one document: not kept.
    expect(table.pairsAfter('павел', 'ив')).toEqual([])
  })

  it('keeps the words it counts, not the texts they came from', () => {
    // 400 bodies of 60 KB, each with a word of its own: a slice of each would keep 24 MB.
    const filler = ' слово'.repeat(5_000)
    const collector = new SuggestCollector()
    const before = heapUsedAfterGc()
    for (let n = 0; n < 400; n += 1) collector.addDocument('Заголовок', `${uniqueWord(n, 20)}${filler}`)
    expect(heapUsedAfterGc() - before).toBeLessThan(4 * 1024 * 1024)
    expect(SuggestTable.fromCollector(collector).form('слово')?.documents).toBe(400)
  })

  it('lists the forms of a prefix by a score, best first, bounded', () => {
    const table = tableOf([['Путь', 'пути путь путём'], ['Путин', 'путь пути'], ['Путь', 'путь']])
    expect(table.topFormsStartingWith('пут', 2, documents => documents).map(form => form.folded)).toEqual(['путь', 'пути'])
  })

  it('gives the same table when it writes its pairs out as they fill memory, and leaves no file behind', async () => {
    const words = ['Путин', 'провёл', 'встречу', 'Дуров', 'задержан', 'во', 'Франции', 'санкции', 'ЕС', 'банк', 'России', 'ставку']
    // Pairs repeated within a document, across documents, in headlines and bodies, and seen once.
    const documents: Array<[string, string]> = Array.from({ length: 300 }, (_, at) => {
      const word = (k: number): string => words[(at * k + k * k) % words.length] as string
      return [`${word(1)} ${word(2)} ${word(3)}`, `${word(3)} ${word(5)} ${word(7)}. ${word(5)} ${word(7)} ${word(1)} слово${at} ${word(2)}`]
    })
    const inMemory = new SuggestCollector()
    const dir = await mkdtemp(join(tmpdir(), 'poisk-pairs-'))
    try {
      const spilling = new SuggestCollector(undefined, { dir, maxPairsInMemory: 7 })
      for (const [title, body] of documents) {
        inMemory.addDocument(title, body)
        spilling.addDocument(title, body)
      }
      expect((await readdir(dir)).length).toBeGreaterThan(0)
      const expected = inMemory.encode()
      expect(new SuggestTable(expected).pairCount).toBeGreaterThan(10)
      expect(spilling.encode().equals(expected)).toBe(true)
      expect(await readdir(dir)).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('writes no file while its pairs fit in memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'poisk-pairs-'))
    try {
      const collector = new SuggestCollector(undefined, { dir })
      collector.addDocument('Павел Дуров', 'Павел Дуров основал Telegram.')
      collector.addDocument('Павел Дуров', 'Павел Дуров задержан.')
      expect(await readdir(dir)).toEqual([])
      expect(new SuggestTable(collector.encode()).pairsAfter('павел', 'ду').map(pair => [pair.second.shown, pair.documents])).toEqual([['Дуров', 2]])
      expect(await readdir(dir)).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses bytes that are not a table', () => {
    expect(() => new SuggestTable(Buffer.from('not a table')).formCount).toThrow(/not a suggestion table/)
  })
})
