/**
 * A query's result set, ranked but not yet paged. Matches stay in flat arrays (match-list,
 * rank) and become `Found` objects only when a page, a phrase check or the evaluation asks
 * for them: most queries show ten of thousands of matches.
 */
import type { SearchResult } from 'minisearch'
import type { StoredFields } from '../index/minisearch-options.js'
import type { MatchList } from './match-list.js'
import { topRanked, type Rankable, type RankOptions } from './rank.js'

/** One ranked result. */
export interface Found {
  /** What `MiniSearch#search` returns for it (built when first read). */
  readonly result: SearchResult
  readonly fields: StoredFields
  /** The score results are ranked by. */
  readonly score: number
  readonly date?: string
  /** How many of the query's words it holds. */
  readonly wordsMatched: number
}

export interface Results {
  readonly total: number
  /** The best `count` results, best first. */
  top: (count: number) => Found[]
  /** Whether some result holds `words` of the query's words. */
  someHolds: (words: number) => boolean
  /** Every result's stored fields, in no particular order (for facets). */
  allFields: () => StoredFields[]
}

/** Matches with their final scores and words matched, ordered on demand. */
export class RankedResults implements Results, Rankable {
  constructor (
    private readonly matches: MatchList,
    readonly scores: Float64Array,
    readonly wordsMatched: Uint8Array,
    private readonly order: RankOptions
  ) {}

  get length (): number {
    return this.matches.length
  }

  get total (): number {
    return this.matches.length
  }

  date (at: number): string | undefined {
    return this.matches.fields(at).date
  }

  top (count: number): Found[] {
    return topRanked(this, count, this.order).map(at => this.found(at))
  }

  someHolds (words: number): boolean {
    return this.wordsMatched.some(count => count === words)
  }

  allFields (): StoredFields[] {
    return Array.from({ length: this.length }, (_, at) => this.matches.fields(at))
  }

  private found (at: number): Found {
    const matches = this.matches
    let result: SearchResult | undefined
    const fields = matches.fields(at)
    return {
      get result () { return (result ??= matches.result(at)) },
      fields,
      score: this.scores[at] as number,
      ...(fields.date === undefined ? {} : { date: fields.date }),
      wordsMatched: this.wordsMatched[at] as number
    }
  }
}

/** Results already listed in order (after a phrase check). */
export class ListedResults implements Results {
  constructor (private readonly list: readonly Found[]) {}

  get total (): number {
    return this.list.length
  }

  top (count: number): Found[] {
    return this.list.slice(0, count)
  }

  someHolds (words: number): boolean {
    return this.list.some(found => found.wordsMatched === words)
  }

  allFields (): StoredFields[] {
    return this.list.map(found => found.fields)
  }
}
