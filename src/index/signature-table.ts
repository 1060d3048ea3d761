/**
 * A build's near-duplicate signatures (near-duplicates.ts) by document id, until they are
 * grouped: rows of `SIGNATURE_BINS` numbers in chunks of 1 MB, in the order they were set.
 *
 * A Map of one Uint32Array per document held, beside each signature's 256 bytes, an array
 * buffer and two objects: at 800,000 documents about 130 MB more, at the build's peak. Chunks,
 * not one array doubled as it grows, since a doubling would hold both copies.
 */
import { SIGNATURE_BINS } from './near-duplicates.js'

const ROWS_PER_CHUNK = 4096

export class SignatureTable {
  private readonly chunks: Uint32Array[] = []
  /** Per row, its document; undefined once the document's signature was deleted or set again. */
  private ids: Array<string | undefined> = []
  private readonly rowOf = new Map<string, number>()

  get size (): number {
    return this.rowOf.size
  }

  /** Sets the document's signature: `SIGNATURE_BINS` numbers of `source` from `offset`. A signature set again moves to the end, as a Map's delete and set would. */
  set (id: string, source: Uint32Array, offset = 0): void {
    this.delete(id)
    const row = this.ids.length
    const chunk = Math.floor(row / ROWS_PER_CHUNK)
    if (chunk === this.chunks.length) this.chunks.push(new Uint32Array(ROWS_PER_CHUNK * SIGNATURE_BINS))
    ;(this.chunks[chunk] as Uint32Array).set(source.subarray(offset, offset + SIGNATURE_BINS), (row % ROWS_PER_CHUNK) * SIGNATURE_BINS)
    this.ids.push(id)
    this.rowOf.set(id, row)
  }

  delete (id: string): void {
    const row = this.rowOf.get(id)
    if (row === undefined) return
    this.ids[row] = undefined
    this.rowOf.delete(id)
  }

  /** Each document and its signature (a view of the table), in the order set. */
  * entries (): Generator<[string, Uint32Array]> {
    for (let row = 0; row < this.ids.length; row += 1) {
      const id = this.ids[row]
      if (id === undefined) continue
      const start = (row % ROWS_PER_CHUNK) * SIGNATURE_BINS
      yield [id, (this.chunks[Math.floor(row / ROWS_PER_CHUNK)] as Uint32Array).subarray(start, start + SIGNATURE_BINS)]
    }
  }

  clear (): void {
    this.chunks.length = 0
    this.ids = []
    this.rowOf.clear()
  }
}
