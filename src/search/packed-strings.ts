/**
 * A sorted list of strings kept as one string and their starts: what a server keeps for as
 * long as a build is live (the headlines' words, the terms they spell), without an object
 * per string. At 800,000 documents the vocabulary's half a million words and terms, as
 * strings in arrays and Maps, were a third of every full collection's marking; here they
 * are one string and a typed array, which the collector marks at once.
 *
 * Order is `Array.prototype.sort`'s for strings (UTF-16 code units), as `lowerBound` reads it.
 */
export class PackedStrings {
  private constructor (private readonly text: string, private readonly starts: Uint32Array) {}

  static readonly EMPTY = new PackedStrings('', new Uint32Array(1))

  /** Packs `sorted` (ascending), yielding between pieces: a build's words take a few ms. */
  static * pack (sorted: readonly string[]): Generator<undefined, PackedStrings> {
    const starts = new Uint32Array(sorted.length + 1)
    const pieces: string[] = []
    let chars = 0
    for (let from = 0; from < sorted.length; from += STRINGS_PER_PIECE) {
      const piece = sorted.slice(from, from + STRINGS_PER_PIECE)
      for (const [offset, text] of piece.entries()) {
        starts[from + offset] = chars
        chars += text.length
      }
      pieces.push(piece.join(''))
      yield
    }
    starts[sorted.length] = chars
    return new PackedStrings(pieces.join(''), starts)
  }

  get length (): number {
    return this.starts.length - 1
  }

  at (position: number): string {
    return this.text.slice(this.starts[position], this.starts[position + 1])
  }

  /** The first position whose string is not below `value` (`length` when all are below). */
  lowerBound (value: string): number {
    let low = 0
    let high = this.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.compareAt(middle, value) < 0) low = middle + 1
      else high = middle
    }
    return low
  }

  /** The position of `value`, or -1. */
  indexOf (value: string): number {
    const at = this.lowerBound(value)
    return at < this.length && this.compareAt(at, value) === 0 ? at : -1
  }

  has (value: string): boolean {
    return this.indexOf(value) >= 0
  }

  /** Whether the string at `position` starts with `prefix`. */
  startsWith (position: number, prefix: string): boolean {
    const start = this.starts[position] as number
    return (this.starts[position + 1] as number) - start >= prefix.length && this.text.startsWith(prefix, start)
  }

  /** The string at `position` compared with `value` by code units, as `<` compares them: negative when it sorts first. */
  private compareAt (position: number, value: string): number {
    const start = this.starts[position] as number
    const length = (this.starts[position + 1] as number) - start
    const common = Math.min(length, value.length)
    for (let at = 0; at < common; at += 1) {
      const difference = this.text.charCodeAt(start + at) - value.charCodeAt(at)
      if (difference !== 0) return difference
    }
    return length - value.length
  }
}

/** Strings joined between yields while packing. */
const STRINGS_PER_PIECE = 4096
