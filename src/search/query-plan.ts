/**
 * Query understanding: the user's text → what to search. The tolerant syntax parser splits
 * it into words, phrases, exclusions and headline-scoped words; each word is analysed like
 * the index, then, when it finds little, re-read through the wrong-layout, transliteration
 * and typo readings that the index vocabulary confirms. The plan records every reading it
 * took, so the response can say «searched for Дуров instead of Дуроф». Nothing here throws
 * on malformed input (the parser degrades it to plain words); a query made only of
 * exclusions is refused, as it could only answer nothing.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { normalize } from '../analysis/normalize.js'
import { guessWrongLayout } from './query/keyboard-layout.js'
import { parseQuery as parseSyntax, type QueryField } from './query/query-syntax.js'
import type { QueryOptions } from './query-options.js'
import { defaultRanking, type TermWeights } from './ranking.js'
import type { Vocabulary } from './vocabulary.js'
import { QueryError } from '../errors.js'
import { matchSynonyms, synonymText, synonymWords, type SynonymMatch } from './synonyms.js'
import { isLatinSpellingOf, isSameName, latinSpellings, layoutReading, transliterations, typoCandidates, typoCorrection, type Reading, type VariantContext } from './word-variants.js'

export interface PlannedWord {
  /** As the user typed it. */
  typed: string
  /** As searched (after a layout, spelling or typo correction). */
  word: string
  field?: QueryField
  /** Index term → weight (1 for the word's own terms, less for other readings). */
  terms: Map<string, number>
}

export interface PlannedPhrase {
  /** Indexes into `QueryPlan.words`, in phrase order. */
  words: number[]
  field?: QueryField
}

export interface ExcludedWord {
  terms: string[]
  field?: QueryField
  /**
   * A negated phrase's other words: a document is excluded only when it holds a term of each
   * (their order is not checked), not when it holds one of them.
   */
  together?: string[][]
}

export type CorrectionKind = 'layout' | 'transliteration' | 'typo' | 'synonym'

export interface Correction {
  from: string
  to: string
  kind: CorrectionKind
}

export interface QueryPlan {
  words: PlannedWord[]
  phrases: PlannedPhrase[]
  excluded: ExcludedWord[]
  corrections: Correction[]
  layoutFixed: boolean
  /** The query as searched, when it differs from the typed one. */
  interpretedAs?: string
  /** Every searched term: what snippets mark. */
  markTerms: Set<string>
}

interface Clause {
  text: string
  field?: QueryField
  negated: boolean
  phrase?: number
  /** Clauses joined by OR share it: they are planned as one word. */
  orGroup?: number
}

/**
 * `weights`: what a word's other readings (transliterations, typo candidates) weigh; the ranking's.
 * Throws a `QueryError` (400) for a query that excludes words and searches none: it would answer nothing.
 */
export function planQuery (text: string, analyzer: Analyzer, vocabulary: Vocabulary, options: QueryOptions, weights: TermWeights = defaultRanking.termWeights): QueryPlan {
  const context: VariantContext = { analyzer, vocabulary }
  const corrections: Correction[] = []
  const wholeLayout = options.features.layout ? wholeQueryLayout(text, context, options) : undefined
  const searched = wholeLayout?.text ?? text
  if (wholeLayout !== undefined) corrections.push(...wholeLayout.corrections)

  const plan: QueryPlan = { words: [], phrases: [], excluded: [], corrections, layoutFixed: wholeLayout !== undefined, markTerms: new Set() }
  const budget = { fuzzy: options.limits.maxFuzzyWords, transliteration: options.limits.maxTransliteratedWords }
  const phraseWords = new Map<number, number[]>()
  const orWords = new Map<number, number>()
  const spellings: Spelling[] = []
  const clauses = clausesOf(searched, analyzer, options)
  const negatedPhrases = new Map<number, ExcludedWord>()
  const synonyms = synonymMatches(clauses, analyzer, options)
  for (let at = 0; at < clauses.length; at++) {
    const clause = clauses[at] as Clause
    const synonym = synonyms.get(at)
    if (synonym !== undefined) {
      spellings.push(planSynonym(clauses.slice(at, at + synonym.length), synonym, plan))
      at += synonym.length - 1
      continue
    }
    if (clause.negated) {
      exclude(clause, analyzer.termsOf(clause.text), plan, negatedPhrases)
      continue
    }
    const planned = planWord(clause, context, options, weights, budget, plan)
    if (planned === undefined) continue
    spellings.push({ typed: planned.typed, word: planned.word })
    const either = clause.orGroup === undefined ? undefined : orWords.get(clause.orGroup)
    if (either !== undefined) {
      mergeWord(plan.words[either] as PlannedWord, planned)
      continue
    }
    plan.words.push(planned)
    if (clause.orGroup !== undefined) orWords.set(clause.orGroup, plan.words.length - 1)
    if (clause.phrase !== undefined) phraseWords.set(clause.phrase, [...(phraseWords.get(clause.phrase) ?? []), plan.words.length - 1])
  }
  if (plan.words.length === 0 && clauses.some(clause => clause.negated)) throw onlyExclusions(text)
  for (const words of phraseWords.values()) {
    // A one-word phrase is a word; its order needs no check.
    if (words.length > 1) plan.phrases.push(withField({ words }, plan.words[words[0] as number]?.field))
  }
  for (const word of plan.words) for (const term of word.terms.keys()) plan.markTerms.add(term)
  const interpretedAs = rewrite(searched, spellings)
  if (interpretedAs !== text) plan.interpretedAs = interpretedAs
  return plan
}

/**
 * Query words that SYNONYMS_FILE's entries match. A word of a phrase, an OR group or an exclusion
 * means what was typed, and a run of words must share its field.
 */
function synonymMatches (clauses: Clause[], analyzer: Analyzer, options: QueryOptions): Map<number, SynonymMatch> {
  if (options.synonyms === undefined || options.synonyms.rules.length === 0) return new Map()
  const words = clauses.map(clause => clause.negated || clause.phrase !== undefined || clause.orGroup !== undefined ? undefined : analyzer.termsOf(clause.text))
  const matches = matchSynonyms(words, options.synonyms, analyzer)
  for (const [at, match] of matches) {
    const run = clauses.slice(at, at + match.length)
    if (run.some(clause => clause.field !== run[0]?.field)) matches.delete(at)
  }
  return matches
}

/** A synonym's words, each at full weight: searched like the entries joined by OR, reported as a correction. */
function planSynonym (run: Clause[], match: SynonymMatch, plan: QueryPlan): Spelling {
  const typed = run.map(clause => clause.text).join(' ')
  const word = synonymText(match)
  for (const terms of synonymWords(match)) {
    plan.words.push(withField({ typed, word, terms: new Map(terms.map(term => [term, 1])) }, run[0]?.field))
  }
  plan.corrections.push({ from: typed, to: word, kind: 'synonym' })
  return { typed, word }
}

/** `-word`, or one word of `-"a phrase"` (joined to the phrase's exclusion). */
function exclude (clause: Clause, terms: string[], plan: QueryPlan, phrases: Map<number, ExcludedWord>): void {
  if (terms.length === 0) return
  const phrase = clause.phrase === undefined ? undefined : phrases.get(clause.phrase)
  if (phrase !== undefined) {
    phrase.together = [...(phrase.together ?? []), terms]
    return
  }
  const excluded = withField({ terms }, clause.field)
  plan.excluded.push(excluded)
  if (clause.phrase !== undefined) phrases.set(clause.phrase, excluded)
}

/** A word as typed and as searched, for `interpretedAs`. */
interface Spelling { typed: string, word: string }

/**
 * `a OR b`: one query word whose terms are either's, so a document holding one of them holds
 * the word — for coordination and for «documents holding every word» alike.
 */
function mergeWord (into: PlannedWord, other: PlannedWord): void {
  into.typed = `${into.typed} OR ${other.typed}`
  into.word = `${into.word} OR ${other.word}`
  for (const [term, weight] of other.terms) addTerm(into.terms, term, weight)
}

function onlyExclusions (text: string): QueryError {
  return new QueryError('POISK_ONLY_EXCLUSIONS', `the query «${text.trim()}» only excludes words (-word, NOT word): add a word to search for, e.g. «ставка -ипотека»`)
}

/** The syntax parser's clauses, or (syntax off) every analysed token as a plain word. */
function clausesOf (text: string, analyzer: Analyzer, options: QueryOptions): Clause[] {
  if (!options.features.syntax) {
    return analyzer.analyzeWithOffsets(text).slice(0, options.limits.maxWords).map(token => ({ text: token.text, negated: false }))
  }
  const parsed = parseSyntax(text, { maxWords: options.limits.maxWords })
  const clauses: Clause[] = parsed.terms.map(term => withField({
    text: term.text,
    negated: term.negated,
    ...(term.orGroup === undefined ? {} : { orGroup: term.orGroup })
  }, term.field))
  parsed.phrases.forEach((phrase, at) => {
    for (const word of phrase.words) clauses.push(withField({ text: word, negated: phrase.negated, phrase: at }, phrase.field))
  })
  return clauses
}

interface Budget { fuzzy: number, transliteration: number }

function planWord (clause: Clause, context: VariantContext, options: QueryOptions, weights: TermWeights, budget: Budget, plan: QueryPlan): PlannedWord | undefined {
  const { analyzer, vocabulary } = context
  let word = clause.text
  let own = analyzer.termsOf(word)
  if (options.features.layout) {
    const reading = layoutReading(word, context, options.limits.minLayoutLetters, options.limits.minTransliterationLength)
    if (reading !== undefined) {
      plan.corrections.push({ from: word, to: reading.word, kind: 'layout' })
      plan.layoutFixed = true
      word = reading.word
      own = reading.terms
    }
  }
  if (own.length === 0) return undefined
  const terms = new Map(own.map(term => [term, 1]))
  const ownDocuments = vocabulary.documentsWithAny(own)

  if (options.features.transliteration && budget.transliteration > 0) {
    const best = addOtherScript(word, own, ownDocuments, context, options, weights, terms)
    if (best !== undefined) {
      budget.transliteration -= 1
      plan.corrections.push({ from: word, to: best, kind: 'transliteration' })
      if (ownDocuments === 0) word = best
    }
  }
  const found = vocabulary.documentsWithAny([...terms.keys()])
  if (options.features.fuzzy && budget.fuzzy > 0 && found < options.limits.fuzzyWhenFewerThan) {
    const typo = found === 0 ? correctTypo(word, own, context, options) : widenTypo(word, own, terms, context, options, weights)
    if (typo !== undefined) {
      budget.fuzzy -= 1
      if (found === 0) {
        plan.corrections.push({ from: word, to: typo.word, kind: 'typo' })
        return withField({ typed: clause.text, word: typo.word, terms: new Map(typo.terms.map(term => [term, 1])) }, clause.field)
      }
    }
  }
  return withField({ typed: clause.text, word, terms }, clause.field)
}

/**
 * The word's spellings in the other script that the index holds, into `terms`; returns the best one.
 * A name (isSameName) is the same word in either script, so «Trump» and «Трамп» search the same
 * terms at full weight; any other reading keeps the low transliteration weight. A Cyrillic word
 * found as typed takes only its name spellings: Latin readings of Russian words cost relevance.
 */
function addOtherScript (word: string, own: string[], ownDocuments: number, context: VariantContext, options: QueryOptions, weights: TermWeights, terms: Map<string, number>): string | undefined {
  const { vocabulary } = context
  const { minTransliterationLength: minLength, sameNameRatio: ratio, sameNameMaxRatio: maxRatio, sameNameMinCooccurrence: minShare } = options.limits
  // The share of the Latin spelling's documents that name the Cyrillic one too (see sameNameMinCooccurrence).
  const together = (latin: readonly string[], latinDocuments: number, cyrillic: readonly string[]): boolean =>
    vocabulary.documentsWithBoth(latin, cyrillic) >= minShare * latinDocuments
  const readings = transliterations(word, context, minLength, ownDocuments === 0)
  for (const reading of readings) {
    const same = isSameName(vocabulary.documentsWithAny(reading.terms), ownDocuments, ratio) &&
      (ownDocuments === 0 || together(own, ownDocuments, reading.terms))
    for (const term of reading.terms) addTerm(terms, term, same ? 1 : weights.transliteration)
  }
  if (ownDocuments === 0) return readings[0]?.word
  const names = latinSpellings(word, own, context, minLength)
    .filter(reading => {
      const latinDocuments = vocabulary.documentsWithAny(reading.terms)
      return isLatinSpellingOf(ownDocuments, latinDocuments, ratio, maxRatio) && together(reading.terms, latinDocuments, own)
    })
    .sort((a, b) => vocabulary.documentsWithAny(b.terms) - vocabulary.documentsWithAny(a.terms))
  for (const name of names) for (const term of name.terms) addTerm(terms, term, 1)
  return readings[0]?.word ?? names[0]?.word
}

/**
 * Index terms are mostly lemmas, which keep their endings; a misspelt word's own terms may not (an unknown
 * word loses its ending, a typo can be another dictionary word): the typed word is looked up too.
 */
function typoLookup (word: string, own: string[]): string[] {
  const typed = normalize(word)
  return own.includes(typed) ? own : [...own, typed]
}

/** A word found nowhere: searched as the one word it is nearest to, reported as corrected. */
function correctTypo (word: string, own: string[], context: VariantContext, options: QueryOptions): Reading | undefined {
  const reading = typoCorrection(typoLookup(word, own), context, options.limits.maxFuzzyExpansions)
  return reading === undefined ? undefined : { word: sameCase(word, reading.word), terms: reading.terms }
}

/** A word found in very few documents: near terms widen it silently, ranked below the exact ones. */
function widenTypo (word: string, own: string[], terms: Map<string, number>, context: VariantContext, options: QueryOptions, weights: TermWeights): Reading | undefined {
  const candidates = typoCandidates(typoLookup(word, own), context, options.limits.maxFuzzyExpansions)
  for (const candidate of candidates) addTerm(terms, candidate.term, weights.fuzzy)
  return candidates.length === 0 ? undefined : { word, terms: [...terms.keys()] }
}

function addTerm (terms: Map<string, number>, term: string, weight: number): void {
  terms.set(term, Math.max(terms.get(term) ?? 0, weight))
}

/**
 * The whole query re-typed in the other layout, when the letter model says it was typed
 * in the wrong one and the converted words find more in the index than the typed ones.
 * This pass sees punctuation keys that carry letters («k.,jdm» = «любовь»), which the
 * per-word pass cannot, as the syntax parser splits words there.
 */
function wholeQueryLayout (text: string, context: VariantContext, options: QueryOptions): { text: string, corrections: Correction[] } | undefined {
  const guess = guessWrongLayout(text)
  if (guess === null) return undefined
  const typed = foundWords(text, context, options)
  // A query whose every word is found was typed as meant: «звёзды» re-typed is «pd`pls», two
  // Latin fragments that each occur somewhere, which must not outvote one real word.
  if (typed.found === typed.words) return undefined
  const converted = foundWords(guess.converted, context, options)
  if (converted.found <= typed.found) return undefined
  const corrections = guess.tokens.filter(token => token.converted).map(token => ({ from: token.token, to: token.replacement, kind: 'layout' as const }))
  return { text: guess.converted, corrections }
}

function foundWords (text: string, { analyzer, vocabulary }: VariantContext, options: QueryOptions): { words: number, found: number } {
  const words = analyzer.analyzeWithOffsets(text).slice(0, options.limits.maxWords).filter(token => token.terms.length > 0)
  return { words: words.length, found: words.filter(token => vocabulary.documentsWithAny(token.terms) > 0).length }
}

/** The searched text with each corrected word in place of the typed one. */
function rewrite (text: string, words: Spelling[]): string {
  let result = text
  let from = 0
  for (const word of words) {
    if (word.word === word.typed) continue
    const at = result.indexOf(word.typed, from)
    if (at === -1) continue
    result = result.slice(0, at) + word.word + result.slice(at + word.typed.length)
    from = at + word.word.length
  }
  return result
}

/** «Дуроф» → «Дуров»: the correction takes the typed word's capitalisation. */
function sameCase (typed: string, word: string): string {
  const first = typed.charAt(0)
  return first !== first.toLowerCase() ? word.charAt(0).toUpperCase() + word.slice(1) : word
}

function withField<T extends object> (node: T, field: QueryField | undefined): T & { field?: QueryField } {
  return field === undefined ? node : { ...node, field }
}
