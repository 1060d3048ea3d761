/**
 * The index's own vocabulary, per snapshot: does a term exist, in how many documents,
 * which terms lie within a few edits or start with a prefix, and how a term is written
 * by people (its most frequent headline spelling). Query understanding (layout, typos,
 * transliteration) and `/suggest` ask it instead of guessing from letter statistics.
 *
 * MiniSearch 7.2 keeps its term dictionary (a radix tree: term → field → document →
 * frequency) in private state and offers no public lookup by term, so this module reads it
 * through minisearch-internals.ts (the one module that knows MiniSearch's private members;
 * score-query, term-counts and the index files read them there too). Surface forms come
 * from the headlines, which MiniSearch already holds in memory as stored fields; they are
 * collected once per snapshot, before a server makes it live (`prepareVocabulary`, in slices)
 * or else on first use.
 */
import type MiniSearch from 'minisearch'
import type { Analyzer } from '../analysis/analyzer.js'
import { normalize } from '../analysis/normalize.js'
import { tokenize } from '../analysis/tokenize.js'
import { expectInternals, type TermData, type TermTree } from '../index/minisearch-internals.js'
import type { Snapshot } from '../index/open-index.js'
import type { IndexedDocument } from '../index/minisearch-options.js'
import { storedValue } from '../index/stored-fields-table.js'
import { LazyTermData } from '../index/term-data.js'
import { PackedStrings } from './packed-strings.js'
import { ShardedMap } from './sharded-map.js'
import { runAtOnce, runPausing, timeSlicer } from '../index/time-slicer.js'

/** field id → short document id → term frequency (MiniSearch's posting layout). */
type TermPostings = TermData

export interface TermCandidate {
  term: string
  documents: number
  distance: number
}

export interface Completion {
  /** The word as people write it (lower case), e.g. «дуров». */
  word: string
  /** Documents holding one of the word's terms. */
  documents: number
}

export class Vocabulary {
  private readonly terms: TermTree
  private readonly headlines: HeadlineWords

  constructor (miniSearch: MiniSearch<IndexedDocument>, private readonly analyzer: Analyzer, headlines: HeadlineWords) {
    this.terms = expectInternals(miniSearch).termTree
    this.headlines = headlines
  }

  private looksLikeWord (term: string): boolean {
    if (!this.analyzer.termsOf(term).includes(term)) return false
    if (!CYRILLIC.test(term) || this.isWholeWordTerm(term)) return true
    const { words } = this.headlines
    const next = words.lowerBound(term)
    return next === words.length || words.at(next) === term || !words.startsWith(next, term)
  }

  /** Documents holding `term` in any field. */
  documentsWith (term: string): number {
    const postings = this.terms.get(term)
    return postings === undefined ? 0 : countDocuments(postings)
  }

  /** Documents holding any of `terms` (an upper bound when they overlap: a cheap signal, not a count). */
  documentsWithAny (terms: readonly string[]): number {
    let total = 0
    for (const term of terms) total += this.documentsWith(term)
    return total
  }

  /**
   * Documents holding one of `terms` and one of `others` (exact: postings intersected). The
   * side with fewer documents is made a set and the other's postings are read against it:
   * «путин» holds 64,350 documents at 800,000 and its Latin spelling a few hundred, and a set
   * of the larger side cost 7 ms of every query for «Путин».
   */
  documentsWithBoth (terms: readonly string[], others: readonly string[]): number {
    const [fewer, more] = this.documentsWithAny(terms) <= this.documentsWithAny(others) ? [terms, others] : [others, terms]
    const unseen = this.documentSet(fewer)
    let both = 0
    for (const term of more) {
      if (unseen.size === 0) break
      const postings = this.terms.get(term)
      // Deleted once counted: a document holding the term in several fields counts once.
      if (postings !== undefined) forEachDocument(postings, id => { if (unseen.delete(id)) both += 1 })
    }
    return both
  }

  private documentSet (terms: readonly string[]): Set<number> {
    const documents = new Set<number>()
    for (const term of terms) {
      const postings = this.terms.get(term)
      if (postings !== undefined) forEachDocument(postings, id => documents.add(id))
    }
    return documents
  }

  /** Index terms within `maxEdits` of `term` (itself excluded), most documents first. */
  near (term: string, maxEdits: number, limit: number): TermCandidate[] {
    if (maxEdits <= 0) return []
    const found: TermCandidate[] = []
    for (const [candidate, [postings, distance]] of this.terms.fuzzyGet(term, maxEdits)) {
      if (candidate !== term) found.push({ term: candidate, documents: countDocuments(postings), distance })
    }
    return found.sort((a, b) => a.distance - b.distance || b.documents - a.documents).slice(0, limit)
  }

  /** How `term` is usually written in headlines; the term itself when no headline has it. */
  surfaceOf (term: string): string {
    const { words, terms, spellings } = this.headlines
    if (words.has(term) || this.isWholeWordTerm(term)) return term
    const at = terms.indexOf(term)
    return at < 0 ? term : words.at(spellings[at] as number)
  }

  /** A term that is a word form itself, kept beside its stem («дуров» beside «дур»). */
  private isWholeWordTerm (term: string): boolean {
    const terms = this.analyzer.termsOf(term)
    return terms.length > 1 && terms.includes(term)
  }

  /** Documents of a word: of the word itself when it is a term, else of its stem (never of a hyphen part). */
  private documentsOfWord (word: string): number {
    const terms = this.analyzer.termsOf(word)
    return this.documentsWith(terms.includes(word) ? word : terms[0] ?? word)
  }

  /**
   * Words starting with `prefix`, the most documents first: headline spellings (real
   * words) and index terms that are whole words themselves (names kept whole, Latin
   * brands). At most `scanLimit` candidates are looked at, so a one-letter prefix costs
   * the same as a long one.
   */
  complete (prefix: string, limit: number, scanLimit = 400): Completion[] {
    const start = normalize(prefix)
    const words = new Set<string>()
    const headlineWords = this.headlines.words
    for (let at = headlineWords.lowerBound(start); at < headlineWords.length && words.size < scanLimit; at += 1) {
      if (!headlineWords.startsWith(at, start)) break
      words.add(headlineWords.at(at))
    }
    let scanned = 0
    for (const [term] of this.terms.atPrefix(start).entries()) {
      if (scanned++ >= scanLimit) break
      if (!words.has(term) && this.looksLikeWord(term)) words.add(term)
    }
    const completions: Completion[] = []
    for (const word of words) {
      if (word === start) continue
      const documents = this.documentsOfWord(word)
      if (documents > 0) completions.push({ word, documents })
    }
    return completions.sort((a, b) => b.documents - a.documents || a.word.localeCompare(b.word)).slice(0, limit)
  }
}

/**
 * An index term offered as a completion must read as a word: a name kept whole
 * («дуров»), a Latin brand, a body-only word. A stem («ставк») is skipped when a
 * headline word continues it, as that word is offered instead.
 */
const CYRILLIC = /\p{Script=Cyrillic}/u

function countDocuments (postings: TermPostings): number {
  // A loaded term is counted without decoding it (see term-data).
  if (postings instanceof LazyTermData) return postings.mostFieldDocuments()
  let most = 0
  for (const documents of postings.values()) most = Math.max(most, documents.size)
  return most
}

/** Each document holding the term in some field (a document in several fields more than once). */
function forEachDocument (postings: TermPostings, visit: (shortId: number) => void): void {
  const arrays = postings instanceof LazyTermData ? postings.postingArrays() : undefined
  if (arrays !== undefined) {
    for (const field of arrays) for (const id of field.documents) visit(id)
    return
  }
  for (const documents of postings.values()) for (const id of documents.keys()) visit(id)
}

/**
 * The headlines' words, and the terms they spell with each term's most frequent spelling.
 * Kept as long as the snapshot, so packed (packed-strings.ts): at 800,000 documents half a
 * million words and as many terms, as strings in Maps and an array, were 90 ms of every full
 * collection.
 */
export interface HeadlineWords {
  /** The words as normalised, sorted: for prefix completion, and whether a term is a word. */
  words: PackedStrings
  /** The terms the words are analysed to, sorted. */
  terms: PackedStrings
  /** By term: its most frequent spelling's place in `words`. */
  spellings: Int32Array
}

/**
 * Headlines counted, and distinct words analysed, between checks of the clock. Few words: each
 * is looked up in the dictionaries (tens of µs while they are cold), and its allocations bring
 * the collector's marking steps with them (up to 10 ms each on an 800k server's heap). With
 * 512 words at a time, slices ran to 75–130 ms on an 800k start.
 */
const HEADLINES_BETWEEN_CHECKS = 8
const WORDS_BETWEEN_CHECKS = 64
/** Words merged between checks of the clock: comparisons into an array made beforehand. */
const MERGED_BETWEEN_CHECKS = 4096
/** Sorted runs merged in passes; each run is sorted at once (a few milliseconds). */
const SORT_RUN = 8192

/**
 * Counts the headlines' words. A generator, so that one body serves both the synchronous
 * build (first use in a process that did not prepare) and the sliced one (a server's load:
 * at 800k documents this is some 16 million tokens and a sort of a million words, seconds
 * of work that must not hold the event loop): it yields where a pause may come.
 */
function * headlineWordsOf (analyzer: Analyzer, titles: Iterable<string>): Generator<undefined, HeadlineWords> {
  // Sharded (no Map of half a million words to grow in one step), with the first-seen order
  // kept apart: a term's spelling is its most frequent word, the first seen among equals.
  const counts = new ShardedMap<number>()
  const inOrder: string[] = []
  let done = 0
  for (const title of titles) {
    for (const token of tokenize(title)) {
      const word = normalize(token.text)
      const shard = counts.shardOf(word)
      const count = shard.get(word)
      if (count === undefined) inOrder.push(word)
      shard.set(word, (count ?? 0) + 1)
    }
    if (++done % HEADLINES_BETWEEN_CHECKS === 0) yield
  }
  // Each distinct word analysed once, and not cached (analyzeTokenUncached): a stop word or
  // junk, which has no terms, is no headline word.
  const spellingOf = new ShardedMap<string>()
  const kept: string[] = []
  const spelled: string[] = []
  done = 0
  for (const word of inOrder) {
    const count = counts.get(word) as number
    const terms = analyzer.analyzeTokenUncached(word)
    if (terms.length > 0) kept.push(word)
    for (const term of terms) {
      const known = spellingOf.get(term)
      if (known === undefined) spelled.push(term)
      if (known === undefined || (counts.get(known) as number) < count) spellingOf.set(term, word)
    }
    if (++done % WORDS_BETWEEN_CHECKS === 0) yield
  }
  const words = yield * PackedStrings.pack(yield * sortInRuns(kept))
  const sortedTerms = yield * sortInRuns(spelled)
  const spellings = new Int32Array(sortedTerms.length)
  for (const [at, term] of sortedTerms.entries()) {
    spellings[at] = words.indexOf(spellingOf.get(term) as string)
    if (at % MERGED_BETWEEN_CHECKS === 0) yield
  }
  return { words, terms: yield * PackedStrings.pack(sortedTerms), spellings }
}

/** `words` sorted as `Array.prototype.sort` sorts strings (by UTF-16 code units), by runs merged pairwise. */
function * sortInRuns (words: string[]): Generator<undefined, string[]> {
  let runs: string[][] = []
  for (let at = 0; at < words.length; at += SORT_RUN) {
    runs.push(words.slice(at, at + SORT_RUN).sort())
    yield
  }
  while (runs.length > 1) {
    const merged: string[][] = []
    for (let i = 0; i < runs.length; i += 2) {
      const a = runs[i] as string[]
      const b = runs[i + 1]
      merged.push(b === undefined ? a : yield * mergeSorted(a, b))
    }
    runs = merged
  }
  return runs[0] ?? []
}

/** `words` sorted as `[...words].sort()` sorts them, through the runs and merges the sliced build uses. */
export function sortWords (words: string[]): string[] {
  return runAtOnce(sortInRuns(words))
}

function * mergeSorted (a: string[], b: string[]): Generator<undefined, string[]> {
  const out = new Array<string>(a.length + b.length)
  let i = 0
  let j = 0
  for (let k = 0; k < out.length; k += 1) {
    // Ties take a's first: the runs are consecutive slices, so the merge is stable like sort().
    out[k] = j >= b.length || (i < a.length && (a[i] as string) <= (b[j] as string)) ? a[i++] as string : b[j++] as string
    if (k % MERGED_BETWEEN_CHECKS === 0) yield
  }
  return out
}

const vocabularies = new WeakMap<Snapshot, Vocabulary>()

/** Snapshots whose vocabulary is being prepared in the background, with the one used meanwhile. */
const interim = new WeakMap<Snapshot, Vocabulary>()

const NO_HEADLINES: HeadlineWords = { words: PackedStrings.EMPTY, terms: PackedStrings.EMPTY, spellings: new Int32Array(0) }

/**
 * The snapshot's vocabulary, built on first use (unless prepared) and dropped with the
 * snapshot. While `prepareVocabularyInBackground` works, one without headline spellings.
 */
export function vocabularyOf (snapshot: Snapshot): Vocabulary {
  let vocabulary = vocabularies.get(snapshot) ?? interim.get(snapshot)
  if (vocabulary === undefined) {
    vocabulary = new Vocabulary(snapshot.miniSearch, snapshot.analyzer, runAtOnce(headlineWordsOf(snapshot.analyzer, titlesOf(snapshot))))
    vocabularies.set(snapshot, vocabulary)
  }
  return vocabulary
}

/**
 * Builds the snapshot's vocabulary ahead of its first use, working at most `sliceMs` at a
 * time between yields to the event loop (a server's load: searches and /health go on).
 */
export async function prepareVocabulary (snapshot: Snapshot, sliceMs = 8): Promise<Vocabulary> {
  const ready = vocabularies.get(snapshot)
  if (ready !== undefined) return ready
  const headlines = await runPausing(headlineWordsOf(snapshot.analyzer, titlesOf(snapshot)), timeSlicer(sliceMs))
  // A search may have built it meanwhile (vocabularyOf); keep the one in use.
  const vocabulary = vocabularies.get(snapshot) ?? new Vocabulary(snapshot.miniSearch, snapshot.analyzer, headlines)
  vocabularies.set(snapshot, vocabulary)
  return vocabulary
}

/** Whether the snapshot's vocabulary is whole (headline spellings too): not while `prepareVocabularyInBackground` works. */
export function isVocabularyPrepared (snapshot: Snapshot): boolean {
  return vocabularies.has(snapshot)
}

function * titlesOf (snapshot: Snapshot): Iterable<string> {
  const { documentIds, storedFields } = expectInternals(snapshot.miniSearch)
  for (const shortId of documentIds.keys()) {
    const title = storedValue(storedFields, shortId, 'title')
    if (title !== undefined) yield title
  }
}

/**
 * Starts `prepareVocabulary` and returns at once: until it is done, searches use a
 * vocabulary without the headlines' words (terms and document counts are the index's, but
 * no headline spellings: a suggestion or correction may then read as a stem). For a
 * server's start, where nothing is served until the build is live and the headlines of
 * 800,000 documents take longer to analyse than the rest of the load.
 */
export function prepareVocabularyInBackground (snapshot: Snapshot, onError: (error: unknown) => void, onReady?: (ms: number) => void): void {
  if (vocabularies.has(snapshot)) return
  const started = performance.now()
  interim.set(snapshot, new Vocabulary(snapshot.miniSearch, snapshot.analyzer, NO_HEADLINES))
  prepareVocabulary(snapshot).then(() => {
    interim.delete(snapshot)
    onReady?.(performance.now() - started)
  }, error => {
    interim.delete(snapshot)
    onError(error)
  })
}
