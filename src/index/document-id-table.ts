/**
 * MiniSearch's two id maps of a loaded build (`_documentIds`: short id → id, `_idToShortId`:
 * id → short id), without a string or a Map entry per document. At 800,000 documents the two
 * Maps and their 800,000 id strings were most of what a full garbage collection marked
 * (about 50 of 80 ms after a load), and a swap holds two builds: while the new one loaded,
 * /health waited on the collector's steps.
 *
 * `LoadedDocumentIds` keeps the ids joined in pieces by short id, with where each ends, and
 * finds a short id by an open-addressing hash table of short ids (a typed array). The Map
 * views MiniSearch reads and writes (`DocumentIdsTable`, `ShortIdsTable`) hold the loaded
 * ids there and the documents added since in the Map itself, as StoredFieldsTable does.
 */
import { LoadedMap } from './loaded-map.js'

/** Ids of this many consecutive short ids are joined into one string. */
const IDS_PER_PIECE = 4096

export class LoadedDocumentIds {
  /** `pieces[k]`: the ids of short ids k × IDS_PER_PIECE on, joined (a short id without a document adds nothing). */
  private readonly pieces: string[] = []
  /** By short id: where its id ends in its piece. */
  private readonly ends: Uint32Array
  /** By short id: 1 while it holds a loaded document. */
  private readonly present: Uint8Array
  /** Open addressing by id hash: short id + 1, 0 where empty; a power of two long, at most half full. */
  private readonly slots: Int32Array
  private count = 0
  /** While loading: the ids of the piece being filled, and where its text ends so far. Ids are found only once all are loaded. */
  private filling: string[] = []
  private fillingChars = 0
  private lastShortId = -1

  /** For the ids of at most `documents` documents, with short ids below `nextId`. */
  constructor (nextId: number, documents: number) {
    this.ends = new Uint32Array(nextId)
    this.present = new Uint8Array(nextId)
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(Math.max(2, documents * 2))))
  }

  /** Adds a loaded document; short ids come in ascending order, as MiniSearch gives them out. */
  add (shortId: number, id: string): void {
    if (shortId <= this.lastShortId || shortId >= this.ends.length) throw new RangeError(`document short id ${shortId} is out of order or not below the index's next id ${this.ends.length}`)
    if (this.count * 2 >= this.slots.length) throw new RangeError(`more documents than the ${this.slots.length / 2} the index file announced`)
    while (this.pieces.length < Math.floor(shortId / IDS_PER_PIECE)) this.closePiece()
    this.endGap(shortId - (shortId % IDS_PER_PIECE), shortId)
    this.filling.push(id)
    this.fillingChars += id.length
    this.ends[shortId] = this.fillingChars
    this.present[shortId] = 1
    this.lastShortId = shortId
    this.count += 1
    this.slots[this.emptySlotFor(id)] = shortId + 1
  }

  /** Ends the load: the last pieces are joined. Lookups by id work from here on. */
  loaded (): void {
    while (this.pieces.length * IDS_PER_PIECE < this.ends.length) this.closePiece()
  }

  get size (): number {
    return this.count
  }

  has (shortId: number): boolean {
    return this.present[shortId] === 1
  }

  /** The id of a loaded document (a new string each time), undefined when there is none. */
  idOf (shortId: number): string | undefined {
    if (this.present[shortId] !== 1) return undefined
    return (this.pieces[Math.floor(shortId / IDS_PER_PIECE)] as string).slice(this.startOf(shortId), this.ends[shortId])
  }

  /** The short id of a loaded document's id, undefined when no loaded document has it. */
  shortIdOf (id: unknown): number | undefined {
    if (typeof id !== 'string') return undefined
    const mask = this.slots.length - 1
    for (let slot = hashOf(id) & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot] as number
      if (held === 0) return undefined
      // An id is loaded once: the one slot that holds it answers, removed or not.
      if (this.holds(held - 1, id)) return this.present[held - 1] === 1 ? held - 1 : undefined
    }
  }

  /** Forgets a loaded document (its slot stays, pointing at a short id no longer present); whether it was there. */
  remove (shortId: number): boolean {
    if (this.present[shortId] !== 1) return false
    this.present[shortId] = 0
    this.count -= 1
    return true
  }

  clear (): void {
    this.present.fill(0)
    this.count = 0
  }

  /** The loaded documents' short ids, ascending. */
  * shortIds (): Generator<number> {
    for (let shortId = 0; shortId < this.present.length; shortId += 1) if (this.present[shortId] === 1) yield shortId
  }

  private startOf (shortId: number): number {
    return shortId % IDS_PER_PIECE === 0 ? 0 : this.ends[shortId - 1] as number
  }

  /** Whether short id `shortId`'s id (present or removed) is `id`, compared where it lies. */
  private holds (shortId: number, id: string): boolean {
    const start = this.startOf(shortId)
    if ((this.ends[shortId] as number) - start !== id.length) return false
    return (this.pieces[Math.floor(shortId / IDS_PER_PIECE)] ?? '').startsWith(id, start)
  }

  /** The first empty slot on `id`'s probe sequence (ids in an index file are unique: none is compared). */
  private emptySlotFor (id: string): number {
    const mask = this.slots.length - 1
    let slot = hashOf(id) & mask
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask
    return slot
  }

  /** Short ids without a document in the piece filled (from `pieceStart`), up to `end`, end where the one before ended. */
  private endGap (pieceStart: number, end: number): void {
    for (let gap = Math.max(this.lastShortId + 1, pieceStart); gap < end; gap += 1) this.ends[gap] = this.fillingChars
  }

  /** Joins the piece being filled. */
  private closePiece (): void {
    const pieceStart = this.pieces.length * IDS_PER_PIECE
    this.endGap(pieceStart, Math.min(pieceStart + IDS_PER_PIECE, this.ends.length))
    this.pieces.push(this.filling.join(''))
    this.filling = []
    this.fillingChars = 0
  }
}

/** FNV-1a over the id's UTF-16 code units. */
function hashOf (id: string): number {
  let hash = 0x811c9dc5
  for (let at = 0; at < id.length; at += 1) hash = Math.imul(hash ^ id.charCodeAt(at), 0x01000193)
  return hash >>> 0
}

/**
 * MiniSearch's `_documentIds` of a loaded build. The two views share the loaded ids: deleting a
 * loaded document from either removes it from both (MiniSearch always deletes from both).
 */
export class DocumentIdsTable extends LoadedMap<unknown> {
  constructor (loaded: LoadedDocumentIds) {
    super(loaded, shortId => loaded.idOf(shortId))
  }
}

/** MiniSearch's `_idToShortId` of a loaded build: the other view of DocumentIdsTable's ids. */
export class ShortIdsTable extends Map<unknown, number> {
  constructor (private readonly loaded: LoadedDocumentIds) {
    super()
  }

  override get size (): number {
    return super.size + this.loaded.size
  }

  override get (id: unknown): number | undefined {
    return super.get(id) ?? this.loaded.shortIdOf(id)
  }

  override has (id: unknown): boolean {
    return super.has(id) || this.loaded.shortIdOf(id) !== undefined
  }

  override set (id: unknown, shortId: number): this {
    const loaded = this.loaded.shortIdOf(id)
    if (loaded !== undefined) this.loaded.remove(loaded)
    return super.set(id, shortId)
  }

  override delete (id: unknown): boolean {
    const loaded = this.loaded.shortIdOf(id)
    const removed = loaded !== undefined && this.loaded.remove(loaded)
    return super.delete(id) || removed
  }

  override clear (): void {
    this.loaded.clear()
    super.clear()
  }

  /** The loaded documents in short id order, then those added since. */
  override * entries (): MapIterator<[unknown, number]> {
    for (const shortId of this.loaded.shortIds()) yield [this.loaded.idOf(shortId), shortId]
    yield * super.entries()
  }

  override * keys (): MapIterator<unknown> {
    for (const [id] of this.entries()) yield id
  }

  override * values (): MapIterator<number> {
    yield * this.loaded.shortIds()
    yield * super.values()
  }

  override [Symbol.iterator] (): MapIterator<[unknown, number]> {
    return this.entries()
  }

  override forEach (visit: (shortId: number, id: unknown, map: Map<unknown, number>) => void, thisArg?: unknown): void {
    for (const [id, shortId] of this.entries()) visit.call(thisArg, shortId, id, this)
  }
}
