/**
 * Transliteration between Cyrillic and Latin for Russian names and words.
 *
 * Why: readers search Russian news with Latin spellings («durov», «navalny»), and
 * Latin-script sources spell Russian names in a practical romanization. We need one
 * fixed, documented Cyrillic→Latin scheme and a ranked, bounded set of Cyrillic
 * guesses for a Latin word (the reverse is ambiguous, so it is a small search ranked
 * by rule costs plus a Russian letter-bigram model).
 *
 * Cyrillic→Latin scheme ("news/passport practical", close to BGN/PCGN without
 * diacritics and to Russian passports for most letters):
 *   а a   б b   в v   г g   д d   е e*  ё e*  ж zh  з z   и i   й y   к k   л l   м m
 *   н n   о o   п p   р r   с s   т t   у u   ф f   х kh  ц ts  ч ch  ш sh  щ shch
 *   ъ –   ы y   ь –   э e   ю yu  я ya
 *   * е/ё → "ye" at the start of a word and after a vowel, ъ or ь (Ельцин → yeltsin,
 *     Соловьёв → solovyev), otherwise "e" (Щёлково → shchelkovo).
 *   word-final «ый» → "y" (Новый → novy); «ий» stays "iy" (Зеленский → zelenskiy).
 * Output is lower-case unless `preserveCase` is set. Non-Cyrillic characters pass through.
 */
import { BOUNDARY, russianModel } from './letter-bigram-model.js'

export interface CyrillicToLatinOptions {
  /** Keep the capitalisation pattern of each word (Дуров → Durov, МВД → MVD). */
  readonly preserveCase: boolean
}

export const DEFAULT_CYRILLIC_TO_LATIN_OPTIONS: CyrillicToLatinOptions = {
  preserveCase: false,
}

const CYR_TO_LAT: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i',
  й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't',
  у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '',
  э: 'e', ю: 'yu', я: 'ya',
}

const RU_VOWELS = new Set([...'аеёиоуыэюя'])
const IOTATING = new Set([...'ъь'])
const CYRILLIC_WORD = /[А-Яа-яЁё]+/gu

export function cyrillicToLatin(
  text: string,
  options: Partial<CyrillicToLatinOptions> = {},
): string {
  const opts: CyrillicToLatinOptions = { ...DEFAULT_CYRILLIC_TO_LATIN_OPTIONS, ...options }
  return text.replace(CYRILLIC_WORD, (word) => {
    const latin = transliterateWord(word.toLowerCase())
    return opts.preserveCase ? applyCase(word, latin) : latin
  })
}

function transliterateWord(word: string): string {
  const chars = [...word]
  let out = ''
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    const prev = i > 0 ? chars[i - 1]! : undefined
    if (ch === 'ы' && chars[i + 1] === 'й' && i + 2 === chars.length) {
      out += 'y'
      break
    }
    if ((ch === 'е' || ch === 'ё') && (prev === undefined || RU_VOWELS.has(prev) || IOTATING.has(prev))) {
      out += 'ye'
      continue
    }
    out += CYR_TO_LAT[ch] ?? ch
  }
  return out
}

function applyCase(original: string, latin: string): string {
  if (original.length > 1 && original === original.toUpperCase()) return latin.toUpperCase()
  const first = original[0]
  if (first !== undefined && first !== first.toLowerCase()) {
    return latin.charAt(0).toUpperCase() + latin.slice(1)
  }
  return latin
}

// ---------------------------------------------------------------------------
// Latin → Cyrillic candidates
// ---------------------------------------------------------------------------

export interface LatinToCyrillicOptions {
  /** Maximum number of candidates returned (hard cap 4). */
  readonly maxCandidates: number
  /** Drop candidates whose cost exceeds the best one by more than this (nats). */
  readonly maxCostGap: number
  /** Beam width of the per-word search. */
  readonly beamWidth: number
  /** Weight of the Russian letter-bigram model relative to rule costs. */
  readonly modelWeight: number
  /** Cost of inserting a soft sign that has no Latin counterpart (кремль, царь). */
  readonly softSignCost: number
  /** Cheaper soft-sign insertion after «л» (навальный, сильный, кремль). */
  readonly softSignAfterLCost: number
  /** Emit «ё» for "yo"/"jo"; by default «е», as Russian news text usually does. */
  readonly useYo: boolean
  /** Longer Latin words are not transliterated (returned as no candidates). */
  readonly maxWordLength: number
}

export const DEFAULT_LATIN_TO_CYRILLIC_OPTIONS: LatinToCyrillicOptions = {
  maxCandidates: 4,
  maxCostGap: 6,
  beamWidth: 48,
  modelWeight: 1,
  softSignCost: 2.2,
  softSignAfterLCost: 1,
  useYo: false,
  maxWordLength: 40,
}

export interface CyrillicCandidate {
  readonly text: string
  /** Lower is better: rule costs + model surprisal (nats). */
  readonly cost: number
}

type Where = 'any' | 'start' | 'end' | 'notEnd' | 'afterVowel' | 'afterConsonant' | 'notStart'

interface Rule {
  readonly latin: string
  readonly cyrillic: string
  readonly cost: number
  readonly where: readonly Where[]
}

/** [latin, cyrillic, cost, where]. Costs are in nats, comparable with model surprisal. */
const RULE_TABLE: ReadonlyArray<readonly [string, string, number, ...Where[]]> = [
  // multi-letter sequences first (longest match is not forced: all options compete)
  ['shch', 'щ', 0], ['sch', 'щ', 0.6], ['sch', 'сч', 1.5], ['zh', 'ж', 0], ['kh', 'х', 0],
  ['ch', 'ч', 0], ['sh', 'ш', 0], ['ts', 'ц', 0.7], ['tz', 'ц', 1], ['cz', 'ч', 2],
  ['ya', 'я', 0], ['ya', 'ья', 1, 'afterConsonant'], ['ia', 'ья', 2.5, 'afterConsonant'],
  ['yu', 'ю', 0], ['yu', 'ью', 1, 'afterConsonant'], ['iu', 'ю', 2],
  ['ye', 'е', 0], ['ye', 'ье', 1, 'afterConsonant'], ['ye', 'ъе', 2.5, 'afterConsonant'],
  ['yo', 'ё', 0.5], ['yo', 'ьё', 0.5, 'afterConsonant'], ['yo', 'йо', 1.2],
  ['jo', 'ё', 1], ['ja', 'я', 1], ['ju', 'ю', 1], ['je', 'е', 1.5],
  ['iy', 'ий', 0, 'end'], ['yy', 'ый', 0, 'end'], ['yi', 'ый', 0.5, 'end'], ['ii', 'ий', 0.5, 'end'],
  ['y', 'ый', 0.3, 'end'], ['y', 'ий', 0.6, 'end'], ['i', 'ий', 2.5, 'end'],
  ['sky', 'ский', 0, 'end'], ['ski', 'ский', 1, 'end'],
  ['tch', 'ч', 0.5], ['ph', 'ф', 0.8], ['th', 'т', 1.2], ['ck', 'к', 1], ['oo', 'у', 2], ['ee', 'и', 2], ['ou', 'у', 1.5],
  ['x', 'кс', 0.2], ['w', 'в', 0.5], ['q', 'к', 1], ['j', 'й', 1], ['j', 'ж', 1.5], ['j', 'дж', 1.2],
  ['c', 'к', 1], ['c', 'ц', 1.2], ['c', 'с', 1.2], ['h', 'х', 0.8], ['h', 'г', 2],
  // single letters
  ['a', 'а', 0], ['b', 'б', 0], ['d', 'д', 0], ['e', 'е', 0.3], ['e', 'э', 0.2, 'start'],
  ['e', 'э', 2, 'notStart'], ['f', 'ф', 0], ['g', 'г', 0], ['i', 'и', 0], ['i', 'й', 0.8, 'afterVowel'],
  ['k', 'к', 0], ['l', 'л', 0], ['m', 'м', 0], ['n', 'н', 0], ['o', 'о', 0], ['p', 'п', 0],
  ['r', 'р', 0], ['s', 'с', 0], ['t', 'т', 0], ['u', 'у', 0], ['v', 'в', 0], ['z', 'з', 0],
  // English «u» between consonants is said «а», and news names are transcribed by sound (Trump → Трамп, Musk → Маск)
  ['u', 'а', 1.5, 'afterConsonant'],
  ['y', 'ы', 0.4, 'afterConsonant', 'notEnd'], ['y', 'ы', 2.5, 'afterConsonant', 'end'],
  ['y', 'й', 0.2, 'afterVowel'], ['y', 'и', 1.5, 'notEnd'], ['y', 'и', 3, 'end'],
]

const RULES_BY_FIRST = new Map<string, Rule[]>()
for (const [latin, cyrillic, cost, ...where] of RULE_TABLE) {
  const first = latin[0]!
  const list = RULES_BY_FIRST.get(first) ?? []
  list.push({ latin, cyrillic, cost, where })
  RULES_BY_FIRST.set(first, list)
}

const LAT_VOWELS = new Set([...'aeiouy'])
/** Consonants after which a soft sign may be inserted. */
const SOFTENABLE = new Set([...'бвдзлмнпрстф'])
/** Pairs that Russian spelling forbids (or practically never uses). */
const FORBIDDEN_PAIRS = /[кгхжшчщц]ы|[жшчщ]я|[жшчщ]ю|[аеёиоуыэюяьъй][ьъ]|[бвгджзклмнпрстфхцчшщ]й|ьь|йй|ъ[^еёюя]/u
const FORBIDDEN_START = /^[ьъыйй]/u

interface Partial_ {
  readonly pos: number
  readonly text: string
  readonly last: string
  readonly cost: number
}

/**
 * Ranked Cyrillic spellings for Latin text (lower-case output), best first, at most 4.
 * Each Latin word is expanded independently; multi-word inputs are combined keeping the
 * cheapest combinations. Non-letter characters (spaces, hyphens, digits) are kept.
 */
export function latinToCyrillic(
  text: string,
  options: Partial<LatinToCyrillicOptions> = {},
): CyrillicCandidate[] {
  const opts: LatinToCyrillicOptions = { ...DEFAULT_LATIN_TO_CYRILLIC_OPTIONS, ...options }
  const limit = Math.max(1, Math.min(4, Math.floor(opts.maxCandidates)))
  const lower = text.toLowerCase()
  if (!/[a-z]/u.test(lower)) return []
  const pieces = lower.split(/([a-z]+)/u)
  let combos: CyrillicCandidate[] = [{ text: '', cost: 0 }]
  for (const piece of pieces) {
    if (piece === '') continue
    let options_: CyrillicCandidate[]
    if (/^[a-z]+$/u.test(piece)) {
      if (piece.length > opts.maxWordLength) return []
      options_ = wordCandidates(piece, opts, limit)
      // every path blocked by spelling constraints (e.g. a lone "y"): letter-by-letter fallback
      if (options_.length === 0) options_ = [{ text: naive(piece), cost: 99 }]
    } else {
      options_ = [{ text: piece, cost: 0 }]
    }
    const next: CyrillicCandidate[] = []
    for (const a of combos) for (const b of options_) next.push({ text: a.text + b.text, cost: a.cost + b.cost })
    next.sort((x, y) => x.cost - y.cost)
    combos = next.slice(0, limit)
  }
  if (combos.length === 1 && combos[0]!.text === '') return []
  const best = combos[0]!.cost
  return combos.filter((c) => c.cost - best <= opts.maxCostGap)
}

function wordCandidates(
  word: string,
  opts: LatinToCyrillicOptions,
  limit: number,
): CyrillicCandidate[] {
  const model = russianModel()
  const lm = (prev: string, next: string): number => -opts.modelWeight * model.logProb(prev, next)
  // beams[i] = partial outputs that consumed exactly i Latin letters
  const beams: Partial_[][] = Array.from({ length: word.length + 1 }, () => [])
  beams[0]!.push({ pos: 0, text: '', last: BOUNDARY, cost: 0 })

  for (let pos = 0; pos < word.length; pos++) {
    const beam = prune(beams[pos]!, opts.beamWidth)
    beams[pos] = beam
    const rules = RULES_BY_FIRST.get(word[pos]!) ?? []
    for (const state of beam) {
      for (const rule of rules) {
        if (!word.startsWith(rule.latin, pos)) continue
        const end = pos + rule.latin.length
        if (!rule.where.every((w) => applies(w, word, pos, end, state))) continue
        extend(beams, state, end, rule.cyrillic, rule.cost, word, opts, lm)
      }
    }
  }

  const finals = new Map<string, number>()
  for (const state of beams[word.length]!) {
    const cost = state.cost + lm(state.last, BOUNDARY)
    const prev = finals.get(state.text)
    if (prev === undefined || cost < prev) finals.set(state.text, cost)
  }
  return [...finals]
    .map(([text, cost]) => ({ text, cost }))
    .sort((a, b) => a.cost - b.cost)
    .slice(0, limit)
}

/** First single-letter rule per letter; never blocked, used only as a fallback. */
function naive(word: string): string {
  let out = ''
  for (const ch of word) {
    const rule = (RULES_BY_FIRST.get(ch) ?? [])
      .filter((r) => r.latin.length === 1)
      .sort((a, b) => a.where.length - b.where.length || a.cost - b.cost)[0]
    out += rule ? rule.cyrillic : ch
  }
  return out.replaceAll('ё', 'е')
}

function extend(
  beams: Partial_[][],
  state: Partial_,
  end: number,
  cyrillic: string,
  ruleCost: number,
  word: string,
  opts: LatinToCyrillicOptions,
  lm: (prev: string, next: string) => number,
): void {
  let out = cyrillic
  if (!opts.useYo) out = out.replaceAll('ё', 'е')
  const variants: Array<readonly [string, number]> = [[out, ruleCost]]
  // optional soft sign after a consonant when a consonant or the word end follows
  const lastOut = out[out.length - 1]!
  const nextLatin = word[end]
  if (
    out.length === 1 &&
    SOFTENABLE.has(lastOut) &&
    (nextLatin === undefined || !LAT_VOWELS.has(nextLatin))
  ) {
    variants.push([out + 'ь', ruleCost + (lastOut === 'л' ? opts.softSignAfterLCost : opts.softSignCost)])
  }
  for (const [piece, cost] of variants) {
    const text = state.text + piece
    const tail = text.slice(-3)
    if (FORBIDDEN_PAIRS.test(tail) || (state.text === '' && FORBIDDEN_START.test(text))) continue
    let total = state.cost + cost
    let prev = state.last
    for (const ch of piece) {
      total += lm(prev, ch)
      prev = ch
    }
    beams[end]!.push({ pos: end, text, last: prev, cost: total })
  }
}

function applies(where: Where, word: string, pos: number, end: number, state: Partial_): boolean {
  switch (where) {
    case 'any':
      return true
    case 'start':
      return pos === 0
    case 'notStart':
      return pos > 0
    case 'end':
      return end === word.length && pos > 0
    case 'notEnd':
      return end < word.length
    case 'afterVowel':
      return pos > 0 && RU_VOWELS.has(state.last)
    case 'afterConsonant':
      return pos > 0 && !RU_VOWELS.has(state.last) && state.last !== 'ь' && state.last !== 'ъ'
  }
}

function prune(beam: Partial_[], width: number): Partial_[] {
  const seen = new Map<string, Partial_>()
  for (const s of beam) {
    const prev = seen.get(s.text)
    if (!prev || s.cost < prev.cost) seen.set(s.text, s)
  }
  return [...seen.values()].sort((a, b) => a.cost - b.cost).slice(0, width)
}

/** Convenience: just the candidate strings, best first. */
export function latinToCyrillicStrings(
  text: string,
  options: Partial<LatinToCyrillicOptions> = {},
): string[] {
  return latinToCyrillic(text, options).map((c) => c.text)
}
