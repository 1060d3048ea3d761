/**
 * A query's result set, ranked but not yet paged. Matches stay in flat arrays (match-list,
 * rank) and become `Found` objects only when a page, a phrase check or the evaluation asks
 * for them: most queries show ten of thousands of matches.
 */
import type { SearchResult } from 'minisearch'
import type { HotStoredFields, StoredFields } from '../index/minisearch-options.js'
import type { MatchList } from './match-list.js'
import { rankComparator, rankingTop, type Compare, type Rankable, type RankOptions } from './rank.js'
import { runAtOnce } from '../index/time-slicer.js'

/** One ranked result. */
export interface Found {
  /** The document's id (read without building `result`). */
  readonly id: string
  /** Its short id (MiniSearch's document number), -1 when not known. */
  readonly shortId: number
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
  /** The best `count` of the results `keep` accepts (by position; all without it), best first, with their positions. */
  topWhere: (count: number, keep?: (at: number) => boolean) => Array<{ found: Found, at: number }>
  /** `topWhere` as steps: it yields between pieces of the results it goes through (run it with time-slicer's runPausing). */
  selectingTop: (count: number, keep?: (at: number) => boolean) => Generator<void, Array<{ found: Found, at: number }>, undefined>
  /** Whether the result at position `a` ranks before the one at `b`. */
  ranksBefore: (a: number, b: number) => boolean
  /** The id of the result at a position. */
  idAt: (at: number) => string
  /** Its short id (MiniSearch's document number), -1 when not known. */
  shortIdAt: (at: number) => number
  /** `shortIdAt` as an array by position, when the results are held in arrays. */
  readonly shortIds?: Int32Array
  /** Whether some result holds `words` of the query's words. */
  someHolds: (words: number) => boolean
  /** How many results hold at least `words` of the query's words. */
  countHolding: (words: number) => number
  /** The hot stored fields of every result holding at least `words` words (all by default), in no particular order (for facets). */
  allFields: (words?: number) => HotStoredFields[]
}

/** Matches with their final scores and words matched, ordered on demand. */
export class RankedResults implements Results, Rankable {
  private compare: Compare | undefined

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
    return this.matches.date(at)
  }

  top (count: number): Found[] {
    return this.topWhere(count).map(({ found }) => found)
  }

  someHolds (words: number): boolean {
    return this.wordsMatched.some(count => count === words)
  }

  countHolding (words: number): number {
    let count = 0
    for (const held of this.wordsMatched) if (held >= words) count += 1
    return count
  }

  allFields (words = 0): HotStoredFields[] {
    const fields: HotStoredFields[] = []
    for (let at = 0; at < this.length; at += 1) {
      if ((this.wordsMatched[at] as number) >= words) fields.push(this.matches.hotFields(at))
    }
    return fields
  }

  topWhere (count: number, keep?: (at: number) => boolean): Array<{ found: Found, at: number }> {
    return runAtOnce(this.selectingTop(count, keep))
  }

  * selectingTop (count: number, keep?: (at: number) => boolean): Generator<void, Array<{ found: Found, at: number }>, undefined> {
    return (yield * rankingTop(this, count, this.order, keep)).map(at => ({ found: this.found(at), at }))
  }

  ranksBefore (a: number, b: number): boolean {
    this.compare ??= rankComparator(this, this.order)
    return this.compare(a, b) < 0
  }

  idAt (at: number): string {
    return this.matches.id(at) as string
  }

  shortIdAt (at: number): number {
    return this.matches.shortId(at)
  }

  get shortIds (): Int32Array | undefined {
    return this.matches.arrays?.shortIds
  }

  private found (at: number): Found {
    const matches = this.matches
    let result: SearchResult | undefined
    let fields: StoredFields | undefined
    const date = matches.date(at)
    return {
      id: matches.id(at) as string,
      shortId: matches.shortId(at),
      get result () { return (result ??= matches.result(at)) },
      // Read when first used: a title and a url are read from the index file, and a phrase
      // check orders every candidate to read the fields of the few it gets to.
      get fields () { return (fields ??= matches.fields(at)) },
      score: this.scores[at] as number,
      ...(date === undefined ? {} : { date }),
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

  countHolding (words: number): number {
    let count = 0
    for (const found of this.list) if (found.wordsMatched >= words) count += 1
    return count
  }

  allFields (words = 0): HotStoredFields[] {
    return this.list.filter(found => found.wordsMatched >= words).map(found => found.fields)
  }

  // Listed in order already: the first `count` kept are found at once, with nothing to yield between.
  * selectingTop (count: number, keep?: (at: number) => boolean): Generator<void, Array<{ found: Found, at: number }>, undefined> {
    return this.topWhere(count, keep)
  }

  topWhere (count: number, keep?: (at: number) => boolean): Array<{ found: Found, at: number }> {
    const best: Array<{ found: Found, at: number }> = []
    for (let at = 0; at < this.list.length && best.length < count; at += 1) {
      if (keep === undefined || keep(at)) best.push({ found: this.list[at] as Found, at })
    }
    return best
  }

  ranksBefore (a: number, b: number): boolean {
    return a < b
  }

  idAt (at: number): string {
    return (this.list[at] as Found).id
  }

  shortIdAt (at: number): number {
    return (this.list[at] as Found).shortId
  }
}
