/**
 * Documents' index terms, counted per field: what MiniSearch's `add` derives from a
 * document, computed apart from the index so that it can run in a worker thread and be
 * merged into the index once per (term, document) instead of once per word occurrence.
 *
 * The counts must equal MiniSearch 7.2's own `add` exactly (ranking depends on them): a
 * field's length is the number of distinct raw tokens (before term processing), and every
 * term of every token occurrence counts once. Terms are listed in the order they first
 * occur, which is the order `add` would insert them into the term dictionary.
 *
 * A batch is flat (typed arrays plus one list of the batch's distinct terms), so a worker
 * hands it over without copying, and the main thread looks each term up once per batch.
 */
import type { Analyzer } from '../analysis/analyzer.js'

export interface AnalysedBatch {
  /** The batch's distinct terms, in order of first occurrence. */
  terms: string[]
  /** Fields per document. */
  fieldCount: number
  /** Per document and field (document-major): distinct raw tokens, or -1 for an absent field. */
  fieldLengths: Int32Array
  /** Per document and field, in that order: pairs of (index into `terms`, occurrences). */
  postings: Uint32Array
  /** Per document and field: where its pairs end in `postings`, counted in pairs. */
  ends: Uint32Array
}

/** Field texts of each document, in SEARCH_FIELDS order; undefined for an absent field. */
export type DocumentFields = ReadonlyArray<string | undefined | null>

/** A distinct raw token of the batch: its terms (as batch term ids), and the last field it was counted in. */
interface TokenEntry {
  termIds: number[]
  lastSlot: number
}

export function analyseBatch (analyzer: Analyzer, documents: readonly DocumentFields[], fieldCount: number): AnalysedBatch {
  // Analysed once per distinct raw token of the batch, not per occurrence.
  const tokens = new Map<string, TokenEntry>()
  const termIds = new Map<string, number>()
  const fieldLengths = new Int32Array(documents.length * fieldCount)
  const ends = new Uint32Array(documents.length * fieldCount)
  let postings: Uint32Array = new Uint32Array(4096)
  let pairs = 0
  // Occurrences per batch term id within the current field; `lastSlotOf` marks which field they belong to.
  let counts: Uint32Array = new Uint32Array(1024)
  let lastSlotOf: Int32Array = new Int32Array(1024).fill(-1)
  const inField: number[] = []
  let slot = 0
  for (const fields of documents) {
    for (let field = 0; field < fieldCount; field += 1, slot += 1) {
      const text = fields[field]
      ends[slot] = pairs
      if (text == null) {
        fieldLengths[slot] = -1
        continue
      }
      let distinctTokens = 0
      inField.length = 0
      for (const token of analyzer.tokenize(text)) {
        let entry = tokens.get(token)
        if (entry === undefined) {
          const ids = analyzer.termsOf(token).map(term => {
            let id = termIds.get(term)
            if (id === undefined) termIds.set(term, id = termIds.size)
            return id
          })
          tokens.set(token, entry = { termIds: ids, lastSlot: -1 })
          if (termIds.size > counts.length) {
            counts = grownUint32(counts, termIds.size)
            lastSlotOf = grownSlots(lastSlotOf, termIds.size)
          }
        }
        if (entry.lastSlot !== slot) {
          entry.lastSlot = slot
          distinctTokens += 1
        }
        for (const id of entry.termIds) {
          if (lastSlotOf[id] !== slot) {
            lastSlotOf[id] = slot
            counts[id] = 0
            inField.push(id)
          }
          counts[id] = (counts[id] as number) + 1
        }
      }
      fieldLengths[slot] = distinctTokens
      if ((pairs + inField.length) * 2 > postings.length) postings = grownUint32(postings, (pairs + inField.length) * 2)
      for (const id of inField) {
        postings[pairs * 2] = id
        postings[pairs * 2 + 1] = counts[id] as number
        pairs += 1
      }
      ends[slot] = pairs
    }
  }
  return { terms: [...termIds.keys()], fieldCount, fieldLengths, postings: postings.slice(0, pairs * 2), ends }
}

/** A copy of `array` with room for at least `size` elements. */
function grownUint32 (array: Uint32Array, size: number): Uint32Array {
  const copy = new Uint32Array(Math.max(array.length * 2, size))
  copy.set(array)
  return copy
}

/** As grownUint32, new elements set to -1 (no field). */
function grownSlots (array: Int32Array, size: number): Int32Array {
  const copy = new Int32Array(Math.max(array.length * 2, size)).fill(-1)
  copy.set(array)
  return copy
}
