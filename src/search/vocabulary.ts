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
 * collected once per snapshot, on first use.
 */
import type MiniSearch from 'minisearch'
import type { Analyzer } from '../analysis/analyzer.js'
import { normalize } from '../analysis/normalize.js'
import { expectInternals, type TermData, type TermTree } from '../index/minisearch-internals.js'
import type { Snapshot } from '../index/open-index.js'
import type { IndexedDocument, StoredFields } from '../index/minisearch-options.js'
import { LazyTermData } from '../index/term-data.js'

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
  /** Headline words by normalised spelling: how often each occurs. */
  private readonly headlineWords = new Map<string, number>()
  /** term → its most frequent headline spelling. */
  private readonly surfaces = new Map<string, { word: string, count: number }>()
  /** Headline words, sorted, for prefix completion. */
  private readonly sortedWords: string[]

  constructor (miniSearch: MiniSearch<IndexedDocument>, private readonly analyzer: Analyzer, titles: Iterable<string>) {
    this.terms = expectInternals(miniSearch).termTree
    for (const title of titles) {
      for (const token of analyzer.analyzeWithOffsets(title)) {
        if (token.terms.length === 0) continue
        const word = normalize(token.text)
        this.headlineWords.set(word, (this.headlineWords.get(word) ?? 0) + 1)
      }
    }
    for (const [word, count] of this.headlineWords) {
      for (const term of analyzer.termsOf(word)) {
        const known = this.surfaces.get(term)
        if (known === undefined || known.count < count) this.surfaces.set(term, { word, count })
      }
    }
    this.sortedWords = [...this.headlineWords.keys()].sort()
  }

  private looksLikeWord (term: string): boolean {
    if (!this.analyzer.termsOf(term).includes(term)) return false
    if (!CYRILLIC.test(term) || this.isWholeWordTerm(term)) return true
    const next = this.sortedWords[lowerBound(this.sortedWords, term)]
    return next === undefined || next === term || !next.startsWith(term)
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
    if (this.headlineWords.has(term) || this.isWholeWordTerm(term)) return term
    return this.surfaces.get(term)?.word ?? term
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
    for (let at = lowerBound(this.sortedWords, start); at < this.sortedWords.length && words.size < scanLimit; at += 1) {
      const word = this.sortedWords[at] as string
      if (!word.startsWith(start)) break
      words.add(word)
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
  // A loaded term is counted from its posting arrays, which leaves it encoded (see term-data).
  const arrays = postings instanceof LazyTermData ? postings.postingArrays() : undefined
  if (arrays !== undefined) return arrays.reduce((most, field) => Math.max(most, field.documents.length), 0)
  let most = 0
  for (const documents of postings.values()) most = Math.max(most, documents.size)
  return most
}

function lowerBound (sorted: string[], value: string): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as string) < value) low = middle + 1
    else high = middle
  }
  return low
}

const vocabularies = new WeakMap<Snapshot, Vocabulary>()

/** The snapshot's vocabulary, built on first use and dropped with the snapshot. */
export function vocabularyOf (snapshot: Snapshot): Vocabulary {
  let vocabulary = vocabularies.get(snapshot)
  if (vocabulary === undefined) {
    vocabulary = new Vocabulary(snapshot.miniSearch, snapshot.analyzer, titlesOf(snapshot))
    vocabularies.set(snapshot, vocabulary)
  }
  return vocabulary
}

function * titlesOf (snapshot: Snapshot): Iterable<string> {
  const stored = expectInternals(snapshot.miniSearch).storedFields
  for (const fields of stored.values()) yield (fields as StoredFields).title
}
