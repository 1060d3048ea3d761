/**
 * `"quoted phrase"`: the words must appear in order. MiniSearch keeps no word positions,
 * so candidates holding every phrase word are re-analysed with the index's analyzer and
 * checked for the words in sequence (stop words skipped on both sides, as in the index).
 * Only the best `maxPhraseCandidates` candidates are checked: reading documents is the
 * one costly step, and it must stay bounded. A text holding the phrase exactly as typed
 * is accepted without analysis.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { normalize } from '../analysis/normalize.js'

export interface Phrase {
  /** The phrase as searched, one entry per word: its terms. */
  groups: ReadonlyArray<ReadonlySet<string>>
  /** The words as searched, normalised and joined by one space (the fast path). */
  text: string
}

export function makePhrase (words: readonly string[], groups: ReadonlyArray<ReadonlySet<string>>): Phrase {
  return { groups, text: normalize(words.join(' ')) }
}

/** True when `text` holds one term of each group, in consecutive content words. */
export function containsPhrase (text: string, phrase: Phrase, analyzer: Analyzer): boolean {
  const { groups } = phrase
  if (groups.length === 0) return true
  if (phrase.text !== '' && normalize(text).includes(phrase.text)) return true
  const words: string[][] = []
  for (const token of analyzer.tokenize(text)) {
    const terms = analyzer.termsOf(token)
    if (terms.length > 0) words.push(terms)
  }
  const first = groups[0] as ReadonlySet<string>
  for (let start = 0; start + groups.length <= words.length; start += 1) {
    if (!(words[start] as string[]).some(term => first.has(term))) continue
    let all = true
    for (let offset = 1; offset < groups.length && all; offset += 1) {
      const group = groups[offset] as ReadonlySet<string>
      all = (words[start + offset] as string[]).some(term => group.has(term))
    }
    if (all) return true
  }
  return false
}
