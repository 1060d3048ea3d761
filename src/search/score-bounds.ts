/**
 * An upper bound of every match's final score, found without scoring: what lets a query rank
 * only the matches that can reach its page (search.ts's `pageOfBest`; MaxScore's idea, with
 * impact levels of whole posting lists instead of blocks). At 800,000 documents «выборы
 * президента россии 2018» matches 548,336 documents, and ranking every one of them was most of
 * the query's time; 1,869 of them can reach its first page.
 *
 * A query is cut into units (unitsOf), most often a term in one field at one level of its BM25
 * term-frequency part («выборы» in the body, the part between 2 and 2.8). Per unit: its documents, a bitset,
 * and the highest weighted BM25 score one of them has from it (one pass over the postings, as
 * the scorer's, without its writes). A document's bound is the sum over the units it holds,
 * times the coordination factor of the words they are terms of, times its own title coverage
 * factor: each a factor of its final score (search.ts's findAll), so no document scores above
 * its bound. Documents that hold the same units share a bound.
 *
 * The bitsets give the query's matches and those holding every word too (match-universe's
 * totals, counted the same way: a word is held when one of its terms is in a field its leaves
 * search).
 */
import type MiniSearch from 'minisearch'
import { internalsOf, type IndexInternals } from '../index/minisearch-internals.js'
import type { IndexedDocument } from '../index/minisearch-options.js'
import { LazyTermData, type FieldPostingArrays } from '../index/term-data.js'
import { ITEMS_BETWEEN_PAUSES } from '../index/time-slicer.js'
import type { Bm25Params } from './ranking.js'
import type { PlannedWord } from './query-plan.js'
import { and, bitCount, DocumentSet, or, universeOfHeld, WordCounts, type MatchUniverse } from './match-universe.js'
import { inverseDocumentFrequency, lengthColumns } from './score-query.js'

/** What a query's final scores are made of (search.ts's findAll), as far as bounding them needs. */
export interface BoundedQuery {
  words: readonly PlannedWord[]
  /** The shape's field weights and BM25 parameters, as scoring is given them. */
  boost: Readonly<Record<string, number>>
  bm25: Bm25Params
  /** A term's weight (scoring's `boostTerm`). */
  termWeight: (term: string) => number
  /** The final score's factor for a document holding `words` of the query's words. */
  factorOf: (words: number) => number
  /** Title coverage's weight, and each document's coverage (title-coverage.ts's byShortId; none: no headline holds every word). */
  titleCoverage: { weight: number, byShortId: Float64Array | undefined }
}

export interface ScoreBounds extends MatchUniverse {
  /** About `count` matches of high bound: the seed of a ranking (see UnitBounds#highest). */
  highest: (count: number) => Generator<void, DocumentSet, undefined>
  /** The matches whose bound reaches `threshold`, and how many of them `besides` does not hold. */
  reaching: (threshold: number, besides: DocumentSet) => Generator<void, { documents: DocumentSet, notBesides: number }, undefined>
}

/** Units are bits of a mask. */
const MAX_UNITS = 31

/**
 * Covers the rounding of sums taken in another order than the scorer's (a relative error near
 * 1e-15 for a few dozen terms): a bound is never below the score it bounds.
 */
const ROUNDING_SLACK = 1 + 1e-9

/**
 * A part of the query's postings: who holds it, and the most one of them scores from it. Most
 * often a term in one field at one level of score (below); when the query has too many terms
 * for that, a word in one field.
 */
interface Unit {
  documents: DocumentSet
  bound: number
  /** The words its documents may hold, as bits (a term's: every word it is a term of, which a match of it holds). */
  wordBits: number
  /** Units of one group are levels of one term in one field: a document holds at most one of them. */
  group: number
}

/**
 * The bounds of `query`'s matches (those `accept` keeps), yielding between pieces of postings;
 * undefined when they cannot be had: not MiniSearch's own index shape, a negative weight, or
 * more units than a mask holds.
 */
export function * scoreBounds (miniSearch: MiniSearch<IndexedDocument>, query: BoundedQuery, accept?: (shortId: number) => boolean): Generator<void, ScoreBounds | undefined, undefined> {
  const index = internalsOf(miniSearch)
  if (index === undefined || query.words.length === 0 || !(query.titleCoverage.weight >= 0)) return undefined
  const columns = yield * lengthColumns(miniSearch, index)
  const made = yield * unitsOf(index, query, columns, levelCacheOf(miniSearch))
  if (made === undefined) return undefined
  const { units, holders } = made
  const { matches, allWords, held } = yield * universeOf(index, query.words.length, holders, accept)
  const bounds = new UnitBounds(units, query, new WordCounts(index.nextId, held))
  return {
    matches,
    allWords,
    highest: count => bounds.highest(matches, count),
    reaching: (threshold, besides) => bounds.reaching(matches, threshold, besides)
  }
}

/**
 * The longest posting list of the query's terms in a field they are searched in: at most as
 * many documents as the query matches, read before anything is bounded (the lists are decoded
 * as scoring would decode them).
 */
export function longestPostingList (miniSearch: MiniSearch<IndexedDocument>, words: readonly PlannedWord[]): number {
  const index = internalsOf(miniSearch)
  if (index === undefined) return 0
  let longest = 0
  for (const word of words) {
    const fieldIds = word.field === 'title' ? [index.fieldIds.title as number] : index.options.fields.map(field => index.fieldIds[field] as number)
    for (const term of word.terms.keys()) {
      const data = index.termTree.get(term)
      if (data === undefined) continue
      const arrays = data instanceof LazyTermData ? data.postingArrays() : undefined
      for (const fieldId of fieldIds) {
        const postings = arrays === undefined ? data.get(fieldId)?.size ?? 0 : arrays.find(entry => entry.fieldId === fieldId)?.documents.length ?? 0
        if (postings > longest) longest = postings
      }
    }
  }
  return longest
}

/** A term searched in one field, by one or more of the query's words. */
interface TermInField {
  term: string
  fieldId: number
  /** Its leaves' weight (term weight × field boost): the same in each word holding it. */
  weight: number
  /** How many words hold it: each scores it as a leaf of its own. */
  leaves: number
  wordBits: number
}

/** Documents that hold every one of some words (a term's holders hold every word it is a term of). */
interface Holders {
  documents: DocumentSet
  wordBits: number
}

/**
 * The query's units (see Unit), and who holds which words. A term's postings in a field are split by their score: the
 * BM25 term-frequency part, in levels a factor of √2 apart from 1 up (LEVEL_OF_ONE), the
 * levels below 1 together, and each level's bound is the highest score in it. Most of a
 * frequent word's postings score near 1 and few far above, so most of its documents get a
 * bound near their score, where one bound per term would be the highest of all of them.
 *
 * A mask has 31 bits: each term in a field gets one unit, and the bits left go to those with
 * the most postings per unit (levels merged where the fewest postings lose by it). With more
 * terms in fields than bits, a unit is a word in a field, its terms at their highest.
 */
function * unitsOf (index: IndexInternals<IndexedDocument>, query: BoundedQuery, columns: Uint32Array[], cache: LevelCache): Generator<void, { units: Unit[], holders: Holders[] } | undefined, undefined> {
  const searched = termsInFields(index, query)
  if (searched === undefined) return undefined
  const read: TermLevels[] = []
  for (const one of searched) read.push(yield * cachedTermLevels(index, one, columns[one.fieldId] as Uint32Array, query.bm25, cache))
  if (searched.length > MAX_UNITS) {
    const units = wordUnits(index, query, searched, read)
    // A word unit's documents hold one of its terms, not each: which words they hold is read from the terms'.
    const holders = read.map((levels, at): Holders => {
      const documents = new DocumentSet(index.nextId)
      fillUnits(levels, new Int8Array(MAX_LEVELS), [documents.bits])
      return { documents, wordBits: (searched[at] as TermInField).wordBits }
    })
    return units === undefined ? undefined : { units, holders }
  }
  const budgets = unitBudgets(read.map((levels, at) => levels.postings * (searched[at] as TermInField).weight * levels.invDocFreq * Math.max(...levels.best)))
  const units = read.flatMap((levels, group) => {
    const { weight, leaves, wordBits } = searched[group] as TermInField
    const merged = mergedToBudget(levels, budgets[group] as number)
    const units = merged.map(({ best }): Unit => ({ documents: new DocumentSet(index.nextId), bound: leaves * weight * levels.invDocFreq * best, wordBits, group }))
    const unitOfLevel = new Int8Array(MAX_LEVELS)
    merged.forEach(({ levels: merging }, at) => { for (const level of merging) unitOfLevel[level] = at })
    fillUnits(levels, unitOfLevel, units.map(unit => unit.documents.bits))
    return units
  })
  return { units, holders: units }
}

/**
 * Units per term in a field: one each, and the bits left one at a time to the one with the most
 * postings × highest score per unit it has (a long list of high bound is what a split
 * narrows most; one of low bound is left out of the ranking whole anyway).
 */
function unitBudgets (postings: readonly number[]): number[] {
  const budgets = postings.map(() => 1)
  for (let left = MAX_UNITS - postings.length; left > 0; left -= 1) {
    let most = -1
    for (let at = 0; at < postings.length; at += 1) {
      if ((budgets[at] as number) < MAX_LEVELS && (most < 0 || (postings[at] as number) / (budgets[at] as number) > (postings[most] as number) / (budgets[most] as number))) most = at
    }
    if (most < 0) break
    budgets[most] = (budgets[most] as number) + 1
  }
  return budgets
}

/**
 * A term's levels (lowest first) merged into at most `budget`: empty ones dropped, then the two
 * neighbours with the fewest postings between them merged until they fit (their documents get
 * the higher bound). A frequent term's crowded low levels stay apart; its few high ones merge.
 */
function mergedToBudget ({ counts, best }: TermLevels, budget: number): Array<{ levels: number[], count: number, best: number }> {
  const merged = [...counts.keys()].filter(level => (counts[level] as number) > 0).map(level => ({ levels: [level], count: counts[level] as number, best: best[level] as number }))
  while (merged.length > budget) {
    let cheapest = 0
    for (let at = 1; at + 1 < merged.length; at += 1) {
      if ((merged[at] as { count: number }).count + (merged[at + 1] as { count: number }).count < (merged[cheapest] as { count: number }).count + (merged[cheapest + 1] as { count: number }).count) cheapest = at
    }
    const [lower, upper] = merged.slice(cheapest, cheapest + 2) as [typeof merged[number], typeof merged[number]]
    merged.splice(cheapest, 2, { levels: [...lower.levels, ...upper.levels], count: lower.count + upper.count, best: Math.max(lower.best, upper.best) })
  }
  return merged
}

/** Sets each level's documents in its unit: a dense level's bitset OR'd in, a sparse one's ids one by one. */
function fillUnits ({ levels }: TermLevels, unitOfLevel: Int8Array, unitBits: Uint32Array[]): void {
  for (const [level, documents] of levels.entries()) {
    if (documents === undefined) continue
    const bits = unitBits[unitOfLevel[level] as number] as Uint32Array
    if (documents instanceof Uint32Array) {
      for (let at = 0; at < documents.length; at += 1) bits[at] = (bits[at] as number) | (documents[at] as number)
      continue
    }
    for (let at = 0; at < documents.length; at += 1) {
      const shortId = documents[at] as number
      bits[shortId >>> 5] = (bits[shortId >>> 5] as number) | (1 << (shortId & 31))
    }
  }
}

/** A unit per word and field, each of its terms there at its highest; undefined when they are more than a mask's bits. */
function wordUnits (index: IndexInternals<IndexedDocument>, query: BoundedQuery, searched: readonly TermInField[], read: readonly TermLevels[]): Unit[] | undefined {
  const units: Unit[] = []
  const titleId = index.fieldIds.title
  for (const word of query.words) {
    const byField = new Map<number, Unit>()
    for (const [at, { term, fieldId, weight }] of searched.entries()) {
      if (!word.terms.has(term) || (word.field === 'title' && fieldId !== titleId)) continue
      let unit = byField.get(fieldId)
      if (unit === undefined) byField.set(fieldId, unit = { documents: new DocumentSet(index.nextId), bound: 0, wordBits: 0, group: units.length + byField.size })
      unit.wordBits |= (searched[at] as TermInField).wordBits
      const levels = read[at] as TermLevels
      fillUnits(levels, new Int8Array(MAX_LEVELS), [unit.documents.bits])
      unit.bound += weight * levels.invDocFreq * Math.max(...levels.best)
    }
    units.push(...byField.values())
  }
  return units.length > MAX_UNITS ? undefined : units
}

/** Levels of score a term's postings in a field are split into. */
const MAX_LEVELS = 8

/** The level of a term-frequency part of 1: floor(log2(1² · 64)); levels below it are one. */
const LEVEL_OF_ONE = 6

/**
 * The query's distinct terms in the fields their words' leaves search (search.ts's
 * toMiniSearchQuery: a headline-scoped word the title alone), with their leaves' weights;
 * undefined for a negative weight.
 */
function termsInFields (index: IndexInternals<IndexedDocument>, query: BoundedQuery): TermInField[] | undefined {
  // A match holds every word one of whose terms it matched, in whichever leaf (words-matched.ts).
  const wordsOfTerm = new Map<string, number>()
  for (const [wordAt, word] of query.words.entries()) for (const term of word.terms.keys()) wordsOfTerm.set(term, (wordsOfTerm.get(term) ?? 0) | (1 << wordAt))
  const byKey = new Map<string, TermInField>()
  for (const word of query.words) {
    const fields = word.field === 'title' ? ['title'] : index.options.fields
    for (const field of fields) {
      const fieldId = index.fieldIds[field]
      if (fieldId === undefined) continue
      // As the scorer weighs a field: an unset (or zero) boost counts as 1.
      const fieldBoost = query.boost[field] || 1
      for (const term of word.terms.keys()) {
        const key = `${fieldId}:${term}`
        let one = byKey.get(key)
        if (one === undefined) {
          const weight = query.termWeight(term) * fieldBoost
          if (!(weight >= 0)) return undefined
          byKey.set(key, one = { term, fieldId, weight, leaves: 0, wordBits: wordsOfTerm.get(term) as number })
        }
        one.leaves += 1
      }
    }
  }
  return [...byKey.values()]
}

/**
 * A term's live postings in a field: their documents and levels, each level's highest
 * term-frequency part and its number of postings, and the idf they are scored with.
 */
interface TermLevels {
  /**
   * Each level's documents: a bitset (as DocumentSet's bits) where they are more than one in 32
   * documents, else their short ids; none for an empty level. Units are filled from them per
   * query: OR'ing a frequent level's bitset costs a word per 32 documents, setting its
   * postings' bits one by one cost most of a bounded query («России»: 400,000 postings).
   */
  levels: Array<Uint32Array | Int32Array | undefined>
  /** Live postings in all levels. */
  postings: number
  /** What the levels hold in memory. */
  bytes: number
  best: Float64Array
  counts: Uint32Array
  invDocFreq: number
}

/**
 * Levels of long posting lists, kept per index between queries: a frequent word («России») is
 * in many queries, and its levels, a pass over hundreds of thousands of postings, are the same
 * while the documents and the shape's BM25 parameters are. Least recently used go first.
 */
class LevelCache {
  private readonly byData = new WeakMap<object, Map<string, TermLevels>>()
  /** The levels kept, least recently used first, each with what forgets it. */
  private readonly recency = new Map<TermLevels, () => void>()
  private bytes = 0

  get (data: object, key: string): TermLevels | undefined {
    const levels = this.byData.get(data)?.get(key)
    const forget = levels === undefined ? undefined : this.recency.get(levels)
    if (levels !== undefined && forget !== undefined) {
      this.recency.delete(levels)
      this.recency.set(levels, forget)
    }
    return levels
  }

  set (data: object, key: string, levels: TermLevels): void {
    let ofData = this.byData.get(data)
    if (ofData === undefined) this.byData.set(data, ofData = new Map())
    const kept = ofData
    kept.set(key, levels)
    this.recency.set(levels, () => kept.delete(key))
    this.bytes += levels.bytes
    for (const [oldest, forget] of this.recency) {
      if (this.bytes <= CACHED_BYTES) break
      forget()
      this.recency.delete(oldest)
      this.bytes -= oldest.bytes
    }
  }
}

/** Memory an index keeps levels in: at 800,000 documents a dense level is 100 KB, and a frequent term has up to 8 in a field. */
const CACHED_BYTES = 64 << 20
/** Lists shorter than this are levelled again when asked: it costs little. */
const MIN_CACHED_POSTINGS = 4096

const levelCaches = new WeakMap<object, LevelCache>()

function levelCacheOf (miniSearch: MiniSearch<IndexedDocument>): LevelCache {
  let cache = levelCaches.get(miniSearch)
  if (cache === undefined) levelCaches.set(miniSearch, cache = new LevelCache())
  return cache
}

/** termLevels, from the cache when they were made for the same documents and parameters. */
function * cachedTermLevels (index: IndexInternals<IndexedDocument>, one: TermInField, lengths: Uint32Array, bm25: Bm25Params, cache: LevelCache): Generator<void, TermLevels, undefined> {
  const data = index.termTree.get(one.term)
  if (!(data instanceof LazyTermData)) return yield * termLevels(index, one, lengths, bm25)
  // What the levels depend on: the field, BM25's parameters, and the documents (their count, the next id, the discarded).
  const key = `${one.fieldId}:${bm25.k}:${bm25.b}:${bm25.d}:${index.averageFieldLength[one.fieldId] ?? 0}:${index.documentCount}:${index.nextId}:${index.dirtCount}`
  const cached = cache.get(data, key)
  if (cached !== undefined) return cached
  const levels = yield * termLevels(index, one, lengths, bm25)
  if (levels.postings >= MIN_CACHED_POSTINGS) cache.set(data, key, levels)
  return levels
}

/** With the scorer's arithmetic (score-query.ts): the same lengths and document frequency. */
function * termLevels (index: IndexInternals<IndexedDocument>, { term, fieldId }: TermInField, lengths: Uint32Array, { k, b, d }: Bm25Params): Generator<void, TermLevels, undefined> {
  const best = new Float64Array(MAX_LEVELS)
  const counts = new Uint32Array(MAX_LEVELS)
  const data = index.termTree.get(term)
  const average = index.averageFieldLength[fieldId] as number
  const arrays = data instanceof LazyTermData ? data.postingArrays() : undefined
  if (arrays !== undefined) {
    const field = arrays.find(entry => entry.fieldId === fieldId)
    if (field === undefined) return yield * levelsOf(index.nextId, [], new Uint8Array(0), best, counts, 0)
    // A discarded document has no length: its posting is neither a match nor counted in the idf.
    const live = index.dirtCount === 0 ? field.documents : field.documents.filter(shortId => lengths[shortId] !== 0)
    const levelOfPosting = new Uint8Array(live.length)
    let numbered = 0
    for (let from = 0; from < field.documents.length; from += ITEMS_BETWEEN_PAUSES) {
      if (from > 0) yield
      numbered = levelPostings(field, from, Math.min(field.documents.length, from + ITEMS_BETWEEN_PAUSES), numbered, lengths, average, k, b, d, levelOfPosting, best, counts)
    }
    return yield * levelsOf(index.nextId, live, levelOfPosting, best, counts, inverseDocumentFrequency(index.documentCount, live.length))
  }
  const frequencies = data?.get(fieldId)
  if (frequencies === undefined) return yield * levelsOf(index.nextId, [], new Uint8Array(0), best, counts, 0)
  const ids: number[] = []
  const levels: number[] = []
  for (const [shortId, termFreq] of frequencies) {
    // The scorer's document frequency here counts the documents with lengths (a discarded one has none).
    const lengthsOf = index.fieldLength.get(shortId)
    if (lengthsOf === undefined) continue
    const part = d + termFreq * (k + 1) / (termFreq + k * (1 - b + b * (lengthsOf[fieldId] as number) / average))
    const level = levelOf(part)
    ids.push(shortId)
    levels.push(level)
    counts[level] = (counts[level] as number) + 1
    if (part > (best[level] as number)) best[level] = part
  }
  return yield * levelsOf(index.nextId, ids, Uint8Array.from(levels), best, counts, inverseDocumentFrequency(index.documentCount, index.dirtCount === 0 ? frequencies.size : ids.length))
}

/** The postings `ids` (short ids below `bound`) put in their levels' documents, dense levels as bitsets, yielding every ITEMS_BETWEEN_PAUSES. */
function * levelsOf (bound: number, ids: ArrayLike<number>, levelOfPosting: Uint8Array, best: Float64Array, counts: Uint32Array, invDocFreq: number): Generator<void, TermLevels, undefined> {
  const words = (bound + 31) >>> 5
  const levels = Array.from(counts, count => count === 0 ? undefined : count > words ? new Uint32Array(words) : new Int32Array(count))
  const filled = new Uint32Array(MAX_LEVELS)
  for (let at = 0; at < ids.length; at += 1) {
    if (at > 0 && at % ITEMS_BETWEEN_PAUSES === 0) yield
    const level = levelOfPosting[at] as number
    const shortId = ids[at] as number
    const documents = levels[level] as Uint32Array | Int32Array
    if (documents instanceof Uint32Array) documents[shortId >>> 5] = (documents[shortId >>> 5] as number) | (1 << (shortId & 31))
    else {
      documents[filled[level] as number] = shortId
      filled[level] = (filled[level] as number) + 1
    }
  }
  const bytes = levels.reduce((sum, documents) => sum + (documents?.byteLength ?? 0), 0)
  return { levels, postings: ids.length, bytes, best, counts, invDocFreq }
}

/**
 * Postings `from`–`to`, the live ones numbered from `live` on (a discarded document's are
 * skipped): each one's level, and each level's postings and highest term-frequency part.
 * Returns the next live posting's number.
 */
function levelPostings ({ documents: ids, frequencies }: FieldPostingArrays, from: number, to: number, live: number, lengths: Uint32Array, average: number, k: number, b: number, d: number, levelOfPosting: Uint8Array, best: Float64Array, counts: Uint32Array): number {
  for (let at = from; at < to; at += 1) {
    const stored = lengths[ids[at] as number] as number
    if (stored === 0) continue
    const termFreq = frequencies[at] as number
    const part = d + termFreq * (k + 1) / (termFreq + k * (1 - b + b * (stored - 1) / average))
    const level = levelOf(part)
    levelOfPosting[live++] = level
    counts[level] = (counts[level] as number) + 1
    if (part > (best[level] as number)) best[level] = part
  }
  return live
}

/** A term-frequency part's level: √2 apart from 1 up, the lowest and the highest open-ended. */
function levelOf (part: number): number {
  const level = 31 - Math.clz32(part * part * 64) - LEVEL_OF_ONE
  return level < 0 ? 0 : level >= MAX_LEVELS ? MAX_LEVELS - 1 : level
}

/** Every match (`accept`ed) and those holding every word; `held`, the documents holding each word, whether accepted or not. */
function * universeOf (index: IndexInternals<IndexedDocument>, wordCount: number, holders: readonly Holders[], accept: ((shortId: number) => boolean) | undefined): Generator<void, MatchUniverse & { held: DocumentSet[] }, undefined> {
  const held = Array.from({ length: wordCount }, (_, wordAt) => {
    const holding = new DocumentSet(index.nextId)
    for (const holder of holders) if ((holder.wordBits & (1 << wordAt)) !== 0) or(holding, holder.documents)
    return holding
  })
  return { ...yield * universeOfHeld(index.nextId, held, accept), held }
}

/**
 * The bound of each match, from the units it holds, 32 documents at a time. A match's bound
 * depends on its mask of units alone, and a query's matches have a few hundred masks: each
 * mask's bound is computed once and kept in a small cache by mask.
 */
class UnitBounds {
  private readonly factorOfWords: Float64Array
  private readonly coverageWeight: number
  private readonly coverage: Float64Array | undefined
  private readonly highestCoverageFactor: number
  /** The highest coordination factor of up to so many words (the factor need not grow with them). */
  private readonly factorUpTo: Float64Array
  /** The highest bound of a match holding at most so many words (see highestByWords). */
  private readonly highestUpToWords: Float64Array
  /** The units held by each document of the current 32. */
  private readonly masks = new Uint32Array(32)
  private readonly cachedMasks = new Int32Array(MASK_CACHE_SIZE).fill(-1)
  private readonly cachedBounds = new Float64Array(MASK_CACHE_SIZE)

  /** `counts`: how many of the query's words each document holds. */
  constructor (private readonly units: readonly Unit[], query: BoundedQuery, private readonly counts: WordCounts) {
    this.factorOfWords = Float64Array.from({ length: query.words.length + 1 }, (_, words) => query.factorOf(words))
    this.factorUpTo = this.factorOfWords.map((_, words) => Math.max(...this.factorOfWords.subarray(0, words + 1)))
    this.coverageWeight = query.titleCoverage.weight
    this.coverage = query.titleCoverage.weight === 0 ? undefined : query.titleCoverage.byShortId
    // Coverage is at most 1.
    this.highestCoverageFactor = this.coverage === undefined ? 1 : 1 + this.coverageWeight
    this.highestUpToWords = highestByWords(units, this.factorOfWords)
      .map((_, words, byWords) => Math.max(...byWords.subarray(0, words + 1)) * this.highestCoverageFactor * ROUNDING_SLACK)
  }

  /**
   * About the `count` matches with the highest bounds: the highest of those holding the units of
   * highest bound until they are `count` (they are the seed of a ranking, which needs good
   * ones, not the very best).
   */
  * highest (matches: DocumentSet, count: number): Generator<void, DocumentSet, undefined> {
    const ceiling = this.holdingMostWords(matches, count)
    const within = new DocumentSet(matches.bound)
    for (const unit of [...this.units].sort((a, b) => b.bound - a.bound)) {
      or(within, unit.documents)
      and(within, ceiling)
      if (within.size >= count) break
    }
    const heap = new LowestFirstHeap(count)
    yield * this.visiting(within, (shortId, bound) => heap.offer(bound, shortId), () => heap.lowest)
    const chosen = new DocumentSet(matches.bound)
    heap.forEach(shortId => chosen.add(shortId))
    return chosen
  }

  /** The matches whose bound reaches `threshold`, and how many of them `besides` does not hold. */
  * reaching (matches: DocumentSet, threshold: number, besides: DocumentSet): Generator<void, { documents: DocumentSet, notBesides: number }, undefined> {
    const documents = new DocumentSet(matches.bound)
    let notBesides = 0
    yield * this.visiting(this.holdingEssential(matches, threshold), shortId => {
      documents.add(shortId)
      if (!besides.has(shortId)) notBesides += 1
    }, () => threshold)
    return { documents, notBesides }
  }

  /**
   * The matches holding the most words that are at least `count` (every match when fewer than
   * `count` hold two): the coordination factor puts them first, so the seed is taken among them.
   */
  private holdingMostWords (matches: DocumentSet, count: number): DocumentSet {
    // Fewer documents hold more words: the most words held by `count` is found by halving.
    let enough = 1
    let holding = matches
    let tooMany = this.factorOfWords.length
    while (tooMany - enough > 1) {
      const words = (enough + tooMany) >>> 1
      const candidates = this.counts.atLeast(words)
      and(candidates, matches)
      if (candidates.size >= count) {
        enough = words
        holding = candidates
      } else {
        tooMany = words
      }
    }
    return holding
  }

  /**
   * The matches holding a unit without which no bound reaches `threshold` (MaxScore's
   * essential lists): the units of lowest bound, as many as together, each group at its
   * highest level, stay below it, are left out; a match holding no other unit is below it too.
   * Of those, only the ones holding enough words for their bound to reach it: a match of one
   * word of four has a quarter of the coordination factor of one holding all four.
   */
  private holdingEssential (matches: DocumentSet, threshold: number): DocumentSet {
    const ascending = [...this.units].sort((a, b) => a.bound - b.bound)
    const highestOfGroup = new Map<number, number>()
    let sum = 0
    let wordBits = 0
    let left = 0
    for (const unit of ascending) {
      const before = highestOfGroup.get(unit.group) ?? 0
      const groupHighest = Math.max(before, unit.bound)
      const nextSum = sum - before + groupHighest
      const nextWords = wordBits | unit.wordBits
      if (nextSum * (this.factorUpTo[bitCount(nextWords)] as number) * this.highestCoverageFactor * ROUNDING_SLACK >= threshold) break
      highestOfGroup.set(unit.group, groupHighest)
      sum = nextSum
      wordBits = nextWords
      left += 1
    }
    const essential = new DocumentSet(matches.bound)
    for (const unit of ascending.slice(left)) or(essential, unit.documents)
    and(essential, matches)
    const fewest = this.highestUpToWords.findIndex(bound => bound >= threshold)
    // No match holding fewer than `fewest` words reaches it (none at all: -1).
    if (fewest === -1) return new DocumentSet(matches.bound)
    if (fewest > 1) and(essential, this.counts.atLeast(fewest))
    return essential
  }

  /**
   * Visits the documents of `within` whose bound reaches `floor()` (read again after each
   * visit), in short id order, yielding every WORDS_BETWEEN_PAUSES words of bits.
   */
  private * visiting (within: DocumentSet, visit: (shortId: number, bound: number) => void, floor: () => number): Generator<void, void, undefined> {
    const { units, masks, coverage, coverageWeight } = this
    const bits = within.bits
    let reach = floor()
    for (let at = 0; at < bits.length; at += 1) {
      if (at > 0 && at % WORDS_BETWEEN_PAUSES === 0) yield
      const matched = bits[at] as number
      if (matched === 0) continue
      // Unit by unit over these 32 documents: the work is the units' documents, not documents × units.
      for (let unitAt = 0; unitAt < units.length; unitAt += 1) {
        const unitBit = 1 << unitAt
        for (let rest = ((units[unitAt] as Unit).documents.bits[at] as number) & matched; rest !== 0; rest &= rest - 1) {
          const bit = 31 - Math.clz32(rest & -rest)
          masks[bit] = (masks[bit] as number) | unitBit
        }
      }
      for (let rest = matched; rest !== 0; rest &= rest - 1) {
        const bit = 31 - Math.clz32(rest & -rest)
        const shortId = at * 32 + bit
        // Title coverage's factor is the match's own, as its final score has it.
        const bound = this.boundOf(masks[bit] as number) * (coverage === undefined ? 1 : 1 + coverageWeight * (coverage[shortId] ?? 0))
        masks[bit] = 0
        if (bound < reach) continue
        visit(shortId, bound)
        reach = floor()
      }
    }
  }

  private boundOf (mask: number): number {
    const slot = Math.imul(mask, 0x9e3779b1) >>> MASK_CACHE_SHIFT
    if (this.cachedMasks[slot] === (mask | 0)) return this.cachedBounds[slot] as number
    let sum = 0
    let wordBits = 0
    for (let rest = mask; rest !== 0; rest &= rest - 1) {
      const unit = this.units[31 - Math.clz32(rest & -rest)] as Unit
      sum += unit.bound
      wordBits |= unit.wordBits
    }
    const bound = sum * (this.factorOfWords[bitCount(wordBits)] as number) * ROUNDING_SLACK
    this.cachedMasks[slot] = mask | 0
    this.cachedBounds[slot] = bound
    return bound
  }
}

/**
 * For each number of words, the highest sum of units a document holding that many of the
 * query's words can have, times their coordination factor. A document holds a unit's words
 * (a term's: every word it is a term of) and at most one unit of a group, so its sum is at most
 * that of its words' highest: per word, its groups at their highest level.
 */
function highestByWords (units: readonly Unit[], factorOfWords: Float64Array): Float64Array {
  const groups = new Map<number, { bound: number, wordBits: number }>()
  for (const { group, bound, wordBits } of units) {
    const highest = groups.get(group)
    if (highest === undefined) groups.set(group, { bound, wordBits })
    else highest.bound = Math.max(highest.bound, bound)
  }
  const wordHighest = new Float64Array(factorOfWords.length - 1)
  for (const { bound, wordBits } of groups.values()) {
    for (let rest = wordBits; rest !== 0; rest &= rest - 1) {
      const word = 31 - Math.clz32(rest & -rest)
      wordHighest[word] = (wordHighest[word] as number) + bound
    }
  }
  wordHighest.sort().reverse()
  let sum = 0
  return factorOfWords.map((factor, words) => {
    if (words > 0) sum += wordHighest[words - 1] as number
    return sum * factor
  })
}

/** Words of bits visited between pauses: each is 32 documents, each one bounded (ITEMS_BETWEEN_PAUSES words held the event loop 30 ms). */
const WORDS_BETWEEN_PAUSES = 4096

/** Masks' bounds kept (a power of two), and the shift that makes a 32-bit hash a slot. */
const MASK_CACHE_SIZE = 1024
const MASK_CACHE_SHIFT = 22

/** The `capacity` highest (bound, short id) pairs offered, the lowest of them at the root; of equal bounds the first offered stay. */
class LowestFirstHeap {
  private readonly bounds: Float64Array
  private readonly shortIds: Int32Array
  private size = 0

  constructor (private readonly capacity: number) {
    this.bounds = new Float64Array(capacity)
    this.shortIds = new Int32Array(capacity)
  }

  offer (bound: number, shortId: number): void {
    const { bounds, shortIds } = this
    if (this.size < this.capacity) {
      let child = this.size++
      while (child > 0) {
        const parent = (child - 1) >> 1
        if ((bounds[parent] as number) <= bound) break
        bounds[child] = bounds[parent] as number
        shortIds[child] = shortIds[parent] as number
        child = parent
      }
      bounds[child] = bound
      shortIds[child] = shortId
      return
    }
    if (this.capacity === 0 || bound <= (bounds[0] as number)) return
    let parent = 0
    for (;;) {
      const left = parent * 2 + 1
      if (left >= this.size) break
      const right = left + 1
      const lower = right < this.size && (bounds[right] as number) < (bounds[left] as number) ? right : left
      if ((bounds[lower] as number) >= bound) break
      bounds[parent] = bounds[lower] as number
      shortIds[parent] = shortIds[lower] as number
      parent = lower
    }
    bounds[parent] = bound
    shortIds[parent] = shortId
  }

  /** The lowest bound held once full: what an offer must exceed (-Infinity before). */
  get lowest (): number {
    return this.size < this.capacity ? Number.NEGATIVE_INFINITY : this.bounds[0] as number
  }

  forEach (visit: (shortId: number) => void): void {
    for (let at = 0; at < this.size; at += 1) visit(this.shortIds[at] as number)
  }
}
