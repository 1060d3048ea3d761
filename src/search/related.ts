/**
 * «Читайте также»: the articles most like a given one. A more-like-this query: the stored
 * document's headline and opening are analysed with the index's own analyzer, its most
 * distinctive terms picked by tf·idf (the headline's counted `titleWeight` times: it names
 * the subject), and run as one scored OR query through the search's scoring path
 * (match-list.ts, score-query.ts: BM25 over title, lead and body), each term boosted by its
 * weight in the source. The source itself, its near-duplicates (the build's groups,
 * `snapshot.duplicates`) and documents with the very same headline are left out: a copy is
 * not further reading.
 */
import type { SearchOptions, Query } from 'minisearch'
import { normalize } from '../analysis/normalize.js'
import type { Snapshot } from '../index/open-index.js'
import type { StoredFields } from '../index/minisearch-options.js'
import { matchList } from './match-list.js'
import { defaultRanking } from './ranking.js'
import { vocabularyOf } from './vocabulary.js'

export interface RelatedOptions {
  limit: number
  /** Distinctive terms in the query. */
  terms: number
  /** The opening of the body analysed with the headline, in characters. */
  openingChars: number
  /** Each headline occurrence counts this many body occurrences. */
  titleWeight: number
  /** Terms in more than this share of the documents say nothing of a subject and are skipped. */
  maxDocumentShare: number
}

export const defaultRelatedOptions: RelatedOptions = { limit: 5, terms: 20, openingChars: 1500, titleWeight: 3, maxDocumentShare: 0.2 }

const FEW_DOCUMENTS = 10

export interface RelatedHit {
  id: string
  title: string
  date?: string
  url?: string
  source?: string
  score: number
}

export interface RelatedResponse {
  id: string
  hits: RelatedHit[]
  /** The terms the articles were found by, most distinctive first. */
  terms: string[]
}

/** The articles most like document `id`; undefined when the snapshot has no such document. */
export async function related (snapshot: Snapshot, id: string, options: Partial<RelatedOptions> = {}): Promise<RelatedResponse | undefined> {
  const settings = { ...defaultRelatedOptions, ...options }
  const stored = snapshot.miniSearch.getStoredFields(id) as StoredFields | undefined
  if (stored === undefined) return undefined
  const { body } = await snapshot.documents.readBodyOpening(stored, settings.openingChars)
  const weights = distinctiveTerms(snapshot, stored.title, body, settings)
  if (weights.size === 0) return { id, hits: [], terms: [] }
  const left = leftOut(snapshot, id, stored.title)
  const query: Query = { combineWith: 'OR', queries: [...weights.keys()] }
  const { boost, bm25 } = defaultRanking.long
  const searchOptions: SearchOptions = { tokenize: term => [term], processTerm: term => term, boost, bm25, boostTerm: term => weights.get(term) ?? 1 }
  const matches = matchList(snapshot.miniSearch, query, searchOptions, { excludedIds: left.ids })
  const order = Array.from({ length: matches.length }, (_, at) => at).sort((a, b) => matches.score(b) - matches.score(a))
  const hits: RelatedHit[] = []
  // Titles are read for the best matches only (a loaded build makes a match's fields when asked: stored-fields-table.ts).
  for (const at of order) {
    if (hits.length >= settings.limit) break
    const fields = matches.fields(at)
    if (normalize(fields.title) !== left.title) hits.push(hitOf(String(matches.id(at)), fields, matches.score(at)))
  }
  return { id, hits, terms: [...weights.keys()] }
}

/** The source's `terms` most distinctive terms, each with its boost (its tf·idf over the highest, in (0, 1]). */
export function distinctiveTerms (snapshot: Snapshot, title: string, opening: string, settings: RelatedOptions): Map<string, number> {
  const counts = new Map<string, number>()
  const count = (text: string, weight: number): void => {
    for (const token of snapshot.analyzer.analyzeWithOffsets(text)) {
      for (const term of token.terms) counts.set(term, (counts.get(term) ?? 0) + weight)
    }
  }
  count(title, settings.titleWeight)
  count(opening, 1)
  const vocabulary = vocabularyOf(snapshot)
  const total = snapshot.miniSearch.documentCount
  const scored: Array<{ term: string, weight: number }> = []
  for (const [term, tf] of counts) {
    const documents = vocabulary.documentsWith(term)
    // A term of this document alone finds nothing else; one in most documents finds everything.
    // (The share is not applied below a few documents: in a tiny index every word is in a fifth of it.)
    if (documents <= 1 || documents > Math.max(settings.maxDocumentShare * total, FEW_DOCUMENTS)) continue
    scored.push({ term, weight: (1 + Math.log(tf)) * Math.log(total / documents) })
  }
  scored.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1))
  const top = scored.slice(0, settings.terms)
  const highest = top[0]?.weight ?? 1
  return new Map(top.map(({ term, weight }) => [term, weight / highest]))
}

/** The source, its near-duplicates, and its headline: what related articles must not be. */
function leftOut (snapshot: Snapshot, id: string, title: string): { ids: Set<string>, title: string } {
  const copies = snapshot.duplicates?.membersOf(id) ?? []
  return { ids: new Set([id, ...copies]), title: normalize(title) }
}

function hitOf (id: string, fields: StoredFields, score: number): RelatedHit {
  return {
    id,
    title: fields.title,
    ...(fields.date === undefined ? {} : { date: fields.date }),
    ...(fields.url === undefined ? {} : { url: fields.url }),
    ...(fields.source === undefined ? {} : { source: fields.source }),
    score
  }
}
