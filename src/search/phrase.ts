/**
 * `"quoted phrase"`: the words must appear in order. MiniSearch keeps no word positions,
 * so candidates holding every phrase word (narrowed by the index's postings: search.ts) are
 * re-read and checked for the words in sequence, each in any inflected form (one of its
 * terms), stop words skipped on both sides, as in the index. Every candidate is checked, so
 * a phrase query's total is exact; what keeps that cheap is that only the tokens whose form
 * key may carry a phrase term are analysed (`Phrase.forms`, the index's form table, as for
 * snippets), plus the few tokens right after a partial match (a stop word there is skipped,
 * any other word breaks it).
 */
import type { Analyzer } from '../analysis/analyzer.js'
import type { FormKeySet } from '../analysis/form-key.js'
import { scanTokens } from '../analysis/scan-tokens.js'

export interface Phrase {
  /** The phrase as searched, one entry per word: its terms. */
  groups: ReadonlyArray<ReadonlySet<string>>
  /** The keys of every form carrying one of the phrase's terms; without them every token is analysed. */
  forms?: FormKeySet
}

/** Where a phrase occurs in a text: from its first word's start to its last word's end. */
export interface PhraseOccurrence {
  start: number
  end: number
}

export function makePhrase (groups: ReadonlyArray<ReadonlySet<string>>, forms?: FormKeySet): Phrase {
  return forms === undefined ? { groups } : { groups, forms }
}

/** True when `text` holds one term of each group, in consecutive content words. */
export function containsPhrase (text: string, phrase: Phrase, analyzer: Analyzer): boolean {
  return phraseOccurrence(text, phrase, analyzer) !== undefined
}

/** The first occurrence of the phrase in `text`, or undefined. */
export function phraseOccurrence (text: string, phrase: Phrase, analyzer: Analyzer): PhraseOccurrence | undefined {
  const { groups, forms } = phrase
  if (groups.length === 0) return { start: 0, end: 0 }
  // Partial matches ending at the last content word: how many groups each has matched, and where it started.
  let partial: Array<{ matched: number, start: number }> = []
  let found: PhraseOccurrence | undefined
  scanTokens(text, (start, end) => {
    const candidate = forms === undefined || forms.mayHold(text, start, end)
    if (!candidate && partial.length === 0) return true
    const terms = analyzer.termsAt(text, start, end)
    if (terms.length === 0) return true // a stop word: skipped, as the index skips it
    const next: Array<{ matched: number, start: number }> = []
    if (candidate) {
      for (const { matched, start: from } of [...partial, { matched: 0, start }]) {
        if (!holdsOne(terms, groups[matched] as ReadonlySet<string>)) continue
        if (matched + 1 === groups.length) {
          found = { start: from, end }
          return false
        }
        next.push({ matched: matched + 1, start: from })
      }
    }
    partial = next
    return true
  })
  return found
}

function holdsOne (terms: readonly string[], group: ReadonlySet<string>): boolean {
  for (const term of terms) if (group.has(term)) return true
  return false
}
