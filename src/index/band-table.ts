/**
 * A build's documents by LSH band key (near-duplicates.ts): two parallel typed arrays sorted
 * by key, in which a live change looks up the candidate copies of a document it puts.
 *
 * A Map of band key → ids, as live changes first used, held an entry per band per
 * document: 25.6 million at 800,000 documents, past V8's limit for one Map (2^24 entries, a
 * RangeError on the first live change) and over a gigabyte of arrays. This table is 8 bytes
 * an entry, and keeps `LIVE_BANDS` of the 32 bands (100 MB at 800,000 documents): a pair at
 * the grouping threshold's similarity, 0.5, still shares one of 16 bands of 2 rows with
 * probability 1 − (1 − 0.5²)¹⁶ = 0.99, and a closer copy almost surely. The table is sorted by
 * radix sort (radix-sort.ts) and read by binary search.
 */
import { bandKey } from './near-duplicates.js'
import { sortingByKey } from './radix-sort.js'
import { runAtOnce } from './time-slicer.js'

/** The bands a live change looks copies up by (of `BANDS`). */
export const LIVE_BANDS = 16
/** Documents whose band keys are computed between the points where a sliced build may pause. */
const DOCUMENTS_BETWEEN_PAUSES = 4096

export class BandTable {
  private constructor (
    private readonly keys: Uint32Array,
    private readonly documents: Uint32Array,
    private readonly ids: readonly string[]
  ) {}

  static of (entries: Iterable<readonly [string, Uint32Array]>): BandTable {
    return runAtOnce(BandTable.making(entries))
  }

  /** `of` as a generator that yields every few thousand documents and within the sort, where the caller may pause. */
  static * making (entries: Iterable<readonly [string, Uint32Array]>): Generator<undefined, BandTable> {
    const ids: string[] = []
    const signatures: Uint32Array[] = []
    for (const [id, signature] of entries) {
      ids.push(id)
      signatures.push(signature)
      if (ids.length % DOCUMENTS_BETWEEN_PAUSES === 0) yield
    }
    const keys = new Uint32Array(ids.length * LIVE_BANDS)
    const documents = new Uint32Array(ids.length * LIVE_BANDS)
    for (let document = 0; document < signatures.length; document += 1) {
      const signature = signatures[document] as Uint32Array
      for (let band = 0; band < LIVE_BANDS; band += 1) {
        keys[document * LIVE_BANDS + band] = bandKey(signature, band)
        documents[document * LIVE_BANDS + band] = document
      }
      if (document % DOCUMENTS_BETWEEN_PAUSES === DOCUMENTS_BETWEEN_PAUSES - 1) yield
    }
    const sorted = yield * sortingByKey(keys, documents)
    return new BandTable(sorted.keys, sorted.values, ids)
  }

  /** The documents holding band key `key`. */
  idsWith (key: number): string[] {
    const found: string[] = []
    for (let at = this.firstAtLeast(key); at < this.keys.length && this.keys[at] === key; at += 1) {
      found.push(this.ids[this.documents[at] as number] as string)
    }
    return found
  }

  private firstAtLeast (key: number): number {
    let low = 0
    let high = this.keys.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((this.keys[middle] as number) < key) low = middle + 1
      else high = middle
    }
    return low
  }
}

/** The keys of a signature's first `LIVE_BANDS` bands. */
export function liveBandKeys (signature: Uint32Array): number[] {
  const keys: number[] = []
  for (let band = 0; band < LIVE_BANDS; band += 1) keys.push(bandKey(signature, band))
  return keys
}
