/**
 * Raw tokens numbered by their characters, looked up straight from the text they occur in.
 *
 * The hot loops of analysis meet the same tokens over and over (a build counts 7.2 M token
 * occurrences of rt but 275 k distinct tokens; a snippet re-reads the words of bodies seen
 * before). Looking a token up in a `Map<string, …>` costs a substring and a string hash per
 * occurrence; this table hashes the characters in place (FNV-1a over UTF-16 units) and
 * compares them against its own copy, so a repeated token costs neither. Callers keep what
 * they know of a token (its terms, counts) in arrays indexed by its number.
 */

const EMPTY = -1
/** Characters turned into a string at once by `textOf`. */
const TEXT_PIECE = 4096

export class TokenTable {
  // Open addressing, each slot holding a token number or EMPTY; at most half full.
  private slots: Int32Array
  private hashes: Int32Array
  private starts: Int32Array
  private lengths: Int32Array
  private chars: Uint16Array
  private charsUsed = 0
  private count = 0

  /** Sized for `expectedTokens` (a power of two) before it first grows: a build's counter expects many. */
  constructor (expectedTokens = 1 << 10) {
    this.slots = new Int32Array(expectedTokens * 4).fill(EMPTY)
    this.hashes = new Int32Array(expectedTokens)
    this.starts = new Int32Array(expectedTokens)
    this.lengths = new Int32Array(expectedTokens)
    this.chars = new Uint16Array(expectedTokens * 16)
  }

  /** Tokens numbered so far; a new token gets this number. */
  get size (): number {
    return this.count
  }

  /** The number of the token `text.slice(start, end)`, numbered on first sight (then it equals the old `size`). */
  numberOf (text: string, start: number, end: number): number {
    let hash = 0x811C9DC5 | 0
    for (let at = start; at < end; at += 1) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193)
    const length = end - start
    const mask = this.slots.length - 1
    let probe = hash & mask
    for (;;) {
      const token = this.slots[probe] as number
      if (token === EMPTY) break
      if (this.hashes[token] === hash && this.lengths[token] === length && this.sameChars(token, text, start)) return token
      probe = (probe + 1) & mask
    }
    const token = this.add(text, start, end, hash)
    this.slots[probe] = token
    if (this.count * 2 > this.slots.length) this.rehash()
    return token
  }

  /** The characters of token `token` as a string. */
  textOf (token: number): string {
    if (token < 0 || token >= this.count) throw new RangeError(`no token ${token}`)
    const from = this.starts[token] as number
    let text = ''
    // In pieces: a spread of a long token's characters would pass too many arguments.
    for (let at = from, end = from + (this.lengths[token] as number); at < end; at += TEXT_PIECE) {
      text += String.fromCharCode(...this.chars.subarray(at, Math.min(end, at + TEXT_PIECE)))
    }
    return text
  }

  private sameChars (token: number, text: string, start: number): boolean {
    const chars = this.chars
    const from = this.starts[token] as number
    const length = this.lengths[token] as number
    for (let at = 0; at < length; at += 1) if (chars[from + at] !== text.charCodeAt(start + at)) return false
    return true
  }

  private add (text: string, start: number, end: number, hash: number): number {
    const token = this.count++
    if (token >= this.hashes.length) {
      const size = this.hashes.length * 2
      this.hashes = grown(this.hashes, size)
      this.starts = grown(this.starts, size)
      this.lengths = grown(this.lengths, size)
    }
    const length = end - start
    if (this.charsUsed + length > this.chars.length) this.chars = grown(this.chars, this.charsUsed + length)
    for (let at = 0; at < length; at += 1) this.chars[this.charsUsed + at] = text.charCodeAt(start + at)
    this.hashes[token] = hash
    this.starts[token] = this.charsUsed
    this.lengths[token] = length
    this.charsUsed += length
    return token
  }

  private rehash (): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY)
    const mask = slots.length - 1
    for (let token = 0; token < this.count; token += 1) {
      let probe = (this.hashes[token] as number) & mask
      while (slots[probe] !== EMPTY) probe = (probe + 1) & mask
      slots[probe] = token
    }
    this.slots = slots
  }
}

export type TypedArray = Int32Array | Uint32Array | Uint16Array

/** A copy of `array` with room for at least `size` elements (at least twice as many). */
export function grown<A extends TypedArray> (array: A, size: number): A {
  const copy = new (array.constructor as new (length: number) => A)(Math.max(array.length * 2, size))
  copy.set(array)
  return copy
}
