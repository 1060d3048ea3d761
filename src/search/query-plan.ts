/**
 * Query understanding: the user's text → what to search. The tolerant syntax parser splits
 * it into words, phrases, exclusions and headline-scoped words; each word is analysed like
 * the index, then, when it finds little, re-read through the wrong-layout, transliteration
 * and typo readings that the index vocabulary confirms. The plan records every reading it
 * took, so the response can say «searched for Дуров instead of Дуроф». Nothing here throws
 * on malformed input: the parser degrades it to plain words.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { normalize } from '../analysis/normalize.js'
import { guessWrongLayout } from './query/keyboard-layout.js'
import { parseQuery as parseSyntax, type QueryField } from './query/query-syntax.js'
import type { QueryOptions } from './query-options.js'
import { defaultRanking, type TermWeights } from './ranking.js'
import type { Vocabulary } from './vocabulary.js'
import { layoutReading, transliterations, typoCandidates, type VariantContext } from './word-variants.js'

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
}

export type CorrectionKind = 'layout' | 'transliteration' | 'typo'

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
}

/** `weights`: what a word's other readings (transliterations, typo candidates) weigh; the ranking's. */
export function planQuery (text: string, analyzer: Analyzer, vocabulary: Vocabulary, options: QueryOptions, weights: TermWeights = defaultRanking.termWeights): QueryPlan {
  const context: VariantContext = { analyzer, vocabulary }
  const corrections: Correction[] = []
  const wholeLayout = options.features.layout ? wholeQueryLayout(text, context, options) : undefined
  const searched = wholeLayout?.text ?? text
  if (wholeLayout !== undefined) corrections.push(...wholeLayout.corrections)

  const plan: QueryPlan = { words: [], phrases: [], excluded: [], corrections, layoutFixed: wholeLayout !== undefined, markTerms: new Set() }
  const budget = { fuzzy: options.limits.maxFuzzyWords, transliteration: options.limits.maxTransliteratedWords }
  const phraseWords = new Map<number, number[]>()
  for (const clause of clausesOf(searched, analyzer, options)) {
    if (clause.negated) {
      const terms = analyzer.termsOf(clause.text)
      if (terms.length > 0) plan.excluded.push(withField({ terms }, clause.field))
      continue
    }
    const planned = planWord(clause, context, options, weights, budget, plan)
    if (planned === undefined) continue
    plan.words.push(planned)
    if (clause.phrase !== undefined) phraseWords.set(clause.phrase, [...(phraseWords.get(clause.phrase) ?? []), plan.words.length - 1])
  }
  for (const words of phraseWords.values()) {
    // A one-word phrase is a word; its order needs no check.
    if (words.length > 1) plan.phrases.push(withField({ words }, plan.words[words[0] as number]?.field))
  }
  for (const word of plan.words) for (const term of word.terms.keys()) plan.markTerms.add(term)
  const interpretedAs = rewrite(searched, plan.words)
  if (interpretedAs !== text) plan.interpretedAs = interpretedAs
  return plan
}

/** The syntax parser's clauses, or (syntax off) every analysed token as a plain word. */
function clausesOf (text: string, analyzer: Analyzer, options: QueryOptions): Clause[] {
  if (!options.features.syntax) {
    return analyzer.analyzeWithOffsets(text).slice(0, options.limits.maxWords).map(token => ({ text: token.text, negated: false }))
  }
  const parsed = parseSyntax(text, { maxWords: options.limits.maxWords })
  const clauses: Clause[] = parsed.terms.map(term => withField({ text: term.text, negated: term.negated }, term.field))
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
    const readings = transliterations(word, context, options.limits.minTransliterationLength, ownDocuments === 0)
    if (readings.length > 0) {
      budget.transliteration -= 1
      for (const reading of readings) for (const term of reading.terms) addTerm(terms, term, weights.transliteration)
      const best = readings[0]?.word as string
      plan.corrections.push({ from: word, to: best, kind: 'transliteration' })
      if (ownDocuments === 0) word = best
    }
  }

  if (options.features.fuzzy && budget.fuzzy > 0 && vocabulary.documentsWithAny([...terms.keys()]) < options.limits.fuzzyWhenFewerThan) {
    // Index terms are mostly lemmas, which keep their endings; a misspelt word's own terms may not (an unknown
    // word loses its ending, a typo can be another dictionary word): the typed word is looked up too.
    const typed = normalize(word)
    const candidates = typoCandidates(own.includes(typed) ? own : [...own, typed], context, options.limits.maxFuzzyExpansions)
    if (candidates.length > 0) {
      budget.fuzzy -= 1
      for (const candidate of candidates) addTerm(terms, candidate.term, weights.fuzzy)
      // Reported (and shown as the searched word) only when the word as typed found nothing;
      // otherwise the near terms just widen the search, ranked below the exact ones.
      if (ownDocuments === 0) {
        const corrected = sameCase(word, vocabulary.surfaceOf((candidates[0] as { term: string }).term))
        plan.corrections.push({ from: word, to: corrected, kind: 'typo' })
        word = corrected
      }
    }
  }
  return withField({ typed: clause.text, word, terms }, clause.field)
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
function rewrite (text: string, words: PlannedWord[]): string {
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
