/**
 * The morphology evaluation: the treebank's sampled word types, each system's term-sharing
 * pairs scored against the gold lemmas, and the wrong pairs poisk makes that Snowball does not.
 */
import { createDefaultAnalyzer } from '../analysis/default-analyzer.js'
import { readConllu, type TreebankWord } from './conllu.js'
import {
  compareFalseMerges,
  evaluateMorphology,
  isSampled,
  sampleTypes,
  snowballIndexedTerms,
  snowballWordTerms,
  type MergeDifference,
  type MorphEvaluation,
  type TermsOf,
  type WordType
} from './morph.js'

/** The UD Russian GSD splits measured, under `<shared>/corpora/ud-russian-gsd/`. */
export const UD_GSD_FILES = ['ru_gsd-ud-test.conllu.gz', 'ru_gsd-ud-dev.conllu.gz'] as const

export interface MorphSystem {
  name: string
  description: string
  /** Made per run: poisk's analyzer caches what it analysed. */
  create: () => TermsOf
}

export const MORPH_SYSTEMS: readonly MorphSystem[] = [
  {
    name: 'poisk',
    description: '`createDefaultAnalyzer().termsOf(form)`: the terms the index stores for the form (stop words have none; a hyphenated word also gets its parts\' terms)',
    create: () => createDefaultAnalyzer().termsOf
  },
  {
    name: 'snowball',
    description: 'the Snowball Russian stem (@orama/stemmers) of the whole form, lowercased, ё→е, no stop words: the stemmer alone, as the issue measured it',
    create: () => snowballWordTerms
  },
  {
    name: 'snowball-indexed',
    description: 'Snowball as `npm run eval`\'s baseline indexes a word (src/eval/systems.ts): MiniSearch\'s tokenizer, which splits hyphenated words into their parts, and stop words dropped',
    create: () => snowballIndexedTerms
  }
]

export interface MorphResult {
  files: string[]
  /** Syntactic words read, and those sampled (before types are made distinct). */
  words: number
  sampledWords: number
  types: WordType[]
  lemmas: number
  systems: MorphEvaluation[]
  descriptions: Map<string, string>
  /** poisk's wrong pairs against Snowball's (the first two systems). */
  difference: MergeDifference | undefined
}

export async function runMorphEvaluation (paths: readonly string[], systems: readonly MorphSystem[] = MORPH_SYSTEMS): Promise<MorphResult> {
  const words: TreebankWord[] = []
  for (const path of paths) {
    for await (const word of readConllu(path)) words.push(word)
  }
  return { files: [...paths], ...evaluateWords(words, systems) }
}

export function evaluateWords (words: readonly TreebankWord[], systems: readonly MorphSystem[] = MORPH_SYSTEMS): Omit<MorphResult, 'files'> {
  const types = sampleTypes(words)
  const evaluations = systems.map(system => evaluateMorphology(system.name, types, system.create()))
  const [first, second] = evaluations
  return {
    words: words.length,
    sampledWords: words.filter(isSampled).length,
    types,
    lemmas: new Set(types.map(type => type.lemma)).size,
    systems: evaluations,
    descriptions: new Map(systems.map(system => [system.name, system.description])),
    difference: first === undefined || second === undefined ? undefined : compareFalseMerges(types, first, second)
  }
}
