/**
 * Which documents a query matches, found without scoring them: per query word, a bitset of
 * the documents holding one of its terms (in the fields its leaves search); their union is
 * every match, their intersection the documents holding every word.
 *
 * Why: a short query's ranking puts the documents holding every word first (coordination
 * tiers, rank.ts), so its page comes from the intersection alone whenever that holds enough
 * of them. Search then scores only those (score-query's `only`): «100 дней трампа» matches
 * 327,091 of 800,000 documents and 2,315 hold all three words. The totals the response
 * reports (matches, matches holding every word, groups of near-duplicates) are counted
 * here, exactly: setting a bit per posting costs a fraction of scoring it.
 *
 * A word is held as `wordsMatchedCounter` counts it: when any of its terms matched in any
 * leaf that searches the term (a term two words share counts for both).
 */
import type MiniSearch from 'minisearch'
import { internalsOf, type IndexInternals } from '../index/minisearch-internals.js'
import type { IndexedDocument } from '../index/minisearch-options.js'
import { LazyTermData } from '../index/term-data.js'
import { ITEMS_BETWEEN_PAUSES } from '../index/time-slicer.js'
import type { ExcludedWord, PlannedWord } from './query-plan.js'

/** A set of short ids below a bound, one bit each. */
export class DocumentSet {
  readonly bits: Uint32Array

  constructor (readonly bound: number) {
    this.bits = new Uint32Array((bound + 31) >>> 5)
  }

  has (shortId: number): boolean {
    return shortId >= 0 && shortId < this.bound && ((this.bits[shortId >>> 5] as number) & (1 << (shortId & 31))) !== 0
  }

  add (shortId: number): void {
    this.bits[shortId >>> 5] = (this.bits[shortId >>> 5] as number) | (1 << (shortId & 31))
  }

  delete (shortId: number): void {
    this.bits[shortId >>> 5] = (this.bits[shortId >>> 5] as number) & ~(1 << (shortId & 31))
  }

  get size (): number {
    let count = 0
    for (const word of this.bits) count += bitCount(word)
    return count
  }

  /** Visits the members in ascending order (`visit` may delete the one it is given), yielding every ITEMS_BETWEEN_PAUSES words of bits. */
  * visiting (visit: (shortId: number) => void): Generator<void, void, undefined> {
    const bits = this.bits
    for (let at = 0; at < bits.length; at += 1) {
      if (at > 0 && at % ITEMS_BETWEEN_PAUSES === 0) yield
      for (let rest = bits[at] as number; rest !== 0; rest &= rest - 1) visit(at * 32 + (31 - Math.clz32(rest & -rest)))
    }
  }
}

export interface MatchUniverse {
  /** Every match the filter keeps. */
  matches: DocumentSet
  /** The matches holding every word. */
  allWords: DocumentSet
}

/**
 * The documents `words` match (see above), those `accept` rejects left out, or undefined
 * when the index is not MiniSearch's own shape. Yields between pieces of postings.
 */
export function * matchUniverse (miniSearch: MiniSearch<IndexedDocument>, words: readonly PlannedWord[], accept?: (shortId: number) => boolean): Generator<void, MatchUniverse | undefined, undefined> {
  const index = internalsOf(miniSearch)
  if (index === undefined) return undefined
  const termSets = new Map<string, DocumentSet>()
  for (const [term, fieldIds] of searchedFields(index, words)) termSets.set(term, yield * documentsOf(index, term, fieldIds))
  const held = words.map(word => {
    const holding = new DocumentSet(index.nextId)
    for (const term of word.terms.keys()) or(holding, termSets.get(term) as DocumentSet)
    return holding
  })
  return yield * universeOfHeld(index.nextId, held, accept)
}

/** Every match (those `accept` keeps) and those holding every word, from the documents holding each word. */
export function * universeOfHeld (bound: number, held: readonly DocumentSet[], accept: ((shortId: number) => boolean) | undefined): Generator<void, MatchUniverse, undefined> {
  const matches = new DocumentSet(bound)
  const allWords = new DocumentSet(bound)
  allWords.bits.fill(0xffffffff)
  for (const holding of held) {
    or(matches, holding)
    and(allWords, holding)
  }
  and(allWords, matches) // past the last short id, and nothing when there are no words
  if (accept !== undefined) {
    yield * matches.visiting(shortId => {
      if (accept(shortId)) return
      matches.delete(shortId)
      allWords.delete(shortId)
    })
  }
  return { matches, allWords }
}

/**
 * The documents an exclusion (`-word`, `-"a phrase"`) removes: those holding one of the word's
 * terms (in the headline for a headline-scoped one), or for a negated phrase a term of each of
 * its words. From the postings, as the matches are: asking MiniSearch's search for them made
 * an object per document, seconds for a frequent word at 800,000 documents, in one piece. Yields
 * after each term and between pieces of its postings; undefined when the index is not MiniSearch's own shape.
 */
export function * excludedDocuments (miniSearch: MiniSearch<IndexedDocument>, excluded: readonly ExcludedWord[]): Generator<void, DocumentSet | undefined, undefined> {
  const index = internalsOf(miniSearch)
  if (index === undefined) return undefined
  const all = new Set(index.options.fields.map(field => index.fieldIds[field] as number))
  const title = new Set([index.fieldIds.title as number])
  const documents = new DocumentSet(index.nextId)
  for (const word of excluded) {
    const fieldIds = word.field === 'title' ? title : all
    let holding: DocumentSet | undefined
    for (const terms of [word.terms, ...(word.together ?? [])]) {
      const some = new DocumentSet(index.nextId)
      for (const term of terms) {
        or(some, yield * documentsOf(index, term, fieldIds))
        yield
      }
      if (holding === undefined) holding = some
      else and(holding, some)
    }
    if (holding !== undefined) or(documents, holding)
  }
  return documents
}

/** Each query term with the field ids its leaves search (search.ts's toMiniSearchQuery: a headline-scoped word its title only). */
function searchedFields (index: IndexInternals<IndexedDocument>, words: readonly PlannedWord[]): Map<string, Set<number>> {
  const all = index.options.fields
  const byTerm = new Map<string, Set<number>>()
  for (const word of words) {
    const fields = word.field === 'title' ? ['title'] : all
    for (const term of word.terms.keys()) {
      let fieldIds = byTerm.get(term)
      if (fieldIds === undefined) byTerm.set(term, fieldIds = new Set())
      for (const field of fields) {
        const fieldId = index.fieldIds[field]
        if (fieldId !== undefined) fieldIds.add(fieldId)
      }
    }
  }
  return byTerm
}

/** The live documents holding `term` in one of `fieldIds`. */
function * documentsOf (index: IndexInternals<IndexedDocument>, term: string, fieldIds: ReadonlySet<number>): Generator<void, DocumentSet, undefined> {
  const set = new DocumentSet(index.nextId)
  const data = index.termTree.get(term)
  if (data === undefined) return set
  // A discarded document keeps its postings until a vacuum, but not its lengths (score-query skips it too).
  const live = index.dirtCount === 0 ? undefined : index.fieldLength
  const arrays = data instanceof LazyTermData ? data.postingArrays() : undefined
  if (arrays !== undefined) {
    for (const { fieldId, documents } of arrays) {
      if (!fieldIds.has(fieldId)) continue
      for (let from = 0; from < documents.length; from += ITEMS_BETWEEN_PAUSES) {
        if (from > 0) yield
        const to = Math.min(documents.length, from + ITEMS_BETWEEN_PAUSES)
        for (let at = from; at < to; at += 1) {
          const shortId = documents[at] as number
          if (live === undefined || live.has(shortId)) set.add(shortId)
        }
      }
    }
    return set
  }
  for (const fieldId of fieldIds) {
    for (const shortId of data.get(fieldId)?.keys() ?? []) if (live === undefined || live.has(shortId)) set.add(shortId)
  }
  return set
}

/**
 * How many of a query's words each document holds, as bit-sliced counters: plane i holds bit i
 * of every document's count, so adding a word's holders, or asking which documents hold at
 * least so many, is a few operations per 32 documents (never one per document).
 */
export class WordCounts {
  private readonly planes: Uint32Array[]

  /** `held`: per word, the documents holding it (short ids below `bound`). */
  constructor (readonly bound: number, held: readonly DocumentSet[]) {
    const words = (bound + 31) >>> 5
    const planes = Array.from({ length: 32 - Math.clz32(held.length) }, () => new Uint32Array(words))
    for (const holding of held) {
      const bits = holding.bits
      for (let at = 0; at < words; at += 1) {
        let carry = bits[at] as number
        for (let plane = 0; carry !== 0 && plane < planes.length; plane += 1) {
          const counts = planes[plane] as Uint32Array
          const before = counts[at] as number
          counts[at] = before ^ carry
          carry = before & carry
        }
      }
    }
    this.planes = planes
  }

  /** The documents holding at least `least` (≥ 1) of the words. */
  atLeast (least: number): DocumentSet {
    const set = new DocumentSet(this.bound)
    const { planes } = this
    if (least >= 2 ** planes.length) return set
    const bits = set.bits
    for (let at = 0; at < bits.length; at += 1) {
      // Compared from the highest bit down: above `least` once a plane has a 1 where it has a 0, while equal so far.
      let above = 0
      let equal = -1
      for (let plane = planes.length - 1; plane >= 0; plane -= 1) {
        const counts = (planes[plane] as Uint32Array)[at] as number
        if (((least >>> plane) & 1) === 1) {
          equal &= counts
        } else {
          above |= equal & counts
          equal &= ~counts
        }
      }
      bits[at] = above | equal
    }
    return set
  }
}

export function or (into: DocumentSet, from: DocumentSet): void {
  const target = into.bits
  const source = from.bits
  for (let at = 0; at < target.length; at += 1) target[at] = (target[at] as number) | (source[at] as number)
}

export function and (into: DocumentSet, from: DocumentSet): void {
  const target = into.bits
  const source = from.bits
  for (let at = 0; at < target.length; at += 1) target[at] = (target[at] as number) & (source[at] as number)
}

export function bitCount (word: number): number {
  let value = word - ((word >>> 1) & 0x55555555)
  value = (value & 0x33333333) + ((value >>> 2) & 0x33333333)
  return (((value + (value >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}
