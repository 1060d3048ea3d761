import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { formKeyOf } from '../../src/analysis/form-key.js'
import { ByteReader, ByteWriter } from '../../src/index/byte-codec.js'
import { FormTable } from '../../src/index/form-table.js'

const analyzer = createDefaultAnalyzer()
const termOf = (word: string): string => analyzer.termsOf(word)[0] as string

const TEXTS = [
  'Павел Дуров, основатель Telegram, задержан. Дурова отпустили, Дурову предъявили обвинения.',
  'Сто человек пришли. Люди шли долго; людей было много. Экс-президент ответил.'
]

function saved (table: FormTable): FormTable {
  const writer = new ByteWriter()
  writer.string('before')
  table.write(writer)
  writer.string('after')
  const reader = new ByteReader(Buffer.from(writer.view()))
  expect(reader.string()).toBe('before')
  const loaded = FormTable.read(reader)
  expect(reader.string()).toBe('after') // the reader is left just past the table
  return loaded
}

function built (): FormTable {
  const table = FormTable.empty()
  for (const text of TEXTS) table.addText(text, analyzer)
  return table
}

describe('FormTable', () => {
  it('lists under each term the forms of the tokens that carried it', () => {
    const table = built()
    expect(new Set(table.keysOf(termOf('дуров')))).toEqual(new Set(['дуров', 'дурова', 'дурову'].map(formKeyOf)))
    expect(table.keysOf(termOf('человек'))).toEqual(expect.arrayContaining(['человек', 'люди', 'людей'].map(formKeyOf)))
    // A hyphenated word is a form of its parts' terms too.
    expect(table.keysOf(termOf('президент'))).toContain(formKeyOf('экс-президент'))
    expect(table.keysOf('несуществующий')).toEqual([])
  })

  it('reads back every term\'s forms from its saved form, without decoding it whole', () => {
    const table = built()
    const loaded = saved(table)
    const terms = new Set(TEXTS.flatMap(text => analyzer.analyzeWithOffsets(text).flatMap(token => token.terms)))
    expect(terms.size).toBeGreaterThan(15)
    for (const term of terms) expect([term, new Set(loaded.keysOf(term))]).toEqual([term, new Set(table.keysOf(term))])
    expect(loaded.keysOf('несуществующий')).toEqual([])
  })

  it('adds a live document\'s forms to a loaded table, and refuses to save a loaded one again', () => {
    const loaded = saved(built())
    loaded.addText('Дуровым заинтересовались', analyzer)
    expect(new Set(loaded.keysOf(termOf('дуров')))).toEqual(new Set(['дуров', 'дурова', 'дурову', 'дуровым'].map(formKeyOf)))
    expect(loaded.keySet([termOf('дуров')]).has(formKeyOf('Дуровым'))).toBe(true)
    expect(() => loaded.write(new ByteWriter())).toThrow(/not written again/)
  })

  it('saves an empty table', () => {
    expect(saved(FormTable.empty()).keysOf('дуров')).toEqual([])
  })

  it('refuses a table cut short', () => {
    const writer = new ByteWriter()
    built().write(writer)
    const cut = Buffer.from(writer.view().subarray(0, writer.length - 10))
    expect(() => FormTable.read(new ByteReader(cut))).toThrow(/end of data/)
  })
})
