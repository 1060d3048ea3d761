/**
 * The typed arrays a query's matches are held in (match-list, search's final scores), lent
 * from query to query instead of allocated for each. A frequent word matches half of a large
 * archive: 400,000 matches are 10 MB of arrays a query, and allocating that much outside the
 * V8 heap on every query made the collector run a scavenge every few queries ("external
 * memory pressure"), each costing milliseconds on a heap of a few gigabytes.
 *
 * A lease is taken for one search and returned when its response is built; results read
 * after that (none in the server) would see the next query's numbers, so a caller that keeps
 * results (the evaluation) takes no lease and gets arrays of its own.
 */

/** A query's match arrays, each `length` long (views of larger reused buffers). */
export interface MatchArrays {
  shortIds: Int32Array
  scores: Float64Array
  /** Per match, the number of its list of query terms (match-list.ts). */
  termListOf: Int32Array
  finalScores: Float64Array
  wordsMatched: Uint8Array
}

/** Spare buffer sets kept between queries; more queries at once allocate and their sets are dropped. */
const MAX_SPARE = 4

interface BufferSet {
  capacity: number
  int32: [Int32Array, Int32Array]
  float64: [Float64Array, Float64Array]
  uint8: Uint8Array
}

const spare: BufferSet[] = []

/** One search's arrays: `arrays(length)` may be asked once; `release` gives them back. */
export class MatchBufferLease {
  private set: BufferSet | undefined

  arrays (length: number): MatchArrays {
    if (this.set !== undefined) throw new Error('a lease lends one set of match arrays')
    const at = spare.findIndex(candidate => candidate.capacity >= length)
    const set = at === -1 ? newSet(length + (length >> 2)) : spare.splice(at, 1)[0] as BufferSet
    this.set = set
    return viewsOf(set, length)
  }

  release (): void {
    const set = this.set
    this.set = undefined
    if (set === undefined) return
    if (spare.length < MAX_SPARE) {
      spare.push(set)
      return
    }
    // Keep the larger sets: they serve every query the smaller ones would.
    const smallest = spare.reduce((low, candidate, at) => candidate.capacity < (spare[low] as BufferSet).capacity ? at : low, 0)
    if ((spare[smallest] as BufferSet).capacity < set.capacity) spare[smallest] = set
  }
}

/** Arrays of one's own, for a caller that keeps its results. */
export function ownArrays (length: number): MatchArrays {
  return viewsOf(newSet(length), length)
}

function viewsOf (set: BufferSet, length: number): MatchArrays {
  return {
    shortIds: set.int32[0].subarray(0, length),
    termListOf: set.int32[1].subarray(0, length),
    scores: set.float64[0].subarray(0, length),
    finalScores: set.float64[1].subarray(0, length),
    wordsMatched: set.uint8.subarray(0, length)
  }
}

function newSet (capacity: number): BufferSet {
  return {
    capacity,
    int32: [new Int32Array(capacity), new Int32Array(capacity)],
    float64: [new Float64Array(capacity), new Float64Array(capacity)],
    uint8: new Uint8Array(capacity)
  }
}
