/**
 * Turns the user's query text into term groups: one group per query word, holding every
 * index term that word may stand for (several for an ambiguous or hyphenated word). The
 * groups go to MiniSearch as a query tree, so the word's alternatives are OR-ed within the
 * word and never AND-ed. Stop words produce no group; the number of words is bounded so no
 * query can make the engine scan the whole vocabulary.
 */
import type { Analyzer } from '../analysis/analyzer.js'

export interface ParsedQuery {
  /** One entry per meaningful query word, in query order. */
  groups: string[][]
  /** Every term of every group: what snippets mark. */
  terms: Set<string>
  /** Words beyond `maxWords` that were ignored. */
  droppedWords: number
}

export const MAX_QUERY_WORDS = 32

export function parseQuery (text: string, analyzer: Analyzer, maxWords = MAX_QUERY_WORDS): ParsedQuery {
  const groups: string[][] = []
  let droppedWords = 0
  for (const token of analyzer.analyzeWithOffsets(text)) {
    if (token.terms.length === 0) continue
    if (groups.length >= maxWords) {
      droppedWords += 1
      continue
    }
    groups.push(token.terms)
  }
  return { groups, terms: new Set(groups.flat()), droppedWords }
}
