import { describe, expect, it } from 'vitest'
import { collapseSpace, isSpace } from '../../src/corpus/collapse-space.js'

/** The two regular expressions and trim that collapseSpace replaces: it must give exactly their result. */
function byRegExps (text: string): string {
  return text.replace(/[ \t\u00a0]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim()
}

describe('collapseSpace', () => {
  it('treats as space exactly what \\s matches', () => {
    const differing: number[] = []
    for (let code = 0; code < 0x10000; code += 1) {
      if (isSpace(code) !== /\s/.test(String.fromCharCode(code))) differing.push(code)
    }
    expect(differing).toEqual([])
  })

  it('collapses blank runs to a space and runs with a line break to the break, trimming the ends', () => {
    expect(collapseSpace(' a \t\u00a0 b \n \n c\t')).toBe('a b\nc')
    expect(collapseSpace('Первая  строка\u00a0\r\n\u2028 вторая')).toBe('Первая строка\nвторая')
    expect(collapseSpace('a\u3000\u3000b\t \u2003c')).toBe('a\u3000\u3000b \u2003c')
    expect(collapseSpace('слово')).toBe('слово')
    expect(collapseSpace(' \n\t ')).toBe('')
  })

  it('agrees with the regular expressions on random mixes of letters and white space', () => {
    const alphabet = [' ', '\t', '\n', '\r', '\v', '\u00a0', '\u2028', '\u3000', '\ufeff', 'а', 'b']
    let seed = 7
    const next = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed >>> 16 }
    for (let sample = 0; sample < 20000; sample += 1) {
      let text = ''
      for (let length = next() % 12; length > 0; length -= 1) text += alphabet[next() % alphabet.length] as string
      expect(collapseSpace(text), JSON.stringify(text)).toBe(byRegExps(text))
    }
  })
})
