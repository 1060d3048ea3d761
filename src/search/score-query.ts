/**
 * MiniSearch's BM25+ scoring of an OR query tree, computed into flat arrays instead of a
 * Map of `{ score, terms, match }` objects per matching document per query term (MiniSearch
 * allocates and merges those for every posting: most of a query's time and garbage on a
 * frequent word). The arithmetic is MiniSearch 7.2's own, operation for operation and in the
 * same order (per term: its fields in order; per OR node: its children in order), so every
 * score is the same number, and documents come out in the order MiniSearch's result Map holds
 * them (first appearance), which a stable sort needs for ties. Only what poisk's queries use
 * is handled: OR nodes, single-term leaves, `fields`, `boost`, `boostTerm`, `bm25`; anything
 * else (AND, prefix, fuzzy, document boosts) is answered with the reason, and the caller uses
 * MiniSearch's own execution.
 *
 * Live changes leave postings of discarded documents until MiniSearch's vacuum removes them
 * (after 100 of them and 10% of the index). They are skipped here, and a term's document
 * frequency counts only live documents: the scores are those of a fresh build of the same
 * documents (and of MiniSearch once vacuumed), so one live change never moves a query off
 * this path. (MiniSearch itself, meeting a stale posting, counts it in the idf of the
 * documents before it but not after it.)
 */
import type MiniSearch from 'minisearch'
import type { MatchInfo, Query, SearchOptions } from 'minisearch'
import { grown } from '../analysis/token-table.js'
import { internalsOf, type IndexInternals, type TermData } from '../index/minisearch-internals.js'
import type { IndexedDocument } from '../index/minisearch-options.js'
import { frequencyOf, LazyTermData, type FieldPostingArrays } from '../index/term-data.js'
import { drainInPieces, ITEMS_BETWEEN_PAUSES, runAtOnce, runPausing, type Pause, type SharedPass } from '../index/time-slicer.js'
import type { DocumentSet } from './match-universe.js'

type Internals = IndexInternals<IndexedDocument>

/** One query term as scored: where it was looked up and with what weights. */
interface Leaf {
  term: string
  /** The term's index in the query's distinct terms (a bit of the match mask). */
  bit: number
  fields: string[]
  data: TermData | undefined
}

/** Why a query was not scored here (MiniSearch's own execution then scores it). */
export interface Unscored { unsupported: string }

/** Called for each matching document, in MiniSearch's result order; `mask` bit i: the query's i-th distinct term matched. */
export type ScoreVisitor = (shortId: number, score: number, mask: number) => void

export interface ScoredQuery {
  /** The query's distinct terms, in order (the mask bits). */
  terms: string[]
  /** How many documents match. */
  count: number
  /** Visits the matches; call it before scoring another query on the same index (the scores live in shared scratch arrays). */
  forEach: (visit: ScoreVisitor) => void
  /** `forEach` as steps, yielding every ITEMS_BETWEEN_PAUSES matches (run with runPausing; the index must not change meanwhile). */
  visiting: (visit: ScoreVisitor) => Generator<void, void, void>
  /** MiniSearch's `match` (matched term → fields) and `queryTerms` (in the order they matched) for one document, rebuilt on demand. */
  matchOf: (shortId: number) => { match: MatchInfo, queryTerms: string[] }
}

/** Distinct terms are mask bits. */
const MAX_TERMS = 31
const DEFAULT_BM25 = { k: 1.2, b: 0.7, d: 0.5 }

/**
 * Scratch arrays, one set per tree depth, kept per index: a query allocates no per-document
 * objects. A query scored with pauses keeps its set while it waits, so an index keeps a few
 * (a pool): a query scored meanwhile takes another.
 */
interface Level { scores: Float64Array, touched: Uint8Array, docs: DocList }
interface Scratch {
  levels: Level[]
  masks: Uint32Array
  /** A query is being scored into it (and may be waiting at a pause): no other query may take it. */
  evaluating: boolean
  /** The matches of the last query, until they are visited (or the next query clears them). */
  pending?: DocList
  /** A visited query's list, reused by the next one. */
  spare?: DocList
}

/**
 * Each field's token counts by short id, in typed arrays (length + 1; 0: the document has no
 * such field, or was discarded), filled from the index's per-document arrays a piece at a time
 * (`rest`: the documents left) and shared by an index's queries. Scoring reads one per posting
 * and computes BM25's length part, `k·(1 − b + b·length/average)`, as MiniSearch does: an
 * 800,000-document column is 3.2 MB and stays in the processor's caches, where a norm per
 * document and field computed ahead (19 MB per (k, b)) was a cache miss on most postings,
 * half of a broad query's scoring time.
 */
interface LengthColumns extends SharedPass<[number, number[]]> {
  columns: Uint32Array[]
  /** What they were filled for: they hold while the documents' lengths do. */
  key: string
}

/** Documents whose lengths are entered between the points where scoring may pause (a few milliseconds' work). */
const LENGTHS_BETWEEN_PAUSES = 32_768

/** Document ids in the order first added, in a typed array reused from query to query. */
class DocList {
  ids = new Int32Array(1024)
  size = 0

  push (id: number): void {
    if (this.size === this.ids.length) this.ids = grown(this.ids, this.size * 2)
    this.ids[this.size++] = id
  }

  /** `ids` with room for `more` after `size`: a loop appends to it directly, then sets `size`. */
  reserve (more: number): Int32Array {
    if (this.size + more > this.ids.length) this.ids = grown(this.ids, Math.max(this.size * 2, this.size + more))
    return this.ids
  }
}

/** Scratch sets kept per index beyond those in use: more only while queries wait at pauses. */
const MAX_IDLE_SCRATCH = 2
const scratchByIndex = new WeakMap<object, Scratch[]>()
const columnsByIndex = new WeakMap<object, LengthColumns>()

class Unsupported extends Error {}

/**
 * Scores every match of `query` as MiniSearch does, before its `× matched query terms`, or
 * says why it cannot (a query shape MiniSearch's own execution must handle).
 */
export function scoreQuery (miniSearch: MiniSearch<IndexedDocument>, query: Query, searchOptions: SearchOptions, only?: DocumentSet): ScoredQuery | Unscored {
  return runAtOnce(scoring(miniSearch, query, searchOptions, only))
}

/**
 * `scoreQuery` with `pause` awaited after each query term and each merge: a query over half
 * of a large archive is scored in pieces of a few milliseconds. While it waits, the index
 * must not change (the server's searches hold index-gate's read turn); other queries may be
 * scored meanwhile, into other scratch sets.
 */
export async function scoreQueryPausing (miniSearch: MiniSearch<IndexedDocument>, query: Query, searchOptions: SearchOptions, pause: Pause, only?: DocumentSet): Promise<ScoredQuery | Unscored> {
  // A pause that throws closes the generator: its scratch set, half filled, is dropped.
  return await runPausing(scoring(miniSearch, query, searchOptions, only), pause)
}

/**
 * The scoring of `query`, a step per term and merge; returns what scoreQuery does. With
 * `only`, the documents outside it are skipped: the others get the same scores, in the same
 * order, as without it (each document's sums are its own).
 */
function * scoring (miniSearch: MiniSearch<IndexedDocument>, query: Query, searchOptions: SearchOptions, only: DocumentSet | undefined): Generator<void, ScoredQuery | Unscored, void> {
  // Read once per query: the loops below read plain properties of this view.
  const index = internalsOf(miniSearch)
  if (index === undefined) return { unsupported: 'the index does not have the internal shape of MiniSearch 7.2' }
  const scratch = takeScratch(miniSearch, index)
  const { levels, masks } = scratch
  const terms: string[] = []
  const leaves: Leaf[] = []
  let finished = false
  try {
    const options = { ...index.options.searchOptions, ...searchOptions }
    yield * evaluate(index, query, options, 0, { scratch, miniSearch, terms, leaves, only: only === undefined ? undefined : new OnlySet(only) })
    finished = true
  } catch (error) {
    if (error instanceof Unsupported) return { unsupported: error.message }
    throw error
  } finally {
    scratch.evaluating = false
    if (!finished) dropScratch(miniSearch, scratch) // half-filled: never reused
  }
  const top = levels[0] as Level
  const docs = top.docs
  top.docs = scratch.spare ?? new DocList()
  scratch.spare = undefined
  scratch.pending = docs
  const visiting = function * (visit: ScoreVisitor): Generator<void, void, void> {
    if (scratch.pending !== docs) throw new Error('the matches of a scored query are visited once, before the next query')
    // Taken again while visited: a query scored while this one waits at a pause takes another set.
    scratch.evaluating = true
    // Each match's entries are zeroed once visited; those of any not visited (a pause that threw) by release.
    let visited = 0
    try {
      for (; visited < docs.size; visited += 1) {
        if (visited > 0 && visited % ITEMS_BETWEEN_PAUSES === 0) yield
        const doc = docs.ids[visited] as number
        visit(doc, top.scores[doc] as number, masks[doc] as number)
        top.scores[doc] = 0
        top.touched[doc] = 0
        masks[doc] = 0
      }
    } finally {
      scratch.evaluating = false
      release(scratch, docs, visited)
      keepIdleFew(miniSearch, scratch)
    }
  }
  return {
    terms,
    count: docs.size,
    forEach: visit => runAtOnce(visiting(visit)),
    visiting,
    matchOf: shortId => matchOf(index, leaves, shortId)
  }
}

/** Zeroes what the top level and the masks hold for `docs` from `from` on (those before it were zeroed as visited). */
function release (scratch: Scratch, docs: DocList, from = 0): void {
  const top = scratch.levels[0]
  for (let at = from; at < docs.size; at += 1) {
    const doc = docs.ids[at] as number
    scratch.masks[doc] = 0
    if (top !== undefined) {
      top.scores[doc] = 0
      top.touched[doc] = 0
    }
  }
  docs.size = 0
  scratch.spare = docs
  scratch.pending = undefined
}

/** Room for the documents live changes add before the scratch arrays must be made again. */
export function capacityFor (nextId: number): number {
  return nextId + (nextId >> 3) + 1024
}

/**
 * A scratch set of `miniSearch` no query is being scored into (kept per index, not per view:
 * a view is taken per query). One whose matches were never visited is cleared first.
 */
function takeScratch (miniSearch: MiniSearch<IndexedDocument>, index: Internals): Scratch {
  let pool = scratchByIndex.get(miniSearch)
  if (pool === undefined) scratchByIndex.set(miniSearch, pool = [])
  // Sets made before live changes added documents past their room are dropped once free.
  for (const outgrown of pool.filter(candidate => !candidate.evaluating && candidate.masks.length < index.nextId)) dropScratch(miniSearch, outgrown)
  let scratch = pool.find(candidate => !candidate.evaluating)
  if (scratch === undefined) {
    scratch = { levels: [], masks: new Uint32Array(capacityFor(index.nextId)), evaluating: false }
    pool.push(scratch)
  }
  if (scratch.pending !== undefined) release(scratch, scratch.pending)
  scratch.evaluating = true
  return scratch
}

function dropScratch (miniSearch: MiniSearch<IndexedDocument>, scratch: Scratch): void {
  const pool = scratchByIndex.get(miniSearch)
  const at = pool?.indexOf(scratch) ?? -1
  if (at >= 0) pool?.splice(at, 1)
}

/** Drops `scratch` (just released) when the index keeps enough idle sets: queries scored at once past a pause made them. */
function keepIdleFew (miniSearch: MiniSearch<IndexedDocument>, scratch: Scratch): void {
  const pool = scratchByIndex.get(miniSearch) ?? []
  if (pool.filter(candidate => !candidate.evaluating && candidate.pending === undefined).length > MAX_IDLE_SCRATCH) dropScratch(miniSearch, scratch)
}

function level (levels: Level[], depth: number, size: number): Level {
  let found = levels[depth]
  if (found === undefined || found.scores.length < size) {
    const capacity = capacityFor(size)
    found = { scores: new Float64Array(capacity), touched: new Uint8Array(capacity), docs: new DocList() }
    levels[depth] = found
  }
  return found
}

/** What one query's evaluation shares across its tree: where it scores, and what it has found. */
interface Evaluation {
  scratch: Scratch
  /** Whose length columns loaded terms are scored with. */
  miniSearch: MiniSearch<IndexedDocument>
  /** The query's distinct terms so far (mask bits). */
  terms: string[]
  leaves: Leaf[]
  /** Only these documents are scored. */
  only: OnlySet | undefined
}

/** The documents a query scores alone: their bits, and (made when a long posting list first wants them) their short ids in order. */
class OnlySet {
  readonly bits: Uint32Array
  private list: Int32Array | undefined

  constructor (private readonly set: DocumentSet) {
    this.bits = set.bits
  }

  get members (): Int32Array {
    if (this.list === undefined) {
      const list = new Int32Array(this.set.size)
      let size = 0
      runAtOnce(this.set.visiting(shortId => { list[size++] = shortId }))
      this.list = list
    }
    return this.list
  }

  /** Whether its members are few enough beside `postings` postings to be looked up in them rather than the postings scanned. */
  fewBeside (postings: number): boolean {
    return this.list !== undefined ? this.list.length * LOOKUP_RATIO < postings : postings >= LOOKUP_RATIO && this.members.length * LOOKUP_RATIO < postings
  }
}

/**
 * A set scored alone is looked up in a posting list (galloping from the last place found)
 * when the list has this many postings per member: a lookup costs a few steps, a scanned
 * posting one bit test.
 */
const LOOKUP_RATIO = 16

/**
 * OR, for the child's documents `from`–`to`: existing.score + score, children in order; a new
 * document is appended. The child's entries are zeroed as they are read (a pass of their own
 * cost as much again).
 */
function mergeInto (into: Level, child: Level, from: number, to: number): void {
  // Read into locals: V8 does not keep a property's value across the loop's typed-array writes.
  const childIds = child.docs.ids
  const { scores: childScores, touched: childTouched } = child
  const { scores, touched } = into
  const ids = into.docs.reserve(to - from)
  let size = into.docs.size
  for (let at = from; at < to; at += 1) {
    const doc = childIds[at] as number
    if (touched[doc] === 0) {
      touched[doc] = 1
      ids[size++] = doc
    }
    scores[doc] = (scores[doc] as number) + (childScores[doc] as number)
    childScores[doc] = 0
    childTouched[doc] = 0
  }
  into.docs.size = size
}

/** Scores `query` into the level at `depth`, as MiniSearch's executeQuery would into one result Map. */
function * evaluate (index: Internals, query: Query, options: SearchOptions, depth: number, evaluation: Evaluation): Generator<void, void, void> {
  const { scratch, terms, leaves } = evaluation
  const levels = scratch.levels
  if (typeof query !== 'string') {
    if (typeof query !== 'object' || query === null || !Array.isArray(query.queries)) throw new Unsupported('a query node without subqueries')
    const nodeOptions = { ...options, ...query, queries: undefined } as SearchOptions
    if (String(nodeOptions.combineWith ?? 'or').toLowerCase() !== 'or') throw new Unsupported(`combineWith ${String(nodeOptions.combineWith)}`)
    level(levels, depth, index.nextId)
    level(levels, depth + 1, index.nextId)
    for (const subquery of query.queries) {
      yield * evaluate(index, subquery, nodeOptions, depth + 1, evaluation)
      const child = levels[depth + 1] as Level
      if ((levels[depth] as Level).docs.size === 0) {
        // Merged into nothing, the child's level is this node's as it stands (0 + score is score, in the
        // child's order): the two levels trade places, and the merge is not done.
        levels[depth + 1] = levels[depth] as Level
        levels[depth] = child
        continue
      }
      const into = levels[depth] as Level
      for (let from = 0; from < child.docs.size; from += ITEMS_BETWEEN_PAUSES) {
        if (from > 0) yield
        mergeInto(into, child, from, Math.min(child.docs.size, from + ITEMS_BETWEEN_PAUSES))
      }
      child.docs.size = 0 // each entry was zeroed as it was merged
      yield
    }
    return
  }
  const into = level(levels, depth, index.nextId)
  const merged = { ...index.options, ...options }
  if (merged.prefix !== undefined && merged.prefix !== false) throw new Unsupported('a prefix search')
  if (merged.fuzzy !== undefined && merged.fuzzy !== false) throw new Unsupported('a fuzzy search')
  if (merged.boostDocument != null) throw new Unsupported('a document boost')
  const processed = (merged.tokenize as Internals['options']['tokenize'])(query).flatMap(term => (merged.processTerm as Internals['options']['processTerm'])(term)).filter(term => !!term) as string[]
  if (processed.length !== 1) throw new Unsupported(`a leaf of ${processed.length} terms`)
  const term = processed[0] as string
  const termBoost = typeof merged.boostTerm === 'function' ? merged.boostTerm(term, 0, processed) : 1
  let bit = terms.indexOf(term)
  if (bit === -1) {
    if (terms.length >= MAX_TERMS) throw new Unsupported(`more than ${MAX_TERMS} distinct terms`)
    bit = terms.length
    terms.push(term)
  }
  const fields = merged.fields ?? index.options.fields
  const leaf: Leaf = { term, bit, fields, data: index.termTree.get(term) }
  leaves.push(leaf)
  const bm25 = merged.bm25 ?? DEFAULT_BM25
  // A loaded term is scored from typed arrays with the length columns (made on first use, in pieces).
  const columns = leaf.data instanceof LazyTermData ? yield * lengthColumns(evaluation.miniSearch, index) : undefined
  yield * scoreLeaf(index, leaf, termBoost, merged, bm25, into, scratch, columns, evaluation.only)
  yield
}

/** MiniSearch's termResults for one exact term, with its weight 1 and no document boost. */
function * scoreLeaf (index: Internals, leaf: Leaf, termBoost: number, options: SearchOptions, bm25: Bm25, into: Level, scratch: Scratch, columns: Uint32Array[] | undefined, only: OnlySet | undefined): Generator<void, void, void> {
  const data = leaf.data
  if (data == null) return
  const flag = 1 << leaf.bit
  // A loaded term is read as typed arrays and stays encoded; one changed since (or built in memory) as MiniSearch's Maps.
  const arrays = data instanceof LazyTermData ? data.postingArrays() : undefined
  for (const field of leaf.fields) {
    const fieldBoost = (Object.prototype.hasOwnProperty.call(options.boost ?? {}, field) ? (options.boost as Record<string, number>)[field] : undefined) || 1
    const fieldId = index.fieldIds[field] as number
    const weight = 1 * termBoost * fieldBoost * 1
    if (arrays !== undefined) {
      const postings = arrays.find(entry => entry.fieldId === fieldId)
      if (postings !== undefined) yield * scoreArrays(index, postings, fieldId, weight, bm25, into, scratch, (columns as Uint32Array[])[fieldId] as Uint32Array, flag, only)
      continue
    }
    const freqs = data.get(fieldId)
    if (freqs == null) continue
    const matchingFields = index.dirtCount === 0 ? freqs.size : liveCount(index, freqs.keys())
    const avgFieldLength = index.averageFieldLength[fieldId] as number
    for (const [docId, termFreq] of freqs) {
      if (only !== undefined && !inSet(only.bits, docId)) continue
      const lengths = index.fieldLength.get(docId)
      if (lengths === undefined) continue // a discarded document's posting, not yet vacuumed
      const fieldLength = lengths[fieldId] as number
      const rawScore = bm25Score(termFreq, matchingFields, index.documentCount, fieldLength, avgFieldLength, bm25)
      add(into, scratch.masks, docId, weight * rawScore, flag)
    }
  }
}

/**
 * As the Map loop of scoreLeaf, over typed arrays and with the lengths read from a column: the
 * same operations on the same numbers, so the same scores. A discarded document has no
 * length: its posting is skipped, and not counted in the idf. Yields every
 * ITEMS_BETWEEN_PAUSES postings (the index does not change while a query waits).
 */
function * scoreArrays (index: Internals, postings: FieldPostingArrays, fieldId: number, weight: number, bm25: Bm25, into: Level, scratch: Scratch, lengths: Uint32Array, flag: number, only: OnlySet | undefined): Generator<void, void, void> {
  const matching = index.dirtCount === 0 ? postings.documents.length : liveLengthCount(postings.documents, lengths)
  const invDocFreq = inverseDocumentFrequency(index.documentCount, matching)
  const average = index.averageFieldLength[fieldId] as number
  if (only !== undefined && postings.ascending && only.fewBeside(postings.documents.length)) {
    // The same postings in the same order as the scan below would score: both go by ascending document id.
    const members = only.members
    let place = 0
    for (let from = 0; from < members.length && place < postings.documents.length; from += ITEMS_BETWEEN_PAUSES) {
      if (from > 0) yield
      place = scoreMembers(members, from, Math.min(members.length, from + ITEMS_BETWEEN_PAUSES), place, postings, lengths, average, weight, invDocFreq, bm25, into, scratch, flag)
    }
    return
  }
  for (let from = 0; from < postings.documents.length; from += ITEMS_BETWEEN_PAUSES) {
    if (from > 0) yield
    const to = Math.min(postings.documents.length, from + ITEMS_BETWEEN_PAUSES)
    if (only === undefined) scorePostings(postings, from, to, lengths, average, weight, invDocFreq, bm25, into, scratch, flag)
    else scorePostingsIn(only.bits, postings, from, to, lengths, average, weight, invDocFreq, bm25, into, scratch, flag)
  }
}

/** scorePostingsIn for `members` `from`–`to`, each looked up in ascending postings from `place` on; returns the place reached. */
function scoreMembers (members: Int32Array, from: number, to: number, place: number, { documents, frequencies }: FieldPostingArrays, lengths: Uint32Array, average: number, weight: number, invDocFreq: number, { k, b, d }: Bm25, into: Level, scratch: Scratch, flag: number): number {
  let at = place
  for (let member = from; member < to && at < documents.length; member += 1) {
    const docId = members[member] as number
    at = firstAtLeast(documents, at, docId)
    if (at === documents.length || documents[at] !== docId) continue
    const stored = lengths[docId] as number
    if (stored === 0) continue
    const termFreq = frequencies[at] as number
    const rawScore = invDocFreq * (d + termFreq * (k + 1) / (termFreq + k * (1 - b + b * (stored - 1) / average)))
    add(into, scratch.masks, docId, weight * rawScore, flag)
  }
  return at
}

/** The first place from `from` on whose document id is at least `target` (the length when none is), galloping then halving. */
function firstAtLeast (documents: Uint32Array, from: number, target: number): number {
  let low = from
  let high = from
  let step = 1
  while (high < documents.length && (documents[high] as number) < target) {
    low = high + 1
    high += step
    step *= 2
  }
  if (high > documents.length) high = documents.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((documents[middle] as number) < target) low = middle + 1
    else high = middle
  }
  return low
}

/** scoreArrays' postings `from`–`to`. */
function scorePostings ({ documents, frequencies }: FieldPostingArrays, from: number, to: number, lengths: Uint32Array, average: number, weight: number, invDocFreq: number, { k, b, d }: Bm25, into: Level, scratch: Scratch, flag: number): void {
  // add(), with the arrays read into locals: V8 does not keep a property's value across the loop's typed-array writes.
  const { scores, touched } = into
  const masks = scratch.masks
  const ids = into.docs.reserve(to - from)
  let size = into.docs.size
  for (let at = from; at < to; at += 1) {
    const docId = documents[at] as number
    const stored = lengths[docId] as number
    if (stored === 0) continue
    const termFreq = frequencies[at] as number
    // MiniSearch's calcBM25Score, operation for operation.
    const rawScore = invDocFreq * (d + termFreq * (k + 1) / (termFreq + k * (1 - b + b * (stored - 1) / average)))
    if (touched[docId] === 0) {
      touched[docId] = 1
      ids[size++] = docId
    }
    scores[docId] = (scores[docId] as number) + weight * rawScore
    masks[docId] = (masks[docId] as number) | flag
  }
  into.docs.size = size
}

/** scorePostings for the documents in `only` (a DocumentSet's bits); a loop of its own, so the common one tests nothing more. */
function scorePostingsIn (only: Uint32Array, { documents, frequencies }: FieldPostingArrays, from: number, to: number, lengths: Uint32Array, average: number, weight: number, invDocFreq: number, { k, b, d }: Bm25, into: Level, scratch: Scratch, flag: number): void {
  for (let at = from; at < to; at += 1) {
    const docId = documents[at] as number
    if (((only[docId >>> 5] as number) & (1 << (docId & 31))) === 0) continue
    const stored = lengths[docId] as number
    if (stored === 0) continue
    const termFreq = frequencies[at] as number
    const rawScore = invDocFreq * (d + termFreq * (k + 1) / (termFreq + k * (1 - b + b * (stored - 1) / average)))
    add(into, scratch.masks, docId, weight * rawScore, flag)
  }
}

function inSet (bits: Uint32Array, docId: number): boolean {
  return docId >>> 5 < bits.length && ((bits[docId >>> 5] as number) & (1 << (docId & 31))) !== 0
}

/** Postings of live documents (those with a length in the field) among `documents`. */
function liveLengthCount (documents: FieldPostingArrays['documents'], lengths: Uint32Array): number {
  let live = 0
  for (let at = 0; at < documents.length; at += 1) {
    if (lengths[documents[at] as number] !== 0) live += 1
  }
  return live
}

/** Documents among `docIds` that are live (a discarded one keeps postings until vacuumed, but no lengths). */
function liveCount (index: Internals, docIds: Iterable<number>): number {
  let live = 0
  for (const docId of docIds) if (index.fieldLength.has(docId)) live += 1
  return live
}

function add (into: Level, masks: Uint32Array, docId: number, score: number, flag: number): void {
  if (into.touched[docId] === 0) {
    into.touched[docId] = 1
    into.docs.push(docId)
  }
  into.scores[docId] = (into.scores[docId] as number) + score
  masks[docId] = (masks[docId] as number) | flag
}

function fieldCountOf (index: Internals): number {
  return Object.keys(index.fieldIds).length
}

type Bm25 = { k: number, b: number, d: number }

/**
 * The index's length columns, filled while the documents' lengths hold (a live change that
 * adds or removes a document makes them anew), yielding every LENGTHS_BETWEEN_PAUSES
 * documents. The fill is the index's, not the query's: a query that comes while another waits
 * at a pause goes on with it, and both have every column when it returns.
 */
export function * lengthColumns (miniSearch: MiniSearch<IndexedDocument>, index: Internals): Generator<void, Uint32Array[], void> {
  const key = `${index.nextId}:${index.documentCount}`
  let fill = columnsByIndex.get(miniSearch)
  if (fill === undefined || fill.key !== key) {
    const fieldCount = fieldCountOf(index)
    fill = { key, columns: Array.from({ length: fieldCount }, () => new Uint32Array(index.nextId)), rest: index.fieldLength.entries() }
    columnsByIndex.set(miniSearch, fill)
    yield // zeroing large arrays takes milliseconds
  }
  const columns = fill.columns
  yield * drainInPieces(fill, LENGTHS_BETWEEN_PAUSES, ([docId, lengths]) => {
    for (let fieldId = 0; fieldId < columns.length; fieldId += 1) {
      const fieldLength = lengths[fieldId]
      if (fieldLength !== undefined) (columns[fieldId] as Uint32Array)[docId] = fieldLength + 1
    }
  })
  return columns
}

/**
 * Fills `miniSearch`'s length columns ahead of the first query that needs them, `pause`
 * awaited between pieces: a server prepares a build this way before it serves it.
 */
export async function prepareLengthColumns (miniSearch: MiniSearch<IndexedDocument>, pause: Pause): Promise<void> {
  const index = internalsOf(miniSearch)
  if (index === undefined) return
  await runPausing(lengthColumns(miniSearch, index), pause)
}

/** BM25's idf as MiniSearch 7.2 computes it, of a term `matching` of `documentCount` documents hold (score-bounds.ts bounds with it too). */
export function inverseDocumentFrequency (documentCount: number, matching: number): number {
  return Math.log(1 + (documentCount - matching + 0.5) / (matching + 0.5))
}

/** MiniSearch 7.2's calcBM25Score, term for term. */
function bm25Score (termFreq: number, matchingCount: number, totalCount: number, fieldLength: number, avgFieldLength: number, { k, b, d }: Bm25): number {
  const invDocFreq = inverseDocumentFrequency(totalCount, matchingCount)
  return invDocFreq * (d + termFreq * (k + 1) / (termFreq + k * (1 - b + b * fieldLength / avgFieldLength)))
}

/**
 * Replays the leaves for one document: fields matched per term, a later leaf's entry replacing
 * an earlier one (MiniSearch merges with Object.assign); terms in the order they first matched.
 */
function matchOf (index: Internals, leaves: Leaf[], shortId: number): { match: MatchInfo, queryTerms: string[] } {
  const match: MatchInfo = {}
  const queryTerms: string[] = []
  for (const leaf of leaves) {
    const fields = leaf.fields.filter(field => leaf.data !== undefined && termFrequency(leaf.data, index.fieldIds[field] as number, shortId) > 0)
    if (fields.length === 0) continue
    match[leaf.term] = fields
    if (!queryTerms.includes(leaf.term)) queryTerms.push(leaf.term)
  }
  return { match, queryTerms }
}

/** A document's frequency for a term in one field (0: absent), leaving a loaded term encoded. */
export function termFrequency (data: TermData, fieldId: number, shortId: number): number {
  const arrays = data instanceof LazyTermData ? data.postingArrays() : undefined
  if (arrays === undefined) return data.get(fieldId)?.get(shortId) ?? 0
  const postings = arrays.find(entry => entry.fieldId === fieldId)
  return postings === undefined ? 0 : frequencyOf(postings, shortId)
}
