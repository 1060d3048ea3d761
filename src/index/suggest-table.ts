/**
 * The suggestion table (suggest.bin): the word forms of a build as people wrote them, and
 * its frequent adjacent word pairs, for `/suggest` (search/suggest.ts).
 *
 * The index holds analysed terms (lemmas, stems), not what was written: completing from it
 * offered stems («скрипк»), impossible forms («мирам»), names in lower case without ё, and a
 * word family's document count beside every one of its forms. So a build also counts, on
 * its main thread, every raw token of every title and body (case and ё kept):
 *
 * - a form is a token folded as the analyzer folds it (lower case, ё as е: `normalize`); it
 *   is shown as its most frequent spelling in the middle of a sentence (sentence-initial
 *   capitals would make «Сегодня» of «сегодня»), and counted in documents and in headlines;
 * - a pair is two forms next to each other, with nothing but blank space between them
 *   («Павел Дуров», «чемпионат мира»), counted likewise.
 *
 * Bounded: forms seen in fewer than `minDocuments` documents are dropped unless a headline
 * holds them, pairs seen in fewer are dropped, and a form keeps at most `pairsPerForm` pairs
 * (its most frequent); pairs are counted in headlines and openings only (`pairChars`). While
 * counting, a large build keeps its pairs in memory up to `MAX_PAIRS_IN_MEMORY` and writes them
 * out beyond that (`PairSpill`): most pairs are seen once, and at 800,000 Lenta-shaped
 * documents their table was 1.4 GB. Word families are not stored:
 * the analyzer finds a form's terms when it is a candidate (analysis is cached).
 *
 * A live change (PUT, PATCH, DELETE) does not update the table: it stays the build's until the
 * next build (documented in docs/SUGGESTIONS.md).
 *
 * Layout, varints and length-prefixed UTF-8 (byte-codec.ts):
 *
 *   "POISKSG\n", forms n, pairs m
 *   n × form, sorted by folded spelling: folded, shown (empty when equal to folded), documents, headlines
 *   m × pair, sorted by first form, then documents (most first): first-form gap, second form, documents, headlines
 */
import { readFile } from 'node:fs/promises'
import { normalize } from '../analysis/normalize.js'
import { scanTokens } from '../analysis/scan-tokens.js'
import { grown, TokenTable } from '../analysis/token-table.js'
import { join } from 'node:path'
import { ByteReader, ByteWriter } from './byte-codec.js'
import { writeDigestedFile, type FileDigest } from './durable-fs.js'
import { lowerBound } from './lower-bound.js'
import { SpillFile } from './spill-file.js'

export const SUGGEST_FILE = 'suggest.bin'
const MAGIC = Buffer.from('POISKSG\n', 'latin1')

export interface SuggestTableOptions {
  /** Forms and pairs found in fewer documents are not kept. */
  minDocuments: number
  /** Pairs kept per first form, the most frequent. */
  pairsPerForm: number
  /**
   * Pairs are counted in the headline and this many opening characters of the body: the
   * phrases people search for (names, events) are named there, and counting every pair of
   * every body took a build of rt 4 more CPU seconds than all its forms.
   */
  pairChars: number
}

export const defaultSuggestTableOptions: SuggestTableOptions = { minDocuments: 2, pairsPerForm: 100, pairChars: 1000 }

const NOT_A_WORD = -1
/** Folded ids fit in 22 bits, so a pair key (first × 2²² + second) is an exact double. */
const PAIR_SHIFT = 2 ** 22
const LETTER = /\p{L}/u

/** Distinct pairs counted in memory at most, given a scratch folder (`PairSpill`): a table of about 80 MB. */
export const MAX_PAIRS_IN_MEMORY = 1 << 21
/** Pairs written out are counted again this many parts at a time, by their first form. */
const PAIR_PARTITIONS = 16

/** Where a collector may write its pairs out: a build's temporary folder, and (for tests) how many it holds first. */
export interface PairScratch {
  dir: string
  maxPairsInMemory?: number
}

/**
 * Counts forms and pairs document by document (a build's main thread). Raw tokens are found
 * by their characters (token-table.ts), so a repeated token costs no string.
 */
export class SuggestCollector {
  /** Raw tokens by their characters; their strings are made only for the spellings the table shows. */
  private readonly tokens = new TokenTable(1 << 14)
  private raws = 0
  // Per raw token: its folded form, occurrences mid-sentence and in all.
  private rawFolded = new Int32Array(1 << 14)
  private rawMiddle = new Uint32Array(1 << 14)
  private rawAll = new Uint32Array(1 << 14)
  /**
   * Folded forms by their characters, numbered as first met. Neither kind of token is held as a
   * string while counting: at 800,000 Lenta-shaped documents the strings and the Map of forms
   * were most of the suggestion worker's heap.
   */
  private readonly forms = new TokenTable(1 << 14)
  private formCount = 0
  // Per folded form: documents, headlines, and the last document and headline counted.
  private formDocuments = new Uint32Array(1 << 14)
  private formHeadlines = new Uint32Array(1 << 14)
  private formLastDocument = new Int32Array(1 << 14).fill(-1)
  private formLastHeadline = new Int32Array(1 << 14).fill(-1)
  private pairs = new PairCounter()
  /** Made when pairs are first written out: a build whose pairs fit in memory writes no file. */
  private spill: PairSpill | undefined
  private document = -1

  /** `scratch`: where to write pairs out once more than `maxPairsInMemory` are counted; all in memory without it. */
  constructor (private readonly options: SuggestTableOptions = defaultSuggestTableOptions, private readonly scratch?: PairScratch) {}

  /** A document's headline and text (its body). */
  addDocument (title: string, body: string): void {
    // Between documents: a document's pairs are then all in one table, and its document counts exact.
    if (this.scratch !== undefined && this.pairs.size >= (this.scratch.maxPairsInMemory ?? MAX_PAIRS_IN_MEMORY)) {
      this.spill ??= new PairSpill(this.scratch.dir)
      this.spill.write(this.pairs)
      this.pairs = new PairCounter()
    }
    this.document += 1
    this.addText(title, true, title.length)
    this.addText(body, false, this.options.pairChars)
  }

  private addText (text: string, headline: boolean, pairsUntil: number): void {
    let previous = NOT_A_WORD
    let previousEnd = 0
    scanTokens(text, (start, end) => {
      const raw = this.tokens.numberOf(text, start, end)
      // Cut out only to be folded: the table keeps the token's characters, not this string.
      if (raw === this.raws) this.addRaw(text.slice(start, end))
      const form = this.rawFolded[raw] as number
      if (form === NOT_A_WORD) {
        previous = NOT_A_WORD
        return
      }
      this.rawAll[raw] = (this.rawAll[raw] as number) + 1
      if (!startsSentence(text, start)) this.rawMiddle[raw] = (this.rawMiddle[raw] as number) + 1
      this.countForm(form, headline)
      if (previous !== NOT_A_WORD && end <= pairsUntil && onlyBlankBetween(text, previousEnd, start)) this.pairs.count(previous * PAIR_SHIFT + form, this.document, headline)
      previous = form
      previousEnd = end
    })
  }

  private addRaw (raw: string): void {
    const number = this.raws++
    if (number >= this.rawFolded.length) {
      this.rawFolded = grown(this.rawFolded, number + 1)
      this.rawMiddle = grown(this.rawMiddle, number + 1)
      this.rawAll = grown(this.rawAll, number + 1)
    }
    this.rawFolded[number] = LETTER.test(raw) ? this.foldedIdOf(normalize(raw)) : NOT_A_WORD
  }

  private foldedIdOf (folded: string): number {
    const id = this.forms.numberOf(folded, 0, folded.length)
    if (id >= PAIR_SHIFT) return NOT_A_WORD
    if (id < this.formCount) return id
    this.formCount += 1
    if (id >= this.formDocuments.length) {
      const size = this.formDocuments.length * 2
      this.formDocuments = grown(this.formDocuments, size)
      this.formHeadlines = grown(this.formHeadlines, size)
      const lastDocument = new Int32Array(size).fill(-1)
      lastDocument.set(this.formLastDocument)
      this.formLastDocument = lastDocument
      const lastHeadline = new Int32Array(size).fill(-1)
      lastHeadline.set(this.formLastHeadline)
      this.formLastHeadline = lastHeadline
    }
    return id
  }

  private countForm (form: number, headline: boolean): void {
    if (this.formLastDocument[form] !== this.document) {
      this.formLastDocument[form] = this.document
      this.formDocuments[form] = (this.formDocuments[form] as number) + 1
    }
    if (headline && this.formLastHeadline[form] !== this.document) {
      this.formLastHeadline[form] = this.document
      this.formHeadlines[form] = (this.formHeadlines[form] as number) + 1
    }
  }

  /** The table's bytes (see the layout above): a view of a buffer of its own, which may be larger. */
  encode (): Buffer {
    const { minDocuments, pairsPerForm } = this.options
    const { kept, folded } = this.keptForms()
    const position = new Int32Array(this.formCount).fill(-1)
    kept.forEach((form, at) => { position[form] = at })
    const parts = this.spill === undefined ? [this.pairs] : this.spill.parts(this.pairs)
    const pairs = limitedPairs(parts, minDocuments, pairsPerForm, position, kept.length)
    const best = this.bestSpellings()
    const writer = new ByteWriter(1 << 20)
    writer.raw(MAGIC)
    writer.uint(kept.length)
    writer.uint(pairs.length)
    kept.forEach((form, at) => {
      const spelling = folded[at] as string
      const raw = best[form] as number
      const shown = raw === -1 ? spelling : this.tokens.textOf(raw).normalize('NFC')
      writer.string(spelling)
      writer.string(shown === spelling ? '' : shown)
      writer.uint(this.formDocuments[form] as number)
      writer.uint(this.formHeadlines[form] as number)
    })
    let first = 0
    for (let pair = 0; pair < pairs.length; pair += 1) {
      writer.uint(pairs.first[pair] as number - first)
      first = pairs.first[pair] as number
      writer.uint(pairs.second[pair] as number)
      writer.uint(pairs.documents[pair] as number)
      writer.uint(pairs.headlines[pair] as number)
    }
    // Not copied: at 800,000 documents the table is 77 MB, and its copies were held at the worker's peak.
    return writer.view()
  }

  /** The forms the table keeps, sorted by folded spelling, with those spellings. A headline's words are kept however rare: they are what people look for. */
  private keptForms (): { kept: number[], folded: string[] } {
    const forms: number[] = []
    for (let form = 0; form < this.formCount; form += 1) {
      if ((this.formDocuments[form] as number) >= this.options.minDocuments || (this.formHeadlines[form] as number) > 0) forms.push(form)
    }
    const spellings = forms.map(form => this.forms.textOf(form))
    const order = forms.map((_, at) => at).sort((a, b) => compare(spellings[a] as string, spellings[b] as string))
    return { kept: order.map(at => forms[at] as number), folded: order.map(at => spellings[at] as string) }
  }

  /** Per folded form: its raw token most used mid-sentence (in all positions when never there), or -1. */
  private bestSpellings (): Int32Array {
    const best = new Int32Array(this.formCount).fill(-1)
    for (let raw = 0; raw < this.raws; raw += 1) {
      const form = this.rawFolded[raw] as number
      if (form === NOT_A_WORD) continue
      const held = best[form] as number
      if (held === -1 || this.morePlausible(raw, held)) best[form] = raw
    }
    return best
  }

  private morePlausible (raw: number, than: number): boolean {
    const middle = (this.rawMiddle[raw] as number) - (this.rawMiddle[than] as number)
    if (middle !== 0) return middle > 0
    return (this.rawAll[raw] as number) > (this.rawAll[than] as number)
  }
}

/**
 * The pairs the table keeps, in its order: per part (a part holds every pair of its first
 * forms), those found in `minDocuments` or more between kept forms, renumbered by `position`,
 * the `pairsPerForm` most frequent of each first form; then all of them by first form, each
 * form's in that order. In typed arrays: an object per pair was most of the suggestion
 * worker's peak at its end.
 */
function limitedPairs (parts: Iterable<PairCounter>, minDocuments: number, pairsPerForm: number, position: Int32Array, formCount: number): PairList {
  const limited = new PairList()
  for (const part of parts) {
    const found = part.entries(minDocuments, position)
    const order = Array.from({ length: found.length }, (_, at) => at).sort((a, b) => found.compare(a, b))
    let first = -1
    let taken = 0
    for (const at of order) {
      if (found.first[at] !== first) {
        first = found.first[at] as number
        taken = 0
      }
      if (taken < pairsPerForm) limited.pushFrom(found, at)
      taken += 1
    }
  }
  return limited.byFirst(formCount)
}

/** Pairs with their counts, in growing typed arrays. */
class PairList {
  first = new Uint32Array(1 << 12)
  second = new Uint32Array(1 << 12)
  documents = new Uint32Array(1 << 12)
  headlines = new Uint32Array(1 << 12)
  length = 0

  push (first: number, second: number, documents: number, headlines: number): void {
    if (this.length === this.first.length) {
      this.first = grown(this.first, this.length * 2)
      this.second = grown(this.second, this.length * 2)
      this.documents = grown(this.documents, this.length * 2)
      this.headlines = grown(this.headlines, this.length * 2)
    }
    const at = this.length++
    this.first[at] = first
    this.second[at] = second
    this.documents[at] = documents
    this.headlines[at] = headlines
  }

  pushFrom (list: PairList, at: number): void {
    this.push(list.first[at] as number, list.second[at] as number, list.documents[at] as number, list.headlines[at] as number)
  }

  /** The table's order: by first form, then most documents, most headlines, second form. */
  compare (a: number, b: number): number {
    return (this.first[a] as number) - (this.first[b] as number) ||
      (this.documents[b] as number) - (this.documents[a] as number) ||
      (this.headlines[b] as number) - (this.headlines[a] as number) ||
      (this.second[a] as number) - (this.second[b] as number)
  }

  /** The pairs by first form (below `formCount`), keeping their order within each: a stable counting sort. */
  byFirst (formCount: number): PairList {
    const starts = new Uint32Array(formCount + 1)
    for (let at = 0; at < this.length; at += 1) {
      const next = (this.first[at] as number) + 1
      starts[next] = (starts[next] as number) + 1
    }
    for (let form = 0; form < formCount; form += 1) starts[form + 1] = (starts[form + 1] as number) + (starts[form] as number)
    const sorted = new PairList()
    sorted.first = new Uint32Array(this.length)
    sorted.second = new Uint32Array(this.length)
    sorted.documents = new Uint32Array(this.length)
    sorted.headlines = new Uint32Array(this.length)
    sorted.length = this.length
    for (let at = 0; at < this.length; at += 1) {
      const to = starts[this.first[at] as number] as number
      starts[this.first[at] as number] = to + 1
      sorted.first[to] = this.first[at] as number
      sorted.second[to] = this.second[at] as number
      sorted.documents[to] = this.documents[at] as number
      sorted.headlines[to] = this.headlines[at] as number
    }
    return sorted
  }
}

/** Adjacent form pairs by numeric key, in flat open-addressing arrays (millions of pairs, no Map entries). */
class PairCounter {
  private keys = new Float64Array(1 << 16).fill(-1)
  private documents = new Uint32Array(1 << 16)
  private headlines = new Uint32Array(1 << 16)
  private lastDocument = new Int32Array(1 << 16)
  private bits = 16
  private distinct = 0

  /** Distinct pairs counted. */
  get size (): number {
    return this.distinct
  }

  /**
   * Counts a pair met in `document`, in its headline or not. A document's headline is
   * counted before its body, so the pair's first meeting in the document is the one that
   * decides whether the headline holds it.
   */
  count (key: number, document: number, headline: boolean): void {
    const slot = this.slotFor(key)
    if (this.lastDocument[slot] === document) return
    this.lastDocument[slot] = document
    this.documents[slot] = (this.documents[slot] as number) + 1
    if (headline) this.headlines[slot] = (this.headlines[slot] as number) + 1
  }

  /** Adds counts made elsewhere (another table of the same build's pairs, written out). */
  add (key: number, documents: number, headlines: number): void {
    const slot = this.slotFor(key)
    this.documents[slot] = (this.documents[slot] as number) + documents
    this.headlines[slot] = (this.headlines[slot] as number) + headlines
  }

  forEach (visit: (key: number, documents: number, headlines: number) => void): void {
    for (let slot = 0; slot < this.keys.length; slot += 1) {
      const key = this.keys[slot] as number
      if (key !== -1) visit(key, this.documents[slot] as number, this.headlines[slot] as number)
    }
  }

  /** The key's slot, taken if it is new. */
  private slotFor (key: number): number {
    let slot = this.slotOf(key)
    if (this.keys[slot] === -1) {
      this.keys[slot] = key
      this.lastDocument[slot] = -1
      this.distinct += 1
      if (this.distinct * 2 > this.keys.length) {
        this.grow()
        slot = this.slotOf(key)
      }
    }
    return slot
  }

  /** Pairs found in `minDocuments` or more, their forms renumbered by `position` (pairs of a form it maps to -1 left out). */
  entries (minDocuments: number, position: Int32Array): PairList {
    const found = new PairList()
    for (let slot = 0; slot < this.keys.length; slot += 1) {
      const key = this.keys[slot] as number
      if (key === -1 || (this.documents[slot] as number) < minDocuments) continue
      const first = position[Math.floor(key / PAIR_SHIFT)] as number
      const second = position[key % PAIR_SHIFT] as number
      if (first === -1 || second === -1) continue
      found.push(first, second, this.documents[slot] as number, this.headlines[slot] as number)
    }
    return found
  }

  private slotOf (key: number): number {
    const mask = this.keys.length - 1
    const high = Math.floor(key / PAIR_SHIFT)
    // Fibonacci hashing: the product's top bits mix all of both halves' bits.
    let slot = Math.imul(high ^ Math.imul(key - high * PAIR_SHIFT, 0x85EBCA6B), 0x9E3779B1) >>> (32 - this.bits)
    while (this.keys[slot] !== -1 && this.keys[slot] !== key) slot = (slot + 1) & mask
    return slot
  }

  private grow (): void {
    const { keys, documents, headlines, lastDocument } = this
    const size = keys.length * 2
    this.bits += 1
    this.keys = new Float64Array(size).fill(-1)
    this.documents = new Uint32Array(size)
    this.headlines = new Uint32Array(size)
    this.lastDocument = new Int32Array(size)
    for (let old = 0; old < keys.length; old += 1) {
      const key = keys[old] as number
      if (key === -1) continue
      const slot = this.slotOf(key)
      this.keys[slot] = key
      this.documents[slot] = documents[old] as number
      this.headlines[slot] = headlines[old] as number
      this.lastDocument[slot] = lastDocument[old] as number
    }
  }
}

/**
 * A large build's pair counts, written out whenever the collector's table fills, split by
 * their first form into `PAIR_PARTITIONS` scratch files, and counted again one file at a time
 * when the table is made: exact, in the memory of one file's pairs. Exact because a table is
 * written out only between documents, so each document's pairs are counted in one table and
 * the tables' counts add up.
 */
class PairSpill {
  private readonly files: SpillFile[]
  private readonly writers: ByteWriter[]

  constructor (dir: string) {
    this.files = Array.from({ length: PAIR_PARTITIONS }, (_, part) => SpillFile.create(join(dir, `suggest-pairs-${part}.scratch`)))
    this.writers = this.files.map(() => new ByteWriter())
  }

  /** Writes out a table's counts: per pair its first form, second form, documents, headlines (varints). */
  write (pairs: PairCounter): void {
    pairs.forEach((key, documents, headlines) => {
      const first = Math.floor(key / PAIR_SHIFT)
      const part = first % PAIR_PARTITIONS
      const writer = this.writers[part] as ByteWriter
      writer.uint(first)
      writer.uint(key - first * PAIR_SHIFT)
      writer.uint(documents)
      writer.uint(headlines)
      if (writer.length >= 1 << 20) this.flush(part)
    })
  }

  /** The pairs written out and those of `rest` (the table still held), counted again one part at a time; each file is deleted once read. */
  * parts (rest: PairCounter): Generator<PairCounter> {
    this.write(rest)
    for (let part = 0; part < PAIR_PARTITIONS; part += 1) {
      this.flush(part)
      const reader = new ByteReader((this.files[part] as SpillFile).drain())
      const pairs = new PairCounter()
      while (!reader.done) {
        const key = reader.uint() * PAIR_SHIFT + reader.uint()
        pairs.add(key, reader.uint(), reader.uint())
      }
      yield pairs
    }
  }

  private flush (part: number): void {
    const writer = this.writers[part] as ByteWriter
    const file = this.files[part] as SpillFile
    file.append(writer.view())
    writer.reset()
  }
}

/** Is the token at `start` the first of a sentence (or of the text)? Opening quotes and dashes are looked past. */
function startsSentence (text: string, start: number): boolean {
  for (let at = start - 1; at >= 0; at -= 1) {
    const code = text.charCodeAt(at)
    if (isBlank(code) || OPENING.has(code)) continue
    return SENTENCE_END.has(code)
  }
  return true
}

const OPENING = new Set([...'«"„“(\'—–-'].map(char => char.charCodeAt(0)))
const SENTENCE_END = new Set([...'.!?…:;'].map(char => char.charCodeAt(0)))

/** Blank space as article texts hold it: space, no-break space, tab, line breaks. */
function isBlank (code: number): boolean {
  return code === 0x20 || code === 0xA0 || code === 0x0A || code === 0x0D || code === 0x09 || code === 0x202F || code === 0x2009
}

function onlyBlankBetween (text: string, from: number, to: number): boolean {
  if (to - from > 4) return false
  for (let at = from; at < to; at += 1) if (!isBlank(text.charCodeAt(at))) return false
  return true
}

/** Code-unit order, the order of `startsWith` ranges (not the locale's). */
function compare (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** One form of the table. */
export interface SuggestForm {
  /** Lower case, ё as е: how it is looked up. */
  folded: string
  /** As people write it: case and ё kept. */
  shown: string
  documents: number
  headlines: number
}

export interface SuggestPair {
  first: SuggestForm
  second: SuggestForm
  documents: number
  headlines: number
}

/** A loaded suggestion table: decoded on first use, then looked up by prefix and by first word. */
export class SuggestTable {
  private decoded: DecodedTable | undefined

  constructor (private readonly bytes: Buffer) {}

  static fromCollector (collector: SuggestCollector): SuggestTable {
    return new SuggestTable(collector.encode())
  }

  get byteLength (): number {
    return this.bytes.length
  }

  get formCount (): number {
    return this.table().folded.length
  }

  get pairCount (): number {
    return this.table().pairSecond.length
  }

  /** Forms starting with `prefix` (folded), at most `scanLimit` of them, in folded order. */
  formsStartingWith (prefix: string, scanLimit: number): SuggestForm[] {
    const table = this.table()
    const found: SuggestForm[] = []
    for (let at = lowerBound(table.folded, prefix); at < table.folded.length && found.length < scanLimit; at += 1) {
      if (!(table.folded[at] as string).startsWith(prefix)) break
      found.push(this.formAt(at))
    }
    return found
  }

  /**
   * The `count` forms starting with `prefix` (folded) that score highest by `score`, best
   * first; at most `scanLimit` forms of the range are looked at, so a keystroke costs a
   * bounded amount however short the prefix.
   */
  topFormsStartingWith (prefix: string, count: number, score: (documents: number, headlines: number) => number, scanLimit = 50_000): SuggestForm[] {
    const table = this.table()
    const top: Array<{ form: SuggestForm, score: number }> = []
    const end = Math.min(table.folded.length, lowerBound(table.folded, prefix) + scanLimit)
    for (let at = lowerBound(table.folded, prefix); at < end; at += 1) {
      if (!(table.folded[at] as string).startsWith(prefix)) break
      const value = score(table.documents[at] as number, table.headlines[at] as number)
      if (top.length === count && value <= (top[count - 1] as { score: number }).score) continue
      let place = top.length === count ? count - 1 : top.length
      top[place] = { form: this.formAt(at), score: value }
      for (; place > 0 && (top[place - 1] as { score: number }).score < value; place -= 1) [top[place - 1], top[place]] = [top[place], top[place - 1]] as [{ form: SuggestForm, score: number }, { form: SuggestForm, score: number }]
    }
    return top.map(entry => entry.form)
  }

  /** The form spelled `folded`, if kept. */
  form (folded: string): SuggestForm | undefined {
    const table = this.table()
    const at = lowerBound(table.folded, folded)
    return table.folded[at] === folded ? this.formAt(at) : undefined
  }

  /** Pairs whose first form is `first` and whose second starts with `secondPrefix` (both folded), most documents first. */
  pairsAfter (first: string, secondPrefix: string): SuggestPair[] {
    const table = this.table()
    const at = lowerBound(table.folded, first)
    if (table.folded[at] !== first) return []
    const found: SuggestPair[] = []
    const firstForm = this.formAt(at)
    for (let pair = table.pairStarts[at] as number; pair < (table.pairStarts[at + 1] as number); pair += 1) {
      const second = table.pairSecond[pair] as number
      if (!(table.folded[second] as string).startsWith(secondPrefix)) continue
      found.push({ first: firstForm, second: this.formAt(second), documents: table.pairDocuments[pair] as number, headlines: table.pairHeadlines[pair] as number })
    }
    return found
  }

  private formAt (at: number): SuggestForm {
    const table = this.table()
    return { folded: table.folded[at] as string, shown: table.shown[at] as string, documents: table.documents[at] as number, headlines: table.headlines[at] as number }
  }

  private table (): DecodedTable {
    this.decoded ??= decode(this.bytes)
    return this.decoded
  }
}

interface DecodedTable {
  folded: string[]
  shown: string[]
  documents: Uint32Array
  headlines: Uint32Array
  /** Per form: where its pairs start (CSR; one more entry than forms). */
  pairStarts: Uint32Array
  pairSecond: Uint32Array
  pairDocuments: Uint32Array
  pairHeadlines: Uint32Array
}

function decode (bytes: Buffer): DecodedTable {
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`${SUGGEST_FILE} is not a suggestion table`)
  const reader = new ByteReader(bytes, MAGIC.length)
  const formCount = reader.uint()
  const pairCount = reader.uint()
  if (formCount > bytes.length || pairCount > bytes.length) throw new Error(`malformed ${SUGGEST_FILE}`)
  const folded: string[] = []
  const shown: string[] = []
  const documents = new Uint32Array(formCount)
  const headlines = new Uint32Array(formCount)
  for (let form = 0; form < formCount; form += 1) {
    const spelling = reader.string()
    const written = reader.string()
    folded.push(spelling)
    shown.push(written === '' ? spelling : written)
    documents[form] = reader.uint()
    headlines[form] = reader.uint()
  }
  const pairStarts = new Uint32Array(formCount + 1)
  const pairSecond = new Uint32Array(pairCount)
  const pairDocuments = new Uint32Array(pairCount)
  const pairHeadlines = new Uint32Array(pairCount)
  let first = 0
  for (let pair = 0; pair < pairCount; pair += 1) {
    first += reader.uint()
    const second = reader.uint()
    if (first >= formCount || second >= formCount) throw new Error(`malformed ${SUGGEST_FILE}: a pair names a form it lacks`)
    pairStarts[first + 1] = (pairStarts[first + 1] as number) + 1
    pairSecond[pair] = second
    pairDocuments[pair] = reader.uint()
    pairHeadlines[pair] = reader.uint()
  }
  for (let form = 0; form < formCount; form += 1) pairStarts[form + 1] = (pairStarts[form + 1] as number) + (pairStarts[form] as number)
  if (!reader.done) throw new Error(`malformed ${SUGGEST_FILE}: bytes after the pairs`)
  return { folded, shown, documents, headlines, pairStarts, pairSecond, pairDocuments, pairHeadlines }
}

/** Writes the table's bytes as a build file; returns what the manifest lists of it. */
export async function writeSuggestFile (path: string, bytes: Buffer): Promise<FileDigest> {
  return await writeDigestedFile(path, bytes)
}

/** A build's table file, read whole (it is decoded on first use). */
export async function readSuggestFile (path: string): Promise<SuggestTable> {
  const bytes = await readFile(path)
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`${SUGGEST_FILE} is not a suggestion table`)
  return new SuggestTable(bytes)
}
