/**
 * Wrong-keyboard-layout fixing: «ghbdtn» → «привет», «руддщ» → «hello».
 *
 * Why: a frequent failure of Russian search boxes is a query typed with the wrong OS
 * layout active. The conversion itself is a fixed key-for-key table (standard Russian
 * ЙЦУКЕН "Windows" layout vs US QWERTY, including the punctuation keys that carry
 * Cyrillic letters and the shifted number row). Deciding *whether* to convert is
 * statistical: we compare how plausible the typed string is in its own language with
 * how plausible its conversion is in the other language, using letter-bigram models
 * (letter-bigram-model.ts). Genuine English words ("telegram", "iphone") stay as they
 * are, because their Cyrillic conversion is letter soup.
 */
import {
  ENGLISH_ALPHABET,
  englishModel,
  russianModel,
  trainBigramModel,
  type BigramModel,
  type WordScore,
} from './letter-bigram-model.js'
import { RUSSIAN_SAMPLE_TEXT } from './russian-sample-text.js'
import { cyrillicToLatin } from './transliterate.js'

/**
 * Latin text in a Russian news search is often a *transliterated* Russian name
 * («brezhnev», «shoigu»), which an English model dislikes. So the Latin reading is scored
 * with the better of two models: English, and Russian romanized by transliterate.ts.
 */
let translit: BigramModel | undefined
function translitModel(): BigramModel {
  translit ??= trainBigramModel(cyrillicToLatin(RUSSIAN_SAMPLE_TEXT), ENGLISH_ALPHABET)
  return translit
}

function latinScore(text: string): WordScore {
  const en = englishModel().scoreWord(text)
  const tr = translitModel().scoreWord(text)
  return tr.logProb > en.logProb ? tr : en
}

export type LayoutDirection = 'en-to-ru' | 'ru-to-en'

/** Key pairs: character produced on US QWERTY → character produced on Russian ЙЦУКЕН. */
const KEY_PAIRS: ReadonlyArray<readonly [string, string]> = [
  // letter rows
  ...zip('`qwertyuiop[]asdfghjkl;\'zxcvbnm,./', 'ёйцукенгшщзхъфывапролджэячсмитьбю.'),
  ...zip('~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?', 'ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,'),
  // shifted number row + backslash key, where the two layouts differ
  ...zip('@#$^&|', '"№;:?/'),
]

function zip(a: string, b: string): Array<readonly [string, string]> {
  const left = [...a]
  const right = [...b]
  if (left.length !== right.length) throw new Error('keyboard table length mismatch')
  return left.map((ch, i) => [ch, right[i]!] as const)
}

const EN_TO_RU = new Map<string, string>(KEY_PAIRS)
const RU_TO_EN = new Map<string, string>(KEY_PAIRS.map(([en, ru]) => [ru, en]))

/** Characters of text typed on QWERTY re-read as if the Russian layout had been active. */
export function enToRu(text: string): string {
  return mapChars(text, EN_TO_RU)
}

/** Characters of text typed on ЙЦУКЕН re-read as if the US layout had been active. */
export function ruToEn(text: string): string {
  return mapChars(text, RU_TO_EN)
}

export function convertLayout(text: string, direction: LayoutDirection): string {
  return direction === 'en-to-ru' ? enToRu(text) : ruToEn(text)
}

function mapChars(text: string, table: ReadonlyMap<string, string>): string {
  let out = ''
  for (const ch of text) out += table.get(ch) ?? ch
  return out
}

export interface LayoutGuessOptions {
  /**
   * Minimum mean log-likelihood ratio (nats per letter transition) in favour of the
   * converted reading for a token of `minLetters`+ letters to be converted on its own.
   */
  readonly threshold: number
  /** Tokens shorter than this are only converted alongside a confidently converted token. */
  readonly minLetters: number
  /** Stricter threshold used when the query consists of short tokens only. */
  readonly shortOnlyThreshold: number
  /** Log-probability charged to the Latin reading for each letter-bearing punctuation key inside a word. */
  readonly innerPunctuationPenalty: number
  /** Trailing/leading punctuation is read as punctuation only if that scores this much better. */
  readonly edgeStripMargin: number
  /** Weight of the "weakest transition" difference added to the mean ratio. */
  readonly weakestLinkWeight: number
}

export const DEFAULT_LAYOUT_GUESS_OPTIONS: LayoutGuessOptions = {
  threshold: 0.35,
  minLetters: 4,
  shortOnlyThreshold: 2.6,
  innerPunctuationPenalty: -6,
  weakestLinkWeight: 0.2,
  edgeStripMargin: 0.5,
}

export interface TokenLayoutScore {
  readonly token: string
  readonly direction: LayoutDirection | null
  /** Mean log-likelihood ratio per transition: converted reading vs typed reading. */
  readonly score: number
  readonly letters: number
  /** What the token becomes if converted (edge punctuation may be kept as typed). */
  readonly replacement: string
  readonly converted: boolean
}

export interface LayoutGuess {
  readonly direction: LayoutDirection
  /** The whole query with the wrongly-typed tokens converted (others untouched). */
  readonly converted: string
  /** Mean log-likelihood ratio over the converted tokens (higher = more confident). */
  readonly score: number
  readonly tokens: readonly TokenLayoutScore[]
}

const LATIN = /[A-Za-z]/
const CYRILLIC = /[А-Яа-яЁё]/u
const LETTER_KEY_PUNCTUATION = new Set([...'`~[]{};:\'",.<>'])

/**
 * Decide whether `query` (or some of its words) was typed in the wrong layout.
 * Returns null when nothing should be converted.
 */
export function guessWrongLayout (
  query: string,
  options: Partial<LayoutGuessOptions> = {},
): LayoutGuess | null {
  const opts: LayoutGuessOptions = { ...DEFAULT_LAYOUT_GUESS_OPTIONS, ...options }
  const parts = query.split(/(\s+)/u)
  const scored = parts.map((part) => scoreToken(part, opts))
  const candidates = (['en-to-ru', 'ru-to-en'] as const).map((direction) => {
    const flags = tokensToConvert(scored, direction, opts)
    const { sum, score } = weightedScore(scored, flags)
    return { direction, flags, sum, score }
  })
  const best = candidates
    .filter((c) => c.flags.some(Boolean))
    .sort((a, b) => b.sum - a.sum)[0]
  if (!best) return null

  const converted = parts
    .map((part, i) => (best.flags[i] === true ? (scored[i]?.replacement ?? part) : part))
    .join('')
  const tokens: TokenLayoutScore[] = []
  scored.forEach((s, i) => {
    if (s) tokens.push({ ...s, converted: best.flags[i] === true })
  })
  return { direction: best.direction, converted, score: best.score, tokens }
}

type ScoredToken = ReturnType<typeof scoreToken>

/**
 * Which tokens to convert in `direction`: the long ones (`minLetters`) that score above
 * the threshold, and the short ones beside them, or (with no long token) the short ones
 * when together they score above `shortOnlyThreshold`.
 */
function tokensToConvert (scored: ScoredToken[], direction: LayoutDirection, opts: LayoutGuessOptions): boolean[] {
  const mine = scored.map((s) => s !== null && s.direction === direction)
  const long = scored.map((s, i) => mine[i] === true && s !== null && s.letters >= opts.minLetters)
  const confidentLong = scored.map((s, i) => long[i] === true && s !== null && s.score >= opts.threshold)
  const anyConfident = confidentLong.some(Boolean)
  const shortOnly = weightedScore(scored, mine)
  const shortOnlyOk = !long.some(Boolean) && shortOnly.weight > 0 && shortOnly.score >= opts.shortOnlyThreshold
  return scored.map((s, i) => {
    if (mine[i] !== true || s === null) return false
    if (confidentLong[i] === true) return true
    if (s.letters < opts.minLetters) return (anyConfident && s.score > 0) || (shortOnlyOk && s.score > 0)
    return false
  })
}

/** The flagged tokens' scores, each weighted by its letters + 1: their sum, total weight and mean (0 when none). */
function weightedScore (scored: ScoredToken[], flags: boolean[]): { sum: number, weight: number, score: number } {
  let sum = 0
  let n = 0
  scored.forEach((s, i) => {
    if (flags[i] === true && s !== null) {
      sum += s.score * (s.letters + 1)
      n += s.letters + 1
    }
  })
  return { sum, weight: n, score: n > 0 ? sum / n : 0 }
}

/** Score a single whitespace-free token; null for whitespace, mixed-script or letterless tokens. */
export function scoreToken(
  token: string,
  options: Partial<LayoutGuessOptions> = {},
): Omit<TokenLayoutScore, 'converted'> | null {
  const opts: LayoutGuessOptions = { ...DEFAULT_LAYOUT_GUESS_OPTIONS, ...options }
  const hasLatin = LATIN.test(token)
  const hasCyrillic = CYRILLIC.test(token)
  if (hasLatin === hasCyrillic) return null

  if (hasLatin) {
    const en = latinScore(token)
    const enLogProb = en.logProb + innerPunctuation(token) * opts.innerPunctuationPenalty
    // Trailing/leading punctuation may be a real letter key («k.,k.» = «люблю») or just
    // sentence punctuation («ghbdtn.»): score both readings and keep the better one.
    const core = stripEdgePunctuation(token)
    let best = -Infinity
    let letters = 0
    let replacement = token
    for (const variant of core === token ? [token] : [token, core]) {
      const ruText = enToRu(variant)
      const ru = russianModel().scoreWord(ruText)
      const transitions = Math.max(ru.transitions, en.transitions, 1)
      const score =
        (ru.logProb - enLogProb) / transitions + opts.weakestLinkWeight * (ru.weakest - en.weakest)
      // prefer the faithful full-token reading unless stripping clearly helps
      const adjusted = variant === token ? score : score - opts.edgeStripMargin
      if (adjusted > best) {
        best = adjusted
        letters = countLetters(ruText, CYRILLIC)
        replacement = variant === token ? ruText : token.replace(variant, ruText)
      }
    }
    return {
      token,
      direction: 'en-to-ru',
      score: best,
      letters: abbreviationAware(token, letters, opts),
      replacement,
    }
  }
  const enText = ruToEn(token)
  const ru = russianModel().scoreWord(token)
  const en = latinScore(enText)
  // Cyrillic letters that land on punctuation keys (б ю ж х ъ э ё) make an unlikely English word.
  const punctuationFromLetters = [...token].filter(
    (ch) => CYRILLIC.test(ch) && !LATIN.test(ruToEn(ch)),
  ).length
  const enLogProb = en.logProb + punctuationFromLetters * opts.innerPunctuationPenalty
  const letters = countLetters(token, CYRILLIC)
  const transitions = Math.max(ru.transitions, en.transitions, 1)
  return {
    token,
    direction: 'ru-to-en',
    score: (enLogProb - ru.logProb) / transitions + opts.weakestLinkWeight * (en.weakest - ru.weakest),
    letters: abbreviationAware(token, letters, opts),
    replacement: enText,
  }
}

/**
 * All-caps tokens of up to four letters («США», «NATO», «ФСБ») are usually abbreviations,
 * which no letter model handles well: report them as "short" so they are only converted
 * next to a confidently converted word.
 */
function abbreviationAware(token: string, letters: number, opts: LayoutGuessOptions): number {
  const isUpper = token === token.toUpperCase() && token !== token.toLowerCase()
  return isUpper && letters <= 4 ? Math.min(letters, opts.minLetters - 1) : letters
}

/** Leading quotes/brackets and trailing sentence punctuation that may be just punctuation. */
const EDGE_PUNCTUATION = /^["'(«]+|[.,;:'"!?)»]+$/gu

function stripEdgePunctuation(token: string): string {
  return token.replace(EDGE_PUNCTUATION, '')
}

/**
 * Letter-bearing punctuation keys that an English word would not contain: any strictly
 * between Latin letters («k.,jdm»), plus a leading one other than a quote («,fyr» = «банк»).
 */
function innerPunctuation(latinText: string): number {
  const chars = [...latinText]
  let first = chars.findIndex((c) => LATIN.test(c))
  let last = chars.length - 1
  while (last >= 0 && !LATIN.test(chars[last]!)) last--
  if (first < 0) return 0
  let count = 0
  for (let i = 0; i < last; i++) {
    const ch = chars[i]!
    if (!LETTER_KEY_PUNCTUATION.has(ch)) continue
    if (i > first || (ch !== '"' && ch !== "'")) count++
  }
  return count
}

function countLetters(text: string, letter: RegExp): number {
  let n = 0
  for (const ch of text) if (letter.test(ch)) n++
  return n
}
