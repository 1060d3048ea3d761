/**
 * Other readings of one query word, each checked against the index's vocabulary: the word
 * typed in the wrong keyboard layout, its Latin/Cyrillic spelling, and index terms a typo
 * away. Letter statistics only propose; a reading is taken when the index holds it, and
 * a word that finds nothing as typed but finds documents when converted is the strongest
 * signal there is.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { convertLayout, type LayoutDirection } from './query/keyboard-layout.js'
import { cyrillicToLatin, latinToCyrillicStrings } from './query/transliterate.js'
import type { Vocabulary } from './vocabulary.js'

const LATIN_WORD = /^[a-z]+$/i
const CYRILLIC_WORD = /^[а-яё]+$/i
const LAYOUT_KEYS = /^[a-z[\]{};:'",.<>`~]+$/i

export interface Reading {
  /** The word as it is meant. */
  word: string
  terms: string[]
}

export interface VariantContext {
  analyzer: Analyzer
  vocabulary: Vocabulary
}

/**
 * The word re-typed in the other layout, if the word as typed finds nothing and the
 * converted one finds documents, as written or in the other script («ntktuhfv» →
 * «телеграм», found as «Telegram»).
 */
export function layoutReading (word: string, context: VariantContext, minLetters: number, minTransliterationLength: number): Reading | undefined {
  const direction = layoutDirection(word)
  if (direction === undefined || [...word].length < minLetters) return undefined
  const own = context.analyzer.termsOf(word)
  // A stop word («они», «его») has no terms but is no typing accident.
  if (own.length === 0 || context.vocabulary.documentsWithAny(own) > 0) return undefined
  const converted = convertLayout(word, direction)
  const terms = context.analyzer.termsOf(converted)
  if (context.vocabulary.documentsWithAny(terms) > 0) return { word: converted, terms }
  // Only Latin keys re-read as Cyrillic may be a brand the index spells in Latin; a Cyrillic
  // word re-read as Latin letter soup («Дуроф» → «Lehja») must not be transliterated back.
  if (direction !== 'en-to-ru') return undefined
  return transliterations(converted, context, minTransliterationLength, true).length > 0 ? { word: converted, terms } : undefined
}

function layoutDirection (word: string): LayoutDirection | undefined {
  if (LAYOUT_KEYS.test(word) && /[a-z]/i.test(word)) return 'en-to-ru'
  if (CYRILLIC_WORD.test(word)) return 'ru-to-en'
  return undefined
}

/**
 * Spellings of the word in the other script that the index holds, best first. A Latin word
 * is read as Cyrillic always («durov»); a Cyrillic word is read as Latin only when asked
 * (when it finds nothing as typed, «телеграм» → «telegram»): Russian news carries Latin
 * words mostly in links and quotes, and adding them to every Russian word costs relevance.
 */
export function transliterations (word: string, context: VariantContext, minLength: number, cyrillicToo = true): Reading[] {
  if (word.length < minLength) return []
  const candidates = LATIN_WORD.test(word)
    ? latinToCyrillicStrings(word, { maxCandidates: 4 })
    : cyrillicToo && CYRILLIC_WORD.test(word) ? [cyrillicToLatin(word)] : []
  const readings: Reading[] = []
  for (const candidate of candidates) {
    const terms = context.analyzer.termsOf(candidate).filter(term => context.vocabulary.documentsWith(term) > 0)
    if (terms.length > 0) readings.push({ word: candidate, terms })
  }
  return readings
}

/**
 * Whether a reading in the other script is the same name: the index holds its Cyrillic spelling
 * in at least `ratio` times the documents of its Latin one. Russian news writes a name in
 * Cyrillic («Трамп» 1,501 rt articles, «Trump» 264, mostly in links and quotes); a word the
 * corpus also writes in Latin as often is a brand or a common word (Twitter, most), which a
 * Latin query means in Latin letters.
 */
export function isSameName (cyrillicDocuments: number, latinDocuments: number, ratio: number): boolean {
  return cyrillicDocuments > 0 && cyrillicDocuments >= ratio * Math.max(1, latinDocuments)
}

/**
 * Whether a Latin index term is a Cyrillic query word's other spelling: the same name
 * (`isSameName`), and not so rare beside it (`maxRatio`) that it is a transliteration the
 * index holds by chance — a link's slug «rossii» beside «России», «protiv» beside «против».
 */
export function isLatinSpellingOf (cyrillicDocuments: number, latinDocuments: number, ratio: number, maxRatio: number): boolean {
  return isSameName(cyrillicDocuments, latinDocuments, ratio) && cyrillicDocuments <= maxRatio * latinDocuments
}

/**
 * Latin index terms that are a Cyrillic word's own spelling: near its letter-for-letter
 * transliteration («трамп» → «tramp» → «trump») and reading back as the word. The round trip
 * keeps a Latin neighbour that is another word out.
 */
const CONSONANT_A = /([bcdfghjklmnpqrstvwxz])a/g
const FIRST_CONSONANT_A = /([bcdfghjklmnpqrstvwxz])a/

export function latinSpellings (word: string, own: readonly string[], context: VariantContext, minLength: number): Reading[] {
  if (word.length < minLength || !CYRILLIC_WORD.test(word)) return []
  // Exact lookups only: this runs for every Cyrillic query word, where a fuzzy walk of the term tree tripled a tag
  // query's time. English writes «а» after a consonant as «u» too (Трамп → trump, Маск → musk).
  const latin = cyrillicToLatin(word).toLowerCase()
  const candidates = [...new Set([latin, latin.replace(CONSONANT_A, '$1u'), latin.replace(FIRST_CONSONANT_A, '$1u')])]
  const readings: Reading[] = []
  for (const candidate of candidates) {
    if (!LATIN_WORD.test(candidate) || context.vocabulary.documentsWith(candidate) === 0) continue
    const back = latinToCyrillicStrings(candidate, { maxCandidates: 4 }).flatMap(text => context.analyzer.termsOf(text))
    if (own.some(term => back.includes(term))) readings.push({ word: candidate, terms: [candidate] })
  }
  return readings
}

export interface TypoCandidate {
  term: string
  documents: number
  distance: number
}

/**
 * How many edits (MiniSearch's Levenshtein distance) a term may be from an index term: none
 * under 4 letters, 1 up to 7, 2 from 8. Short words have too many neighbours one edit away
 * («кот», «кит», «кто») for a correction to be more than a guess.
 */
export function maxEditsFor (term: string): 0 | 1 | 2 {
  const letters = [...term].length
  if (letters >= 8) return 2
  if (letters >= 4) return 1
  return 0
}

/** Index terms a few edits from the word's terms (never for short terms), more frequent than them. */
export function typoCandidates (terms: readonly string[], context: VariantContext, limit: number): TypoCandidate[] {
  const candidates: TypoCandidate[] = []
  for (const term of terms) {
    const own = context.vocabulary.documentsWith(term)
    for (const near of context.vocabulary.near(term, maxEditsFor(term), limit)) {
      if (near.documents > own && !terms.includes(near.term)) candidates.push(near)
    }
  }
  return candidates
    .sort((a, b) => a.distance - b.distance || b.documents - a.documents)
    .filter((candidate, at, all) => all.findIndex(other => other.term === candidate.term) === at)
    .slice(0, limit)
}

/**
 * What a word found nowhere is corrected to: the one nearest index term (fewest edits, then
 * most documents), searched as the word it is — all its readings, at full weight —, so the
 * hits are those of the corrected query. Several near terms at once would let a reading of
 * another word («резидент» for «прзидент») outrank the meant one.
 */
export function typoCorrection (terms: readonly string[], context: VariantContext, limit: number): Reading | undefined {
  const best = typoCandidates(terms, context, limit)[0]
  if (best === undefined) return undefined
  const word = context.vocabulary.surfaceOf(best.term)
  const readings = context.analyzer.termsOf(word)
  return { word, terms: readings.includes(best.term) ? readings : [best.term, ...readings] }
}
