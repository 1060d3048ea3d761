/**
 * MiniSearch's `_fieldLength` of a loaded build (short id → each field's length in tokens):
 * the loaded documents' lengths in an array by short id, behind the Map MiniSearch uses
 * (a `LoadedMap`; documents added since live in the Map itself). The arrays are shared by
 * every document of the same lengths (shared-arrays.ts).
 *
 * Why not the Map itself: filled with 800,000 documents at load, V8 doubled its hash table
 * at each power of two, and the copy at 2^19 entries held the event loop for 45–50 ms in one
 * piece, a load's longest; the array is allocated once, at its full size.
 */
import { LoadedMap, type LoadedPart } from './loaded-map.js'

export class LoadedFieldLengths implements LoadedPart {
  /** By short id: the document's lengths by field id, undefined for none. */
  private readonly lengths: Array<number[] | undefined>
  private count = 0

  /** `nextId`: every loaded short id is below it. */
  constructor (nextId: number) {
    this.lengths = new Array<number[] | undefined>(nextId)
  }

  add (shortId: number, lengths: number[]): void {
    if (shortId >= this.lengths.length) throw new RangeError(`short id ${shortId} is past the ${this.lengths.length} the table was made for`)
    if (this.lengths[shortId] === undefined) this.count += 1
    this.lengths[shortId] = lengths
  }

  lengthsOf (shortId: number): number[] | undefined {
    return this.lengths[shortId]
  }

  get size (): number {
    return this.count
  }

  has (shortId: number): boolean {
    return this.lengths[shortId] !== undefined
  }

  remove (shortId: number): boolean {
    if (this.lengths[shortId] === undefined) return false
    this.lengths[shortId] = undefined
    this.count -= 1
    return true
  }

  clear (): void {
    this.lengths.fill(undefined)
    this.count = 0
  }

  * shortIds (): Iterable<number> {
    for (let shortId = 0; shortId < this.lengths.length; shortId += 1) if (this.lengths[shortId] !== undefined) yield shortId
  }
}

export class FieldLengthsTable extends LoadedMap<number[]> {
  constructor (loaded: LoadedFieldLengths) {
    super(loaded, shortId => loaded.lengthsOf(shortId))
  }
}
