/**
 * How well an analyzer groups word forms, measured against a treebank's gold lemmas.
 *
 * Search joins two forms when their index terms meet, so the unit is a pair of distinct
 * word types: recall is the share of same-lemma pairs that share a term (a query for one
 * finds the other), precision the share of term-sharing pairs that have one lemma (a
 * query for one does not find an unrelated word). Pairs are found through groups — types
 * per term, types per lemma — never by comparing every type with every other.
 */
import MiniSearch from 'minisearch'
import { normalize } from '../analysis/normalize.js'
import { snowballStem } from '../analysis/stem.js'
import { isStopword } from '../analysis/stopwords.js'
import type { TreebankWord } from './conllu.js'

/** The content-word classes sampled: the words a search is made of. */
export const SAMPLED_UPOS = ['NOUN', 'PROPN', 'ADJ', 'VERB', 'ADV', 'NUM'] as const

/**
 * A Russian word as written: Cyrillic letters, hyphenated parts allowed. Numbers, Latin
 * names, abbreviations with a point and stress-marked dictionary forms are left out: they
 * say nothing about Russian inflection, and their lemmas are often not their words.
 */
const RUSSIAN_WORD = /^\p{Script=Cyrillic}+(?:-\p{Script=Cyrillic}+)*$/u

/** One distinct (form, lemma), both normalised as the index normalises words. */
export interface WordType {
  form: string
  lemma: string
  /** Its most frequent UPOS in the treebank (the first seen on a tie). */
  upos: string
}

/** Maps a word form to its index terms (empty for a stop word). */
export type TermsOf = (form: string) => readonly string[]

export function isSampled (word: TreebankWord): boolean {
  return (SAMPLED_UPOS as readonly string[]).includes(word.upos) && RUSSIAN_WORD.test(word.form)
}

/** The distinct (form, lemma) types of the sampled words, in order of first occurrence. */
export function sampleTypes (words: Iterable<TreebankWord>): WordType[] {
  const uposCounts = new Map<string, Map<string, number>>()
  const types = new Map<string, { form: string, lemma: string }>()
  for (const word of words) {
    if (!isSampled(word)) continue
    const form = normalize(word.form)
    const lemma = normalize(word.lemma)
    const key = `${form}\t${lemma}`
    if (!types.has(key)) types.set(key, { form, lemma })
    const counts = uposCounts.get(key) ?? new Map<string, number>()
    counts.set(word.upos, (counts.get(word.upos) ?? 0) + 1)
    uposCounts.set(key, counts)
  }
  return [...types].map(([key, type]) => ({ ...type, upos: mostFrequent(uposCounts.get(key) as Map<string, number>) }))
}

function mostFrequent (counts: Map<string, number>): string {
  let best = ''
  let bestCount = 0
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value
      bestCount = count
    }
  }
  return best
}

/**
 * Snowball as the issue measured it: the stem of the whole word, lowercased with ё→е, no
 * stop words — the stemmer alone, as a word's reducer.
 */
export function snowballWordTerms (form: string): string[] {
  return [snowballStem(form.toLowerCase().replace(/ё/g, 'е'))]
}

const miniSearchTokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[]

/**
 * Snowball as the relevance baseline indexes a word (src/eval/systems.ts, whose term
 * function is not exported): MiniSearch's default tokenizer, which splits hyphenated words,
 * lowercase, ё→е, stop words dropped, the stem of each part.
 */
export function snowballIndexedTerms (form: string): string[] {
  const words = miniSearchTokenize(form).filter(part => part !== '').map(part => part.toLowerCase().replace(/ё/g, 'е'))
  return [...new Set(words.filter(word => !isStopword(word)).map(snowballStem))]
}

export interface PairCounts {
  /** Same-lemma pairs. */
  gold: number
  /** Pairs whose terms intersect. */
  system: number
  /** Pairs that are both. */
  correct: number
}

export interface Scores {
  /** Undefined where there is nothing to divide by (no pairs of that kind). */
  precision: number | undefined
  recall: number | undefined
  f1: number | undefined
}

export interface FalseMerge {
  term: string
  /** Pairs of types of different lemmas that share this term. */
  wrongPairs: number
  /** The lemmas that meet in the term, largest first, each with its forms. */
  lemmas: Array<{ lemma: string, forms: string[] }>
}

export interface Split {
  lemma: string
  forms: number
  /** Same-lemma pairs that share no term. */
  missedPairs: number
  /** The lemma's forms in groups joined through shared terms, largest first. */
  parts: Array<{ terms: string[], forms: string[] }>
}

export interface MorphEvaluation {
  name: string
  overall: PairCounts
  /**
   * A pair counts in the class of each of its two types: «лучший» (ADJ) merged with «хорошо»
   * (ADV) is a false merge of both classes, where a both-types rule would hide every
   * merge across classes — the kind the issue is about.
   */
  byClass: Map<string, PairCounts>
  falseMerges: FalseMerge[]
  splits: Split[]
  /** Each type's terms, by index into the sample. */
  terms: ReadonlyArray<readonly string[]>
}

export function evaluateMorphology (name: string, types: readonly WordType[], termsOf: TermsOf): MorphEvaluation {
  const terms = types.map(type => [...new Set(termsOf(type.form))])
  const byClass = new Map<string, PairCounts>(SAMPLED_UPOS.map(upos => [upos, { gold: 0, system: 0, correct: 0 }]))
  const overall: PairCounts = { gold: 0, system: 0, correct: 0 }
  const add = (i: number, j: number, field: keyof PairCounts): void => {
    overall[field] += 1
    for (const upos of new Set([(types[i] as WordType).upos, (types[j] as WordType).upos])) {
      const counts = byClass.get(upos)
      if (counts !== undefined) counts[field] += 1
    }
  }
  forEachSharedPair(terms, (i, j) => {
    add(i, j, 'system')
    if ((types[i] as WordType).lemma === (types[j] as WordType).lemma) add(i, j, 'correct')
  })
  const lemmas = groupIndices(types.map(type => type.lemma))
  for (const members of lemmas.values()) forEachPairIn(members, (i, j) => add(i, j, 'gold'))
  return { name, overall, byClass, falseMerges: falseMerges(types, terms), splits: splits(types, terms, lemmas), terms }
}

export function scores ({ gold, system, correct }: PairCounts): Scores {
  const precision = system === 0 ? undefined : correct / system
  const recall = gold === 0 ? undefined : correct / gold
  const f1 = precision === undefined || recall === undefined ? undefined : precision + recall === 0 ? 0 : 2 * precision * recall / (precision + recall)
  return { precision, recall, f1 }
}

/**
 * Calls `visit(i, j)` once for each pair i < j of types whose term lists intersect. Each
 * type looks only at the types in its own terms' groups; a stamp per type keeps a pair
 * that shares several terms from being visited twice.
 */
export function forEachSharedPair (terms: ReadonlyArray<readonly string[]>, visit: (i: number, j: number) => void): void {
  const groups = groupByEach(terms)
  const seenBy = new Int32Array(terms.length).fill(-1)
  terms.forEach((list, i) => {
    for (const term of list) {
      for (const j of groups.get(term) as number[]) {
        if (j <= i || seenBy[j] === i) continue
        seenBy[j] = i
        visit(i, j)
      }
    }
  })
}

/** The positions of each key. */
function groupIndices (keys: readonly string[]): Map<string, number[]> {
  return groupByEach(keys.map(key => [key]))
}

/** The positions of each key, a position listed under every key of its list. */
function groupByEach (keyLists: ReadonlyArray<readonly string[]>): Map<string, number[]> {
  const groups = new Map<string, number[]>()
  keyLists.forEach((keys, at) => {
    for (const key of keys) {
      const members = groups.get(key)
      if (members === undefined) groups.set(key, [at])
      else members.push(at)
    }
  })
  return groups
}

function forEachPairIn (members: readonly number[], visit: (i: number, j: number) => void): void {
  for (let a = 0; a < members.length; a++) {
    for (let b = a + 1; b < members.length; b++) visit(members[a] as number, members[b] as number)
  }
}

export function sharesTerm (a: readonly string[], b: readonly string[]): boolean {
  return a.some(term => b.includes(term))
}

/** Per term, the pairs of different lemmas it joins: C(n, 2) minus the same-lemma pairs within it. */
function falseMerges (types: readonly WordType[], terms: ReadonlyArray<readonly string[]>): FalseMerge[] {
  const merges: FalseMerge[] = []
  for (const [term, members] of groupByEach(terms)) {
    const byLemma = groupIndices(members.map(at => (types[at] as WordType).lemma))
    if (byLemma.size < 2) continue
    const sameLemma = [...byLemma.values()].reduce((sum, group) => sum + pairsOf(group.length), 0)
    const lemmas = [...byLemma].map(([lemma, group]) => ({ lemma, forms: group.map(at => (types[members[at] as number] as WordType).form) }))
    merges.push({ term, wrongPairs: pairsOf(members.length) - sameLemma, lemmas: lemmas.sort((a, b) => b.forms.length - a.forms.length) })
  }
  return merges.sort((a, b) => b.wrongPairs - a.wrongPairs || a.term.localeCompare(b.term, 'ru'))
}

function splits (types: readonly WordType[], terms: ReadonlyArray<readonly string[]>, lemmas: Map<string, number[]>): Split[] {
  const found: Split[] = []
  for (const [lemma, members] of lemmas) {
    let missedPairs = 0
    forEachPairIn(members, (i, j) => { if (!sharesTerm(terms[i] as string[], terms[j] as string[])) missedPairs += 1 })
    if (missedPairs === 0) continue
    const parts = joinedParts(members, terms).map(part => ({
      terms: [...new Set(part.flatMap(at => terms[at] as string[]))].sort(),
      forms: part.map(at => (types[at] as WordType).form)
    }))
    found.push({ lemma, forms: members.length, missedPairs, parts: parts.sort((a, b) => b.forms.length - a.forms.length) })
  }
  return found.sort((a, b) => b.missedPairs - a.missedPairs || a.lemma.localeCompare(b.lemma, 'ru'))
}

/** A lemma's types in groups connected through shared terms (a form without terms stands alone). */
function joinedParts (members: readonly number[], terms: ReadonlyArray<readonly string[]>): number[][] {
  const parts: number[][] = []
  for (const at of members) {
    const own = terms[at] as string[]
    const joined = parts.filter(part => part.some(other => sharesTerm(own, terms[other] as string[])))
    const merged = [...joined.flat(), at]
    parts.splice(0, parts.length, ...parts.filter(part => !joined.includes(part)), merged)
  }
  return parts
}

function pairsOf (n: number): number {
  return n * (n - 1) / 2
}

export interface MergeGroup {
  /** The terms the pairs share in the first system, joined by `|`. */
  terms: string
  pairs: number
  /** The lemma pairs that meet there, most pairs first. */
  lemmaPairs: Array<{ lemmas: [string, string], pairs: number, forms: [string, string] }>
}

export interface MergeDifference {
  /** Wrong pairs the first system makes and the second does not. */
  onlyFirst: number
  /** How many of those involve a hyphenated form (poisk indexes a compound's parts too). */
  onlyFirstHyphenated: number
  /** Wrong pairs the second system makes and the first does not. */
  onlySecond: number
  /** The first system's extra wrong pairs grouped by the terms they share, most pairs first. */
  groups: MergeGroup[]
}

/** The wrong (different-lemma) term-sharing pairs one system makes and the other does not. */
export function compareFalseMerges (types: readonly WordType[], first: MorphEvaluation, second: MorphEvaluation): MergeDifference {
  const groups = new Map<string, Map<string, MergeGroup['lemmaPairs'][number]>>()
  let onlyFirst = 0
  let onlyFirstHyphenated = 0
  forEachWrongPair(types, first.terms, (i, j) => {
    if (sharesTerm(second.terms[i] as string[], second.terms[j] as string[])) return
    const [a, b] = inLemmaOrder(types[i] as WordType, types[j] as WordType)
    onlyFirst += 1
    if (a.form.includes('-') || b.form.includes('-')) onlyFirstHyphenated += 1
    const key = (first.terms[i] as string[]).filter(term => (first.terms[j] as string[]).includes(term)).sort().join('|')
    const lemmaPairs = groups.get(key) ?? new Map<string, MergeGroup['lemmaPairs'][number]>()
    const pairKey = `${a.lemma}\t${b.lemma}`
    const entry = lemmaPairs.get(pairKey) ?? { lemmas: [a.lemma, b.lemma], pairs: 0, forms: [a.form, b.form] }
    entry.pairs += 1
    lemmaPairs.set(pairKey, entry)
    groups.set(key, lemmaPairs)
  })
  let onlySecond = 0
  forEachWrongPair(types, second.terms, (i, j) => {
    if (!sharesTerm(first.terms[i] as string[], first.terms[j] as string[])) onlySecond += 1
  })
  const merged = [...groups].map(([terms, lemmaPairs]) => {
    const list = [...lemmaPairs.values()].sort((a, b) => b.pairs - a.pairs)
    return { terms, pairs: list.reduce((sum, entry) => sum + entry.pairs, 0), lemmaPairs: list }
  })
  return { onlyFirst, onlyFirstHyphenated, onlySecond, groups: merged.sort((a, b) => b.pairs - a.pairs || a.terms.localeCompare(b.terms, 'ru')) }
}

function inLemmaOrder (x: WordType, y: WordType): [WordType, WordType] {
  return x.lemma.localeCompare(y.lemma, 'ru') <= 0 ? [x, y] : [y, x]
}

function forEachWrongPair (types: readonly WordType[], terms: ReadonlyArray<readonly string[]>, visit: (i: number, j: number) => void): void {
  forEachSharedPair(terms, (i, j) => {
    if ((types[i] as WordType).lemma !== (types[j] as WordType).lemma) visit(i, j)
  })
}
