/**
 * Near-duplicate articles: the same text with small edits, another headline or another
 * source. A document's body is read as its analysed terms in order (stop words dropped,
 * each word reduced as the index reduces it), cut into shingles of `SHINGLE_TERMS`
 * consecutive words, and summarised by a MinHash signature; documents whose signatures
 * agree on at least `SIMILARITY_THRESHOLD` of their bins are copies of one another. The
 * headline is left out on purpose: a republished article often carries a new one.
 *
 * Written here rather than taken from npm: `minhash` (0.0.9) computes `(a × h + b) % p`
 * with 32-bit a and h in doubles, which loses the low bits past 2^53, hashes strings per
 * permutation, and its LSH index cannot remove a document (live changes must); `minhashjs`
 * is a CommonJS port with neither types nor removal. What is needed is small: one 32-bit
 * hash per shingle, one-permutation MinHash (Li, Owen & Zhang 2012: the hash's top bits pick
 * one of `SIGNATURE_BINS` bins, each keeps its minimum) densified by rotation (Shrivastava &
 * Li 2014: an empty bin borrows the next non-empty bin's value, marked with the distance),
 * so a body costs one hash per word instead of one per word and bin; and LSH banding.
 */

import { sortByKey } from './radix-sort.js'

/** Consecutive analysed words per shingle. */
export const SHINGLE_TERMS = 4
/** Bins of a signature: its length in 32-bit values. */
export const SIGNATURE_BINS = 64
/**
 * LSH bands × rows per band = the signature's bins. Two documents are compared when some band
 * of theirs is equal: with 2 rows, a pair at similarity 0.5 shares a band with probability
 * 1 − (1 − 0.5²)³² ≈ 0.9999 (16 bands of 4 rows: 0.64, which missed a fifth of rt's planted
 * copies at 0.5–0.6), at 0.05 with 0.08 — a comparison of 64 numbers each.
 */
export const BANDS = 32
export const ROWS = SIGNATURE_BINS / BANDS
/**
 * Documents whose signatures agree on this share of bins are copies (the estimated Jaccard
 * similarity of their shingle sets). Measured on rt with planted copies (docs/RELEVANCE.md):
 * 5% of the words replaced leaves a 4-word shingle set ≈ 0.7 similar; unrelated articles on
 * one topic share almost no 4-word shingles.
 */
export const SIMILARITY_THRESHOLD = 0.5
/** Bodies with fewer shingles are never grouped: a two-line body («Видео») says too little. */
export const MIN_SHINGLES = 50

const VALUE_BITS = 32 - Math.log2(SIGNATURE_BINS)
const VALUE_MASK = (1 << VALUE_BITS) - 1
const EMPTY = 0xffffffff

/** murmur3's 32-bit finaliser: every input bit moves every output bit. */
export function mix32 (value: number): number {
  let h = value >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A 32-bit hash of a raw token's terms, never 0 (0 stands for a token without terms: a stop word). */
export function termsHash (terms: readonly string[], from = 0, to = terms.length): number {
  if (to <= from) return 0
  let h = 0x811c9dc5
  for (let at = from; at < to; at += 1) {
    const term = terms[at] as string
    for (let char = 0; char < term.length; char += 1) h = Math.imul(h ^ term.charCodeAt(char), 0x01000193)
    h = Math.imul(h ^ 0x1f, 0x01000193) // between terms: «а б» and «аб» differ
  }
  return mix32(h) || 1
}

/**
 * Builds one signature from the token hashes of a body, in text order (0s — stop words — are
 * skipped). Reused across documents: `reset`, `push`…, `finish`.
 */
export class SignatureBuilder {
  private readonly bins = new Uint32Array(SIGNATURE_BINS)
  private readonly window = new Uint32Array(SHINGLE_TERMS)
  private words = 0

  constructor () {
    this.reset()
  }

  reset (): void {
    this.bins.fill(EMPTY)
    this.words = 0
  }

  push (tokenHash: number): void {
    if (tokenHash === 0) return
    this.window[this.words % SHINGLE_TERMS] = tokenHash
    this.words += 1
    if (this.words >= SHINGLE_TERMS) this.addShingle(this.words - SHINGLE_TERMS)
  }

  /**
   * Writes the signature into `out` at `at` and returns the body's shingle count; a body
   * of fewer than `MIN_SHINGLES` gets none (`out` is left as it is) and 0 is returned.
   */
  finish (out: Uint32Array, at = 0): number {
    const shingles = Math.max(0, this.words - SHINGLE_TERMS + 1)
    if (shingles < MIN_SHINGLES) return 0
    densify(this.bins)
    out.set(this.bins, at)
    return shingles
  }

  /** The shingle of the `SHINGLE_TERMS` words from the `first`-th, in order. */
  private addShingle (first: number): void {
    let h = 0x9747b28c
    for (let word = 0; word < SHINGLE_TERMS; word += 1) {
      h = Math.imul(h ^ (this.window[(first + word) % SHINGLE_TERMS] as number), 0x9e3779b1)
      h = (h << 13) | (h >>> 19)
    }
    h = mix32(h)
    const bin = h >>> VALUE_BITS
    const value = h & VALUE_MASK
    if (value < (this.bins[bin] as number)) this.bins[bin] = value
  }
}

/** Each empty bin takes the next non-empty bin's value (circularly), with the distance in the top bits. */
function densify (bins: Uint32Array): void {
  const size = bins.length
  let filled = -1
  for (let at = 0; at < size; at += 1) if (bins[at] !== EMPTY) { filled = at; break }
  if (filled < 0) return
  const original = bins.slice()
  for (let at = 0; at < size; at += 1) {
    if (original[at] !== EMPTY) continue
    let distance = 1
    while (original[(at + distance) % size] === EMPTY) distance += 1
    bins[at] = ((distance << VALUE_BITS) | (original[(at + distance) % size] as number)) >>> 0
  }
}

/** The signature of a text's token hashes in order (tests, live changes); undefined when too short. */
export function signatureOf (tokenHashes: Iterable<number>): Uint32Array | undefined {
  const builder = new SignatureBuilder()
  for (const hash of tokenHashes) builder.push(hash)
  const out = new Uint32Array(SIGNATURE_BINS)
  return builder.finish(out) === 0 ? undefined : out
}

/** The share of bins two signatures agree on: an estimate of their shingle sets' Jaccard similarity. */
export function similarity (a: Uint32Array, b: Uint32Array): number {
  let same = 0
  for (let at = 0; at < SIGNATURE_BINS; at += 1) if (a[at] === b[at]) same += 1
  return same / SIGNATURE_BINS
}

/**
 * `similarity(a, b) >= threshold`, stopping as soon as the answer is known. Most pairs a
 * large bucket proposes are not copies (in a Lenta-shaped build of 200,000, 2–5 % in its
 * buckets of thousands, which share a common phrase), and those are settled once half the bins
 * disagree: grouping the 200,000 took 9.1 s instead of 10.7–11.5 s, with the same groups.
 */
export function isSimilar (a: Uint32Array, b: Uint32Array, threshold: number): boolean {
  // Exact: a threshold times a power of two is exact, and so is a count over one.
  const needed = Math.ceil(threshold * SIGNATURE_BINS)
  let same = 0
  for (let at = 0; at < SIGNATURE_BINS; at += 1) {
    if (a[at] === b[at]) {
      same += 1
      if (same >= needed) return true
    } else if (same + SIGNATURE_BINS - 1 - at < needed) {
      return false
    }
  }
  return same >= needed
}

/** The LSH key of each band: documents sharing one are compared. */
export function bandKeys (signature: Uint32Array): number[] {
  const keys: number[] = []
  for (let band = 0; band < BANDS; band += 1) keys.push(bandKey(signature, band))
  return keys
}

/** The LSH key of one band of a signature: its rows hashed, 30 bits. */
export function bandKey (signature: Uint32Array, band: number): number {
  let h = mix32(band + 1)
  for (let row = band * ROWS; row < (band + 1) * ROWS; row += 1) h = mix32(h ^ (signature[row] as number))
  // 30 bits: a small integer to V8 (a Map hashes it several times faster than a 32-bit heap number), two radix digits.
  return h >>> 2
}

/**
 * A bucket of documents sharing a band key, past this size, is split by a further band's key
 * before its pairs are compared (`Grouping.compareBucket`). A phrase common to thousands of
 * articles wins the same bins in all of them: in a Lenta-shaped build of 200,000, buckets of
 * up to 3,953 documents, few of them copies. Comparing every pair took 218 s of an 800,000
 * build; split, 20 s. The groups were the same at 200,000; at 800,000 one of 2,428 groups came
 * out as four, with the same members. Copies share most of their bands, so they still meet.
 */
export const MAX_BUCKET = 1000

/**
 * Groups documents by their signatures (`signatures[i]` is document i's, undefined for none):
 * LSH banding proposes pairs, the estimated similarity confirms them, and union-find joins
 * confirmed pairs into groups. Returns per document its group's number (-1 for none) and
 * the groups' members in document order, only groups of two or more.
 *
 * A band at a time: its keys, one per signed document, sorted (radix-sort.ts), and the
 * documents in each run of equal keys compared (a run past `MAX_BUCKET` split first). A Map of every band's keys held 32 entries a
 * document, past V8's limit for a Map (2^24) at 525,000 documents: an 800,000-document build
 * failed there. The groups do not depend on the order pairs are confirmed in.
 */
export function groupSignatures (signatures: ReadonlyArray<Uint32Array | undefined>, threshold = SIMILARITY_THRESHOLD): { groupOf: Int32Array, groups: number[][] } {
  const grouping = new Grouping(signatures, threshold)
  const signed = new Uint32Array(signatures.length)
  let count = 0
  signatures.forEach((signature, at) => { if (signature !== undefined) signed[count++] = at })
  const documents = signed.subarray(0, count)
  for (let band = 0; band < BANDS; band += 1) {
    for (const bucket of grouping.bucketsOf(documents, band)) grouping.compareBucket(bucket, band, 1)
  }
  return groupsOf(signatures.length, grouping.find)
}

/** The union-find of one `groupSignatures` call, and how it compares a bucket. */
class Grouping {
  private readonly parent: Int32Array

  constructor (private readonly signatures: ReadonlyArray<Uint32Array | undefined>, private readonly threshold: number) {
    this.parent = Int32Array.from({ length: signatures.length }, (_, at) => at)
  }

  /** The root of a document's group (path halving). */
  readonly find = (at: number): number => {
    const parent = this.parent
    while (parent[at] !== at) {
      parent[at] = parent[parent[at] as number] as number
      at = parent[at] as number
    }
    return at
  }

  /** The runs of two or more `documents` with equal keys in `band`. */
  * bucketsOf (documents: Uint32Array, band: number): Generator<Uint32Array> {
    const keys = new Uint32Array(documents.length)
    documents.forEach((document, at) => { keys[at] = bandKey(this.signatureOf(document), band) })
    const sorted = sortByKey(keys, documents)
    for (let start = 0; start < documents.length;) {
      let end = start + 1
      while (end < documents.length && sorted.keys[end] === sorted.keys[start]) end += 1
      if (end - start > 1) yield sorted.values.subarray(start, end)
      start = end
    }
  }

  /**
   * Joins the similar pairs of a bucket of documents that share `band` and the `depth - 1`
   * bands after it. Past `MAX_BUCKET`, documents with equal signatures are joined and stand
   * for one another (thousands of copies of one article are one document to compare), and if
   * that leaves too many, the bucket is split by the next band.
   */
  compareBucket (bucket: Uint32Array, band: number, depth: number): void {
    if (bucket.length <= MAX_BUCKET) return this.compareAllPairs(bucket)
    const distinct = this.joinEqualSignatures(bucket)
    if (distinct.length <= MAX_BUCKET || depth >= BANDS) return this.compareAllPairs(distinct)
    for (const smaller of this.bucketsOf(distinct, (band + depth) % BANDS)) this.compareBucket(smaller, band, depth + 1)
  }

  private compareAllPairs (bucket: Uint32Array): void {
    for (let at = 1; at < bucket.length; at += 1) {
      const document = bucket[at] as number
      for (let before = 0; before < at; before += 1) this.joinIfSimilar(document, bucket[before] as number)
    }
  }

  /** Whether the two are in one group now, joined here if they were not and are similar. */
  private joinIfSimilar (document: number, other: number): boolean {
    const a = this.find(document)
    const b = this.find(other)
    if (a === b) return true
    if (!isSimilar(this.signatureOf(document), this.signatureOf(other), this.threshold)) return false
    this.parent[Math.max(a, b)] = Math.min(a, b)
    return true
  }

  /** Joins documents with equal signatures; returns the first of each signature. A document equal to another is compared as that one is. */
  private joinEqualSignatures (bucket: Uint32Array): Uint32Array {
    const firstByHash = new Map<number, number[]>()
    return bucket.filter(document => {
      const signature = this.signatureOf(document)
      const hash = signatureHash(signature)
      const firsts = firstByHash.get(hash)
      const equal = firsts?.find(first => sameSignature(this.signatureOf(first), signature))
      if (equal !== undefined) {
        this.joinIfSimilar(document, equal)
        return false
      }
      if (firsts === undefined) firstByHash.set(hash, [document])
      else firsts.push(document)
      return true
    })
  }

  private signatureOf (document: number): Uint32Array {
    return this.signatures[document] as Uint32Array
  }
}

function signatureHash (signature: Uint32Array): number {
  let h = 0
  for (const value of signature) h = mix32(h ^ value)
  return h
}

function sameSignature (a: Uint32Array, b: Uint32Array): boolean {
  for (let at = 0; at < SIGNATURE_BINS; at += 1) if (a[at] !== b[at]) return false
  return true
}

function groupsOf (count: number, find: (at: number) => number): { groupOf: Int32Array, groups: number[][] } {
  const byRoot = new Map<number, number[]>()
  for (let at = 0; at < count; at += 1) {
    const root = find(at)
    const members = byRoot.get(root)
    if (members === undefined) byRoot.set(root, [at])
    else members.push(at)
  }
  const groupOf = new Int32Array(count).fill(-1)
  const groups: number[][] = []
  for (const members of byRoot.values()) {
    if (members.length < 2) continue
    for (const member of members) groupOf[member] = groups.length
    groups.push(members)
  }
  return { groupOf, groups }
}
