import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { formKeyOf } from '../../src/analysis/form-key.js'
import { ByteReader, ByteWriter } from '../../src/index/byte-codec.js'
import { FormCollector, FormTable } from '../../src/index/form-table.js'

const analyzer = createDefaultAnalyzer()
const termOf = (word: string): string => analyzer.termsOf(word)[0] as string

const TEXTS = [
  'Павел Дуров, основатель Telegram, задержан. Дурова отпустили, Дурову предъявили обвинения.',
  'Сто человек пришли. Люди шли долго; людей было много. Экс-президент ответил.'
]

/** Written between two markers and read back: the reader must end just past the table. */
function saved (collector: FormCollector): FormTable {
  const writer = new ByteWriter()
  writer.string('before')
  collector.write(writer)
  writer.string('after')
  const reader = new ByteReader(Buffer.from(writer.view()))
  expect(reader.string()).toBe('before')
  const table = FormTable.read(reader)
  expect(reader.string()).toBe('after')
  return table
}

function collected (): FormCollector {
  const collector = new FormCollector()
  collector.addTexts(TEXTS, analyzer)
  return collector
}

describe('FormTable', () => {
  it('lists under each term the forms of the tokens that carried it', () => {
    const table = saved(collected())
    expect(new Set(table.keysOf(termOf('дуров')))).toEqual(new Set(['дуров', 'дурова', 'дурову'].map(formKeyOf)))
    expect(table.keysOf(termOf('человек'))).toEqual(expect.arrayContaining(['человек', 'люди', 'людей'].map(formKeyOf)))
    // A hyphenated word is a form of its parts' terms too.
    expect(table.keysOf(termOf('президент'))).toContain(formKeyOf('экс-президент'))
    expect(table.keysOf('несуществующий')).toEqual([])
  })

  it('reads back from its saved form the forms a live table records, term for term', () => {
    const live = FormTable.empty()
    live.addTexts(TEXTS, analyzer)
    const loaded = saved(collected())
    const terms = new Set(TEXTS.flatMap(text => analyzer.analyzeWithOffsets(text).flatMap(token => token.terms)))
    expect(terms.size).toBeGreaterThan(15)
    for (const term of terms) expect([term, new Set(loaded.keysOf(term))]).toEqual([term, new Set(live.keysOf(term))])
  })

  it('adds a live document\'s forms to a loaded table', () => {
    const loaded = saved(collected())
    loaded.addTexts(['Дуровым заинтересовались'], analyzer)
    expect(new Set(loaded.keysOf(termOf('дуров')))).toEqual(new Set(['дуров', 'дурова', 'дурову', 'дуровым'].map(formKeyOf)))
    expect(loaded.keySet([termOf('дуров')]).has(formKeyOf('Дуровым'))).toBe(true)
  })

  it('collects forms by the dictionary\'s term numbers, each key once, and with texts added after', () => {
    const collector = new FormCollector()
    collector.add(0, 11)
    collector.add(1, 22)
    collector.add(0, 33)
    collector.add(0, 11)
    collector.setTerms(['дуров', 'telegram'])
    collector.addTexts(['Дуровым'], analyzer)
    const table = saved(collector)
    expect(table.keysOf('дуров').sort((a, b) => a - b)).toEqual([11, 33, formKeyOf('дуровым')].sort((a, b) => a - b))
    expect(table.keysOf('telegram')).toEqual([22])
  })

  it('refuses pairs naming a term the dictionary lacks', () => {
    const collector = new FormCollector()
    collector.add(5, 1)
    collector.setTerms(['дуров'])
    expect(() => collector.write(new ByteWriter())).toThrow(/lacks/)
  })

  it('saves an empty table', () => {
    expect(saved(new FormCollector()).keysOf('дуров')).toEqual([])
  })

  it('refuses a table cut short', () => {
    const writer = new ByteWriter()
    collected().write(writer)
    const cut = Buffer.from(writer.view().subarray(0, writer.length - 10))
    expect(() => FormTable.read(new ByteReader(cut))).toThrow(/end of data/)
  })
})
