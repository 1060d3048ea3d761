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

/** BM25's length part per document and field, `k·(1 − b + b·length/average)`, per (k, b) (see lengthNorms), shared by an index's scratch sets. */
interface Norms {
  byParameters: Map<string, NormsFill>
  /** What the norms were computed for: they hold while the documents' lengths do. */
  key: string
}

/** One (k, b)'s norms, filled from the index's lengths a piece at a time (`rest`: the documents left). */
interface NormsFill extends SharedPass<[number, number[]]> {
  norms: Float64Array
}

/** Documents whose norms are computed between the points where scoring may pause (a few milliseconds' work). */
const NORMS_BETWEEN_PAUSES = 32_768

/** Document ids in the order first added, in a typed array reused from query to query. */
class DocList {
  ids = new Int32Array(1024)
  size = 0

  push (id: number): void {
    if (this.size === this.ids.length) this.ids = grown(this.ids, this.size * 2)
    this.ids[this.size++] = id
  }
}

/** Scratch sets kept per index beyond those in use: more only while queries wait at pauses. */
const MAX_IDLE_SCRATCH = 2
const scratchByIndex = new WeakMap<object, Scratch[]>()
const normsByIndex = new WeakMap<object, Norms>()

class Unsupported extends Error {}

/**
 * Scores every match of `query` as MiniSearch does, before its `× matched query terms`, or
 * says why it cannot (a query shape MiniSearch's own execution must handle).
 */
export function scoreQuery (miniSearch: MiniSearch<IndexedDocument>, query: Query, searchOptions: SearchOptions): ScoredQuery | Unscored {
  return runAtOnce(scoring(miniSearch, query, searchOptions))
}

/**
 * `scoreQuery` with `pause` awaited after each query term and each merge: a query over half
 * of a large archive is scored in pieces of a few milliseconds. While it waits, the index
 * must not change (the server's searches hold index-gate's read turn); other queries may be
 * scored meanwhile, into other scratch sets.
 */
export async function scoreQueryPausing (miniSearch: MiniSearch<IndexedDocument>, query: Query, searchOptions: SearchOptions, pause: Pause): Promise<ScoredQuery | Unscored> {
  // A pause that throws closes the generator: its scratch set, half filled, is dropped.
  return await runPausing(scoring(miniSearch, query, searchOptions), pause)
}

/** The scoring of `query`, a step per term and merge; returns what scoreQuery does. */
function * scoring (miniSearch: MiniSearch<IndexedDocument>, query: Query, searchOptions: SearchOptions): Generator<void, ScoredQuery | Unscored, void> {
  // Read once per query: the loops below read plain properties of this view.
  const index = internalsOf(miniSearch)
  if (index === undefined) return { unsupported: 'the index does not have the internal shape of MiniSearch 7.2' }
  const scratch = takeScratch(miniSearch, index)
  const norms = normsFor(miniSearch, index)
  const { levels, masks } = scratch
  const terms: string[] = []
  const leaves: Leaf[] = []
  let finished = false
  try {
    const options = { ...index.options.searchOptions, ...searchOptions }
    yield * evaluate(index, query, options, 0, scratch, norms, terms, leaves)
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
    try {
      for (let at = 0; at < docs.size; at += 1) {
        if (at > 0 && at % ITEMS_BETWEEN_PAUSES === 0) yield
        const doc = docs.ids[at] as number
        visit(doc, top.scores[doc] as number, masks[doc] as number)
      }
    } finally {
      scratch.evaluating = false
      release(scratch, docs)
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

/** Zeroes what the top level and the masks hold for `docs`. */
function release (scratch: Scratch, docs: DocList): void {
  const top = scratch.levels[0]
  for (let at = 0; at < docs.size; at += 1) {
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

/** The index's length norms, emptied when the documents' lengths have changed. */
function normsFor (miniSearch: MiniSearch<IndexedDocument>, index: Internals): Norms {
  const key = `${index.nextId}:${index.documentCount}:${index.averageFieldLength.join(',')}`
  let norms = normsByIndex.get(miniSearch)
  if (norms === undefined) normsByIndex.set(miniSearch, norms = { byParameters: new Map(), key })
  if (norms.key !== key) {
    norms.byParameters.clear()
    norms.key = key
  }
  return norms
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

function clear (level: Level): void {
  const { docs } = level
  for (let at = 0; at < docs.size; at += 1) {
    const doc = docs.ids[at] as number
    level.scores[doc] = 0
    level.touched[doc] = 0
  }
  docs.size = 0
}

/** Scores `query` into the level at `depth`, as MiniSearch's executeQuery would into one result Map. */
function * evaluate (index: Internals, query: Query, options: SearchOptions, depth: number, scratch: Scratch, norms: Norms, terms: string[], leaves: Leaf[]): Generator<void, void, void> {
  const levels = scratch.levels
  const into = level(levels, depth, index.nextId)
  if (typeof query !== 'string') {
    if (typeof query !== 'object' || query === null || !Array.isArray(query.queries)) throw new Unsupported('a query node without subqueries')
    const nodeOptions = { ...options, ...query, queries: undefined } as SearchOptions
    if (String(nodeOptions.combineWith ?? 'or').toLowerCase() !== 'or') throw new Unsupported(`combineWith ${String(nodeOptions.combineWith)}`)
    const child = level(levels, depth + 1, index.nextId)
    for (const subquery of query.queries) {
      yield * evaluate(index, subquery, nodeOptions, depth + 1, scratch, norms, terms, leaves)
      // OR: existing.score + score, children in order; a new document is appended.
      for (let at = 0; at < child.docs.size; at += 1) {
        if (at > 0 && at % ITEMS_BETWEEN_PAUSES === 0) yield
        const doc = child.docs.ids[at] as number
        if (into.touched[doc] === 0) {
          into.touched[doc] = 1
          into.docs.push(doc)
        }
        into.scores[doc] = (into.scores[doc] as number) + (child.scores[doc] as number)
      }
      clear(child)
      yield
    }
    return
  }
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
  // A loaded term is scored from typed arrays with the length norms (made on first use, in pieces: 800,000 documents' took 70–100 ms).
  const arrayNorms = leaf.data instanceof LazyTermData ? yield * lengthNorms(index, norms, bm25) : undefined
  yield * scoreLeaf(index, leaf, termBoost, merged, bm25, into, scratch, arrayNorms)
  yield
}

/** MiniSearch's termResults for one exact term, with its weight 1 and no document boost. */
function * scoreLeaf (index: Internals, leaf: Leaf, termBoost: number, options: SearchOptions, bm25: Bm25, into: Level, scratch: Scratch, norms: Float64Array | undefined): Generator<void, void, void> {
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
      if (postings !== undefined) yield * scoreArrays(index, postings, fieldId, weight, bm25, into, scratch, norms as Float64Array, flag)
      continue
    }
    const freqs = data.get(fieldId)
    if (freqs == null) continue
    const matchingFields = index.dirtCount === 0 ? freqs.size : liveCount(index, freqs.keys())
    const avgFieldLength = index.averageFieldLength[fieldId] as number
    for (const [docId, termFreq] of freqs) {
      const lengths = index.fieldLength.get(docId)
      if (lengths === undefined) continue // a discarded document's posting, not yet vacuumed
      const fieldLength = lengths[fieldId] as number
      const rawScore = bm25Score(termFreq, matchingFields, index.documentCount, fieldLength, avgFieldLength, bm25)
      add(into, scratch.masks, docId, weight * rawScore, flag)
    }
  }
}

/**
 * As the Map loop of scoreLeaf, over typed arrays and with the length part of BM25 looked
 * up: the same operations on the same numbers, so the same scores. A discarded document has
 * no length, so no norm (NaN): its posting is skipped, and not counted in the idf. Yields
 * every ITEMS_BETWEEN_PAUSES postings (the index does not change while a query waits).
 */
function * scoreArrays (index: Internals, postings: FieldPostingArrays, fieldId: number, weight: number, bm25: Bm25, into: Level, scratch: Scratch, norms: Float64Array, flag: number): Generator<void, void, void> {
  const fieldCount = fieldCountOf(index)
  const matching = index.dirtCount === 0 ? postings.documents.length : liveNormCount(postings.documents, norms, fieldCount, fieldId)
  const invDocFreq = Math.log(1 + (index.documentCount - matching + 0.5) / (matching + 0.5))
  for (let from = 0; from < postings.documents.length; from += ITEMS_BETWEEN_PAUSES) {
    if (from > 0) yield
    scorePostings(postings, from, Math.min(postings.documents.length, from + ITEMS_BETWEEN_PAUSES), fieldCount, fieldId, weight, invDocFreq, bm25, into, scratch, norms, flag)
  }
}

/** scoreArrays' postings `from`–`to`. */
function scorePostings ({ documents, frequencies }: FieldPostingArrays, from: number, to: number, fieldCount: number, fieldId: number, weight: number, invDocFreq: number, { k, d }: Bm25, into: Level, scratch: Scratch, norms: Float64Array, flag: number): void {
  for (let at = from; at < to; at += 1) {
    const docId = documents[at] as number
    const norm = norms[docId * fieldCount + fieldId] as number
    if (Number.isNaN(norm)) continue
    const termFreq = frequencies[at] as number
    const rawScore = invDocFreq * (d + termFreq * (k + 1) / (termFreq + norm))
    add(into, scratch.masks, docId, weight * rawScore, flag)
  }
}

/** Postings of live documents (those with a length norm) among `documents`. */
function liveNormCount (documents: FieldPostingArrays['documents'], norms: Float64Array, fieldCount: number, fieldId: number): number {
  let live = 0
  for (let at = 0; at < documents.length; at += 1) {
    if (!Number.isNaN(norms[(documents[at] as number) * fieldCount + fieldId] as number)) live += 1
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
 * `k·(1 − b + b·length/average)` for every document and field, computed once per (k, b)
 * while the lengths hold, yielding every NORMS_BETWEEN_PAUSES documents. The fill is the
 * index's, not the query's: a query that comes while another waits at a pause goes on with
 * it, and both have the whole array when it returns.
 */
function * lengthNorms (index: Internals, cache: Norms, { k, b }: Bm25): Generator<void, Float64Array, void> {
  const key = `${k}:${b}`
  let fill = cache.byParameters.get(key)
  if (fill === undefined) {
    fill = { norms: new Float64Array(index.nextId * fieldCountOf(index)).fill(Number.NaN), rest: index.fieldLength.entries() }
    cache.byParameters.set(key, fill)
    yield // zeroing and filling a large array takes milliseconds
  }
  const averages = index.averageFieldLength
  const fieldCount = fieldCountOf(index)
  const norms = fill.norms
  yield * drainInPieces(fill, NORMS_BETWEEN_PAUSES, ([docId, lengths]) => {
    for (let fieldId = 0; fieldId < fieldCount; fieldId += 1) {
      const fieldLength = lengths[fieldId]
      if (fieldLength !== undefined) norms[docId * fieldCount + fieldId] = k * (1 - b + b * fieldLength / (averages[fieldId] as number))
    }
  })
  return norms
}

/**
 * Computes `miniSearch`'s length norms for each of `shapes` (their BM25 parameters) ahead of
 * the first query that needs them, `pause` awaited between pieces: a server prepares a build
 * this way before it serves it.
 */
export async function prepareLengthNorms (miniSearch: MiniSearch<IndexedDocument>, shapes: readonly Bm25[], pause: Pause): Promise<void> {
  const index = internalsOf(miniSearch)
  if (index === undefined) return
  for (const bm25 of shapes) await runPausing(lengthNorms(index, normsFor(miniSearch, index), bm25), pause)
}

/** MiniSearch 7.2's calcBM25Score, term for term. */
function bm25Score (termFreq: number, matchingCount: number, totalCount: number, fieldLength: number, avgFieldLength: number, { k, b, d }: Bm25): number {
  const invDocFreq = Math.log(1 + (totalCount - matchingCount + 0.5) / (matchingCount + 0.5))
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
