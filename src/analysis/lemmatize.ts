/**
 * Dictionary lemmatisation for Russian: OpenCorpora lemmas (via the `az` package) reduced
 * to index terms, with rules for the words the dictionary does not know.
 *
 * Why not Snowball alone: it stems «Дуров» to «дур» (colliding with «дура») but «Дурова»
 * to «дуров», so a nominative surname query misses every oblique form; and it cannot see
 * that «люди» is «человек». Why not the dictionary lemma alone: `az` parses capitalised and
 * lowercase forms differently, so lowercase queries and capitalised text got different
 * lemmas (tag nDCG@10 0.469 against Snowball's 0.569). Here every token is capitalised before
 * lookup — documents and queries alike — which also finds proper nouns stored capitalised.
 * Queries and documents go through this one function.
 *
 * Terms (version 3, chosen on UD Russian GSD's gold lemmas and rt's relevance halves:
 * docs/RELEVANCE.md):
 * - common words: the dictionary lemma itself («людей» → «человек», «заявила» → «заявить»,
 *   «стал»/«станет» → «стать»). Version 2 indexed a Snowball stem of it, which met other
 *   words' lemmas: стать and статья both became «стат», дать and дата «дат», брать and
 *   брат «брат» (GSD pair precision 69 → 81, recall 99 either way);
 * - ordinals, superlatives and comparatives: a Snowball stem of the form, since the
 *   dictionary's lemma is another word's (первый → один, второй → два, лучший → хороший);
 * - patronymics: the form without its case ending («Ивановича» → «иванович»), not the
 *   first name the dictionary gives (Иван);
 * - proper nouns (surnames, first names, places, organisations): the lemma with a light
 *   ending strip («Дуровым» → «дуров», «Евгения»/«Евгений» → «евген»), never Snowball; a
 *   form that can be a surname is not also read as a first name («Иванов» is not Иван's
 *   genitive plural);
 * - words without a vowel (СССР, ФСБ): the word itself, not the dictionary's abbreviation
 *   readings (сравн., сред., средн.);
 * - unknown words: a Slavic surname rule («Гараничевым» → «гараничев»; a bare «-ов» form may be a
 *   surname or a plural genitive, so both readings), else one nominal case ending is stripped
 *   («Эрдоганом» → «эрдоган», where Snowball splits «эрдога»/«эрдоган»).
 * An ambiguous form («стали»: сталь/стать) gives every reading, however unlikely one is:
 * pruning the dictionary's unlikely readings gained ≤ 0.002 on rt and would make a search
 * for «сталь» miss «производство стали».
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { stemmer as snowballRussian } from '@orama/stemmers/russian'

export interface LemmatizerOptions {
  /** Folder of az's dictionaries; defaults to the installed package's `dicts/`. */
  dictionaryPath?: string
}

/** Bump when the terms this module produces change (part of the analyzer version). */
export const LEMMATIZER_VERSION = 3

/** The subset of az 0.2.3 used here. */
interface AzParse {
  readonly word: string
  readonly tag: Readonly<Record<string, unknown>>
  readonly score: number
  normalize: () => AzParse | false
}
type AzLoadCallback = (error: Error | null, data?: unknown) => void
interface AzModule {
  Morph: {
    (word: string, config: { parsers: string[] }): AzParse[]
    init: (path: string, callback: (error: Error | null) => void) => void
  }
  load: (url: string, responseType: string, callback: AzLoadCallback) => void
}

const PROPER_NOUN_GRAMMEMES = ['Surn', 'Name', 'Patr', 'Geox', 'Orgn', 'Trad'] as const
const CYRILLIC_WORD = /^[а-я]+(?:-[а-я]+)*$/
const VOWEL = /[аеиоуыэюя]/
const ADJECTIVE_SK = /(?:ск|цк)(?:ий|ый|ая|ое|ие|ые|ого|ому|ой|ую|им|ым|ом|их|ых|ими|ыми)$/
const NOUN_ENDING = /(?:ами|ями|ом|ем|ой|ей|ам|ям|ах|ях|ов|ев|ою|ею|а|я|у|ю|е|ы|и|ь)$/
const PROPER_NOUN_ENDING = /(?:ия|ья|ий|ей|ая|яя|а|я|й)$/
const SURNAME = /^([а-я]{2,}(?:ов|ев|ин|ын))(?:а|у|ым|ом|е|ой|ы|ых|ыми)?$/
const DICTIONARY_ONLY = { parsers: ['Dictionary'] }
/** Stems shorter than this are too ambiguous to strip an ending from. */
const MIN_STEM = 3

let az: AzModule | undefined

/**
 * Loads az's dictionaries once per process (≈0.5 s, ≈90 MB). az's own loader is asynchronous;
 * replacing it with synchronous reads keeps term reduction synchronous, as MiniSearch needs.
 */
function loadDictionaries (dictionaryPath: string | undefined): AzModule {
  if (az !== undefined) return az
  const require = createRequire(import.meta.url)
  const module = require('az') as AzModule
  const path = dictionaryPath ?? join(dirname(require.resolve('az/package.json')), 'dicts')
  // init() counts the files it asks for; callbacks must run only after it has asked for all.
  const pending: Array<() => void> = []
  module.load = (url, responseType, callback) => {
    try {
      const bytes = readFileSync(url)
      const data = responseType === 'json'
        ? JSON.parse(bytes.toString('utf8'))
        : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
      pending.push(() => callback(null, data))
    } catch (error) {
      pending.push(() => callback(error as Error))
    }
  }
  let failure: Error | null = null
  let done = false
  module.Morph.init(path, error => {
    failure = error
    done = true
  })
  while (pending.length > 0) (pending.shift() as () => void)()
  if (failure !== null) throw failure
  if (!done) throw new Error('az dictionaries did not load')
  az = module
  return module
}

/** A reducer for the analyzer: normalised word → its terms. Loads the dictionaries on first use. */
export function createLemmatizer (options: LemmatizerOptions = {}): (word: string) => string[] {
  return word => {
    if (!CYRILLIC_WORD.test(word)) return [word]
    const terms = dictionaryTerms(loadDictionaries(options.dictionaryPath), word)
    return terms.length > 0 ? terms : unknownWordTerms(word)
  }
}

function dictionaryTerms (morph: AzModule, word: string): string[] {
  // СССР, ФСБ, МВД: the dictionary reads a vowelless word as an abbreviation of several words (сравн., сред.…).
  if (!VOWEL.test(word)) return [word]
  const parses = morph.Morph(word.charAt(0).toUpperCase() + word.slice(1), DICTIONARY_ONLY)
  // «Иванов», «Павлов»: a surname, not the genitive plural of Иван or Павел.
  const surname = parses.some(parse => parse.tag.Surn === true)
  const terms: string[] = []
  for (const parse of parses) {
    if (surname && parse.tag.Name === true) continue
    const term = termOf(parse, word)
    if (!terms.includes(term)) terms.push(term)
  }
  return terms
}

/** One dictionary reading's term (see the header for why each kind gets the term it gets). */
function termOf (parse: AzParse, word: string): string {
  // The dictionary's lemma of these is another word's: Иванович → Иван, первый → один, лучший → хороший.
  if (parse.tag.Patr === true) return stripEnding(word, NOUN_ENDING)
  if (parse.tag.Anum === true || parse.tag.Supr === true || parse.tag.COMP === true) return snowballRussian(word)
  const normal = parse.normalize()
  const lemma = (normal === false ? parse.word : normal.word).toLowerCase().replace(/ё/g, 'е')
  return isProperNoun(parse) ? stripEnding(lemma, PROPER_NOUN_ENDING) : lemma
}

function unknownWordTerms (word: string): string[] {
  const surname = SURNAME.exec(word)?.[1]
  if (surname !== undefined) {
    if (surname !== word || !/(?:ов|ев)$/.test(word)) return [surname]
    // «гараничев» (a surname) or «иноагентов» (a plural genitive): keep both readings.
    const plural = word.slice(0, -2)
    return plural.length >= MIN_STEM ? [word, plural] : [word]
  }
  if (ADJECTIVE_SK.test(word) || word.includes('-')) return [snowballRussian(word)]
  return [stripEnding(word, NOUN_ENDING)]
}

function isProperNoun (parse: AzParse): boolean {
  return PROPER_NOUN_GRAMMEMES.some(grammeme => parse.tag[grammeme] === true)
}

function stripEnding (word: string, ending: RegExp): string {
  const match = ending.exec(word)
  return match !== null && word.length - match[0].length >= MIN_STEM ? word.slice(0, word.length - match[0].length) : word
}
