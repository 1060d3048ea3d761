/**
 * A query's postings decoded before anything reads them, in pieces with the search's pauses.
 * A loaded term's postings are decoded where they are first read (term-data.ts), and the
 * first readers (the match universe, the score bounds, the scorer) read them whole: at
 * 800,000 documents the first query on «который» (1.2 million postings) held the event loop
 * for 60–80 ms in the decoding alone, and a server's first queries after a start or a swap
 * meet every frequent term for the first time.
 */
import type MiniSearch from 'minisearch'
import { internalsOf } from '../index/minisearch-internals.js'
import type { IndexedDocument } from '../index/minisearch-options.js'
import { LazyTermData } from '../index/term-data.js'
import type { QueryPlan } from './query-plan.js'

/** Decodes the postings of every term `plan` searches or excludes, yielding between pieces (those shorter than `bytesAtOnce` encoded in one: LazyTermData's default unless given). */
export function * decodingPostingsOf (miniSearch: MiniSearch<IndexedDocument>, plan: Pick<QueryPlan, 'words' | 'excluded'>, bytesAtOnce?: number): Generator<void, void, undefined> {
  const index = internalsOf(miniSearch)
  if (index === undefined) return
  const terms = new Set<string>()
  for (const word of plan.words) for (const term of word.terms.keys()) terms.add(term)
  for (const { terms: excluded, together } of plan.excluded) for (const term of [...excluded, ...(together ?? []).flat()]) terms.add(term)
  for (const term of terms) {
    const data = index.termTree.get(term)
    if (data instanceof LazyTermData) yield * data.decodingArrays(bytesAtOnce)
  }
}
