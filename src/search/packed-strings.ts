/**
 * A sorted list of strings kept joined in pieces, with where each ends: what a server keeps for as
 * long as a build is live (the headlines' words, the terms they spell), without an object
 * per string. At 800,000 documents the vocabulary's half a million words and terms, as
 * strings in arrays and Maps, were a third of every full collection's marking; here they
 * are a few hundred strings and a typed array, which the collector marks at once.
 *
 * Order is `Array.prototype.sort`'s for strings (UTF-16 code units), as `lowerBound` reads it.
 */
import { firstNotBelow } from '../index/lower-bound.js'

export class PackedStrings {
  /**
   * `pieces[k]` holds strings k × STRINGS_PER_PIECE on, joined; `ends[i]` is where string i
   * ends in its piece. No single string of them all: joining one of megabytes was a pause of
   * its own (24 ms at 800,000 documents).
   */
  private constructor (private readonly pieces: readonly string[], private readonly ends: Uint32Array) {}

  static readonly EMPTY = new PackedStrings([], new Uint32Array(0))

  /** Packs `sorted` (ascending), yielding between pieces. */
  static * pack (sorted: readonly string[]): Generator<undefined, PackedStrings> {
    const ends = new Uint32Array(sorted.length)
    const pieces: string[] = []
    for (let from = 0; from < sorted.length; from += STRINGS_PER_PIECE) {
      const piece = sorted.slice(from, from + STRINGS_PER_PIECE)
      let chars = 0
      for (const [offset, text] of piece.entries()) ends[from + offset] = chars += text.length
      pieces.push(piece.join(''))
      yield
    }
    return new PackedStrings(pieces, ends)
  }

  get length (): number {
    return this.ends.length
  }

  at (position: number): string {
    return this.pieceOf(position).slice(this.startOf(position), this.ends[position])
  }

  /** The first position whose string is not below `value` (`length` when all are below). */
  lowerBound (value: string): number {
    return firstNotBelow(this.length, at => this.compareAt(at, value) < 0)
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
    const start = this.startOf(position)
    return (this.ends[position] as number) - start >= prefix.length && this.pieceOf(position).startsWith(prefix, start)
  }

  /** The string at `position` compared with `value` by code units, as `<` compares them: negative when it sorts first. */
  private compareAt (position: number, value: string): number {
    const piece = this.pieceOf(position)
    const start = this.startOf(position)
    const length = (this.ends[position] as number) - start
    const common = Math.min(length, value.length)
    for (let at = 0; at < common; at += 1) {
      const difference = piece.charCodeAt(start + at) - value.charCodeAt(at)
      if (difference !== 0) return difference
    }
    return length - value.length
  }

  private pieceOf (position: number): string {
    return this.pieces[Math.floor(position / STRINGS_PER_PIECE)] as string
  }

  private startOf (position: number): number {
    return position % STRINGS_PER_PIECE === 0 ? 0 : this.ends[position - 1] as number
  }
}

/** Strings joined between yields while packing. */
const STRINGS_PER_PIECE = 4096
