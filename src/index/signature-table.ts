/**
 * A build's near-duplicate signatures (near-duplicates.ts) by document id, until they are
 * grouped: rows of `SIGNATURE_BINS` numbers in chunks of 1 MB, in the order they were set.
 *
 * A Map of one Uint32Array per document held, beside each signature's 256 bytes, an array
 * buffer and two objects: at 800,000 documents about 130 MB more, at the build's peak. Chunks,
 * not one array doubled as it grows, since a doubling would hold both copies.
 *
 * Given a scratch file, each chunk is written there once full, and read back when the rows are
 * grouped: at 800,000 documents the rows are 205 MB that the build held through its corpus and
 * the suggestion table's end, its peak, though only the grouping after them reads them.
 */
import { SIGNATURE_BINS } from './near-duplicates.js'
import type { SpillFile } from './spill-file.js'

const ROWS_PER_CHUNK = 4096
const CHUNK_VALUES = ROWS_PER_CHUNK * SIGNATURE_BINS

export class SignatureTable {
  /** Chunks in memory; those written out are undefined until read back. */
  private chunks: Array<Uint32Array | undefined> = []
  /** Per row, its document; undefined once the document's signature was deleted or set again. */
  private ids: Array<string | undefined> = []
  private readonly rowOf = new Map<string, number>()
  /** The chunks written out, read back whole by the first `entries`. */
  private chunksWritten = 0

  /** `scratch`: where full chunks are kept until `entries` (a build's temporary folder); all in memory without it. */
  constructor (private readonly scratch?: SpillFile) {}

  get size (): number {
    return this.rowOf.size
  }

  /** Sets the document's signature: `SIGNATURE_BINS` numbers of `source` from `offset`. A signature set again moves to the end, as a Map's delete and set would. */
  set (id: string, source: Uint32Array, offset = 0): void {
    this.delete(id)
    const row = this.ids.length
    const chunk = Math.floor(row / ROWS_PER_CHUNK)
    if (chunk === this.chunks.length) this.chunks.push(new Uint32Array(CHUNK_VALUES))
    ;(this.chunks[chunk] as Uint32Array).set(source.subarray(offset, offset + SIGNATURE_BINS), (row % ROWS_PER_CHUNK) * SIGNATURE_BINS)
    this.ids.push(id)
    this.rowOf.set(id, row)
    if (row % ROWS_PER_CHUNK === ROWS_PER_CHUNK - 1) this.writeOut(chunk)
  }

  delete (id: string): void {
    const row = this.rowOf.get(id)
    if (row === undefined) return
    this.ids[row] = undefined
    this.rowOf.delete(id)
  }

  /** Each document and its signature (a view of the table), in the order set. */
  * entries (): Generator<[string, Uint32Array]> {
    this.readBack()
    for (let row = 0; row < this.ids.length; row += 1) {
      const id = this.ids[row]
      if (id === undefined) continue
      const start = (row % ROWS_PER_CHUNK) * SIGNATURE_BINS
      yield [id, (this.chunks[Math.floor(row / ROWS_PER_CHUNK)] as Uint32Array).subarray(start, start + SIGNATURE_BINS)]
    }
  }

  clear (): void {
    this.chunks = []
    this.ids = []
    this.rowOf.clear()
  }

  /** Deletes the scratch file if it was not read back: after a failed build. */
  async removeScratch (): Promise<void> {
    await this.scratch?.remove()
  }

  /** A full chunk, written out (with every full one before it, in order) when there is a scratch file. */
  private writeOut (chunk: number): void {
    const scratch = this.scratch
    if (scratch === undefined || chunk !== this.chunksWritten) return
    const values = this.chunks[chunk] as Uint32Array
    scratch.append(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    this.chunks[chunk] = undefined
    this.chunksWritten += 1
  }

  /** The chunks written out, back in memory: views of one buffer read whole, the file then deleted. */
  private readBack (): void {
    if (this.scratch === undefined || this.chunksWritten === 0 || this.chunks[0] !== undefined) return
    const bytes = this.scratch.drain()
    // A Uint32Array needs an offset that is a multiple of 4; a buffer of Node's pool may not have one.
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes)
    for (let chunk = 0; chunk < this.chunksWritten; chunk += 1) {
      this.chunks[chunk] = new Uint32Array(aligned.buffer, aligned.byteOffset + chunk * CHUNK_VALUES * 4, CHUNK_VALUES)
    }
  }
}
