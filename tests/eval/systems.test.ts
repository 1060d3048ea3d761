import { describe, expect, it } from 'vitest'
import { poiskSystem } from '../../src/eval/systems.js'

const documents = [
  { id: 'in-order', title: 'Новости', body: 'Евросоюз продлил санкции против России ещё на полгода.' },
  { id: 'apart', title: 'Обзор', body: 'Санкции обсуждали весь день, в России выступили против.' },
  { id: 'other', title: 'Погода', body: 'Синоптики ждут дождя.' }
]

describe('poisk as the evaluation runs it', () => {
  it('answers a phrase query from the documents held in memory (its bodies are read for the phrase check)', async () => {
    const search = poiskSystem().index(documents)
    expect(await search('"санкции против России"', 10)).toEqual(['in-order'])
    expect(await search('санкции против России', 10)).toEqual(expect.arrayContaining(['in-order', 'apart']))
  })
})
