/**
 * `"quoted phrase"`: the words must appear in order. MiniSearch keeps no word positions,
 * so candidates holding every phrase word are re-analysed with the index's analyzer and
 * checked for the words in sequence (stop words skipped on both sides, as in the index).
 * Only the best `maxPhraseCandidates` candidates are checked: reading documents is the
 * one costly step, and it must stay bounded.
 */
import type { Analyzer } from '../analysis/analyzer.js'

/** True when `text` holds one term of each group, in consecutive content words. */
export function containsPhrase (text: string, groups: ReadonlyArray<ReadonlySet<string>>, analyzer: Analyzer): boolean {
  if (groups.length === 0) return true
  const words = analyzer.analyzeWithOffsets(text).filter(token => token.terms.length > 0)
  for (let start = 0; start + groups.length <= words.length; start += 1) {
    let all = true
    for (let offset = 0; offset < groups.length && all; offset += 1) {
      const group = groups[offset] as ReadonlySet<string>
      all = (words[start + offset]?.terms ?? []).some(term => group.has(term))
    }
    if (all) return true
  }
  return false
}
