/**
 * The tokenizer's word boundaries found by a character scan instead of the Unicode-property
 * RegExp: snippets walk the whole body of every hit on every search, and the RegExp (with its
 * look-behind) plus one `{ text, start, end }` object per token was most of a query's time.
 * The rules are exactly those of `tokenize` (tests compare the two on random text): a token is
 * a run of letters, digits, marks and format characters; a hyphen joins two runs, and a comma
 * or point joins them between digits. Character classes come from the same Unicode properties,
 * tabulated once for the Basic Multilingual Plane.
 */

/**
 * Called with the offsets of each token, `text.slice(start, end)` being the token; `joined`
 * when it is several runs joined by hyphens or decimal marks. Returning `false` stops the scan.
 */
export type TokenVisitor = (start: number, end: number, joined: boolean) => boolean | void

const WORD = 1
const NUMBER = 2
const WORD_CHAR = /^[\p{L}\p{N}\p{M}\p{Cf}]$/u
const NUMBER_CHAR = /^\p{N}$/u

let bmpClasses: Uint8Array | undefined
const astralClasses = new Map<number, number>()

function classify (codePoint: number): number {
  const char = String.fromCodePoint(codePoint)
  return (WORD_CHAR.test(char) ? WORD : 0) | (NUMBER_CHAR.test(char) ? NUMBER : 0)
}

/** Built on first use (a few milliseconds), so processes that never scan do not pay for it. */
function bmpTable (): Uint8Array {
  if (bmpClasses !== undefined) return bmpClasses
  const table = new Uint8Array(0x10000)
  for (let code = 0; code < 0x10000; code += 1) {
    // Lone surrogates are never word characters; pairs are classified as whole code points.
    if (code < 0xD800 || code > 0xDFFF) table[code] = classify(code)
  }
  bmpClasses = table
  return table
}

function astralClassOf (codePoint: number): number {
  let found = astralClasses.get(codePoint)
  if (found === undefined) {
    found = classify(codePoint)
    astralClasses.set(codePoint, found)
  }
  return found
}

/** The UTF-16 units of a surrogate pair's lead, whose class is its code point's: read apart from the plain units. */
function isSurrogate (code: number): boolean {
  return (code & 0xF800) === 0xD800
}

function isHyphen (code: number): boolean {
  return code === 0x2D || code === 0x2010 || code === 0x2011
}

/**
 * Visits every token of `text` in order; the same tokens, at the same offsets, as `tokenize`.
 * Written for speed (it reads every character of every hit's body): one table lookup per
 * UTF-16 unit, code points decoded only at surrogates.
 */
export function scanTokens (text: string, visit: TokenVisitor): void {
  const table = bmpTable()
  const length = text.length
  let at = 0
  while (at < length) {
    let code = text.charCodeAt(at)
    let kind = table[code] as number
    let width = 1
    if (isSurrogate(code)) {
      code = text.codePointAt(at) as number
      if (code > 0xFFFF) {
        kind = astralClassOf(code)
        width = 2
      }
    }
    if ((kind & WORD) === 0) {
      at += width
      continue
    }
    const start = at
    let lastClass = kind
    let joined = false
    at += width
    // One run of word characters, then as many joined runs as follow.
    for (;;) {
      while (at < length) {
        code = text.charCodeAt(at)
        kind = table[code] as number
        width = 1
        if (isSurrogate(code)) {
          code = text.codePointAt(at) as number
          if (code > 0xFFFF) {
            kind = astralClassOf(code)
            width = 2
          }
        }
        if ((kind & WORD) === 0) break
        lastClass = kind
        at += width
      }
      if (at + 1 >= length) break
      const joiner = text.charCodeAt(at)
      const nextCode = text.codePointAt(at + 1) as number
      const next = nextCode > 0xFFFF ? astralClassOf(nextCode) : table[nextCode] as number
      const joins = isHyphen(joiner)
        ? (next & WORD) !== 0
        : (joiner === 0x2E || joiner === 0x2C) && (lastClass & NUMBER) !== 0 && (next & NUMBER) !== 0
      if (!joins) break
      joined = true
      at += 1
    }
    if (visit(start, at, joined) === false) return
  }
}
