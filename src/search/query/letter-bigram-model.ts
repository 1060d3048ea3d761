/**
 * Letter-bigram language model (interpolated with unigrams), trained at load time
 * from small embedded sample texts.
 *
 * Why: both the wrong-keyboard-layout detector and the Latin→Cyrillic candidate ranker
 * need a cheap answer to "how plausible is this letter sequence in language X?".
 * A bigram model over ~30 letters is tiny, deterministic and good enough for ranking
 * and for comparing two hypotheses about the same keystrokes; it is NOT a dictionary.
 */
import { ENGLISH_SAMPLE_TEXT } from './english-sample-text.js'
import { RUSSIAN_SAMPLE_TEXT } from './russian-sample-text.js'

/** Symbol used for "word start" / "word end" in transitions. */
export const BOUNDARY = '^'

export interface BigramModelOptions {
  /** Weight of the bigram estimate vs the unigram fallback (0..1). */
  readonly lambda: number
  /** Additive smoothing for the unigram distribution. */
  readonly unigramSmoothing: number
}

export const DEFAULT_BIGRAM_MODEL_OPTIONS: BigramModelOptions = {
  lambda: 0.85,
  unigramSmoothing: 0.5,
}

export interface WordScore {
  /** Natural-log probability of the word including start and end transitions. */
  readonly logProb: number
  /** Number of transitions scored (letters + 1). */
  readonly transitions: number
  /** Mean of the two least likely transitions (a "weakest link" signal); 0 for empty input. */
  readonly weakest: number
}

export interface BigramModel {
  /** Lower-case letters the model knows; anything else is treated as a word separator. */
  readonly alphabet: string
  /** ln P(next | prev); either side may be BOUNDARY. Unknown symbols get the floor value. */
  logProb(prev: string, next: string): number
  /** Score one word (lower-cased internally); non-alphabet characters split it into pieces. */
  scoreWord(word: string): WordScore
}

export function trainBigramModel (
  corpus: string,
  alphabet: string,
  options: Partial<BigramModelOptions> = {},
): BigramModel {
  const opts: BigramModelOptions = { ...DEFAULT_BIGRAM_MODEL_OPTIONS, ...options }
  const symbols = [BOUNDARY, ...alphabet]
  const index = new Map<string, number>(symbols.map((s, i) => [s, i]))
  const size = symbols.length
  const { table, floor } = smoothedLogTable(countTransitions(corpus, alphabet, index, size), size, opts)

  const logProb = (prev: string, next: string): number => {
    const a = index.get(prev)
    const b = index.get(next)
    if (a === undefined || b === undefined) return floor
    return table[a * size + b]!
  }

  const scoreWord = (word: string): WordScore => {
    const steps: number[] = []
    for (const piece of splitWords(word.toLowerCase(), alphabet)) {
      let prev = BOUNDARY
      for (const ch of piece) {
        steps.push(logProb(prev, ch))
        prev = ch
      }
      steps.push(logProb(prev, BOUNDARY))
    }
    steps.sort((a, b) => a - b)
    const total = steps.reduce((sum, x) => sum + x, 0)
    const low = steps.slice(0, 2)
    const weakest = low.length > 0 ? low.reduce((sum, x) => sum + x, 0) / low.length : 0
    return { logProb: total, transitions: steps.length, weakest }
  }

  return { alphabet, logProb, scoreWord }
}

/** Transition counts of the corpus's words, word boundaries (symbol 0) included. */
interface TransitionCounts {
  /** [from × size + to] */
  pair: Float64Array
  fromTotals: Float64Array
  uni: Float64Array
  uniTotal: number
}

function countTransitions (corpus: string, alphabet: string, index: Map<string, number>, size: number): TransitionCounts {
  const pair = new Float64Array(size * size)
  const fromTotals = new Float64Array(size)
  const uni = new Float64Array(size)
  let uniTotal = 0
  for (const word of splitWords(corpus.toLowerCase(), alphabet)) {
    let prev = 0
    for (const ch of word) {
      const cur = index.get(ch) ?? 0
      pair[prev * size + cur]! += 1
      fromTotals[prev]! += 1
      uni[cur]! += 1
      uniTotal += 1
      prev = cur
    }
    pair[prev * size]! += 1
    fromTotals[prev]! += 1
    uni[0]! += 1
    uniTotal += 1
  }
  return { pair, fromTotals, uni, uniTotal }
}

/** ln of the bigram probabilities interpolated with smoothed unigrams; `floor` for unknown symbols. */
function smoothedLogTable ({ pair, fromTotals, uni, uniTotal }: TransitionCounts, size: number, opts: BigramModelOptions): { table: Float64Array, floor: number } {
  const table = new Float64Array(size * size)
  const uniDenominator = uniTotal + opts.unigramSmoothing * size
  for (let a = 0; a < size; a++) {
    const total = fromTotals[a]!
    for (let b = 0; b < size; b++) {
      const pUni = (uni[b]! + opts.unigramSmoothing) / uniDenominator
      const pBi = total > 0 ? pair[a * size + b]! / total : pUni
      table[a * size + b] = Math.log(opts.lambda * pBi + (1 - opts.lambda) * pUni)
    }
  }
  const floor = Math.log(((1 - opts.lambda) * opts.unigramSmoothing) / uniDenominator)
  return { table, floor }
}

function splitWords(text: string, alphabet: string): string[] {
  const words: string[] = []
  let current = ''
  for (const ch of text) {
    if (alphabet.includes(ch)) {
      current += ch
    } else if (current) {
      words.push(current)
      current = ''
    }
  }
  if (current) words.push(current)
  return words
}

export const RUSSIAN_ALPHABET = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя'
export const ENGLISH_ALPHABET = 'abcdefghijklmnopqrstuvwxyz'

/** Shared, lazily trained models (training takes well under a millisecond per KB). */
let russian: BigramModel | undefined
let english: BigramModel | undefined

export function russianModel(): BigramModel {
  russian ??= trainBigramModel(RUSSIAN_SAMPLE_TEXT, RUSSIAN_ALPHABET)
  return russian
}

export function englishModel(): BigramModel {
  english ??= trainBigramModel(ENGLISH_SAMPLE_TEXT, ENGLISH_ALPHABET)
  return english
}
