/**
 * Fills a MiniSearch index from documents whose terms are already counted (see
 * document-terms.ts): one hash lookup per (term, document, field) instead of MiniSearch's
 * radix-tree walk per word occurrence, and postings kept as flat lists, then encoded
 * (term-data.ts) rather than as a Map per term and field (posting-table.ts). The result is the index `add`
 * would have built, in the same insertion order: documents in the order given, terms
 * inserted into the dictionary in the order `add` first meets them, and the average field
 * lengths updated with the same arithmetic (floating point: the order of operations matters).
 *
 * Given a scratch folder, the builder keeps its packed posting runs and then the encoded
 * postings in files there (spill-file.ts) instead of in memory; the built index reads its
 * terms' postings from that file until the caller is done with it (`removeScratch`).
 */
import { join } from 'node:path'
import type MiniSearch from 'minisearch'
import type { Options } from 'minisearch'
import { ByteWriter } from './byte-codec.js'
import { MemoryBytes, type ByteSource } from './byte-source.js'
import { mixHash, SharedArrays } from './shared-arrays.js'
import type { AnalysedBatch } from './document-terms.js'
import { FormCollector } from './form-table.js'
import { expectInternals, miniSearchFromCore } from './minisearch-internals.js'
import { PostingTable, MAX_POSTINGS_IN_MEMORY, spilledRuns } from './posting-table.js'
import { SpillFile } from './spill-file.js'
import { writeTermTrie, type TreeOutput } from './term-tree.js'
import { TermTrie } from './term-trie.js'
import { encodePostingLists, LazyTermData } from './term-data.js'

/** Encoded postings are written to the scratch file in pieces of about this size. */
const SPILL_PIECE_BYTES = 4 << 20

export class IndexBuilder<T> {
  /**
   * `scratchDir`: where to keep the postings out of memory (a build's temporary folder); in
   * memory without it. `maxPostingsInMemory`: the posting table's budget (posting-table.ts).
   * `sharedStoredFields`: stored fields whose values repeat from document to document (a kind,
   * a source), held as one string per value.
   */
  constructor (private readonly options: Options<T>, scratchDir?: string, maxPostingsInMemory = MAX_POSTINGS_IN_MEMORY, private readonly sharedStoredFields: readonly string[] = []) {
    if (scratchDir !== undefined) {
      this.runFile = SpillFile.create(join(scratchDir, 'posting-runs.scratch'))
      this.postingFile = SpillFile.create(join(scratchDir, 'postings.scratch'))
    }
    const runs = this.runFile === undefined ? undefined : spilledRuns(this.runFile)
    this.postings = new PostingTable(options.fields.length, maxPostingsInMemory, runs)
  }

  private readonly runFile: SpillFile | undefined
  private readonly postingFile: SpillFile | undefined

  /** Every term, by its number in the dictionary order (the order `add` would insert it). */
  private dictionary: string[] = []
  /** term → its dictionary number: made only once batches come from more than one numbering (`directSpace`). */
  private terms: Map<string, number> | undefined
  /**
   * The term counter whose numbering is the dictionary's. A counter numbers terms in the order
   * `add` meets them (document-terms.ts), as the dictionary does, so while every batch goes on
   * with one counter's numbering (a build's: one counter for all its batches) a term's number
   * there is its dictionary number, and `dictionary` is that counter's terms: the builder keeps
   * no Map of every term and no second numbering (at 800,000 documents 3.5 million terms, about
   * 140 MB). Undefined once a batch comes from another counter or starts its numbering again, or
   * names a new term's first posting out of order; each batch is checked before it is added.
   */
  private directSpace: number | undefined
  private readonly postings: PostingTable
  private readonly documentIds = new Map<number, string>()
  private readonly ids = new Set<string>()
  private readonly fieldLength = new Map<number, number[]>()
  private readonly storedFields = new Map<number, Partial<T>>()
  /** Each distinct string of stored lists and shared fields, numbered (`interned`). */
  private readonly internedIds = new Map<string, number>()
  private readonly internedStrings: string[] = []
  /** Stored lists of strings, one frozen array per content (`sharedList`). */
  private sharedLists = new SharedArrays<string>()
  private readonly averageFieldLength: number[] = []
  /** Per term counter (document-terms.ts) other than `directSpace`: its term numbers' strings and dictionary numbers. */
  private readonly termSpaces = new Map<number, TermSpace>()
  private nextId = 0
  /** The forms that carried each term (form-table.ts), for snippets; complete for the documents added. */
  readonly forms = new FormCollector()

  /** Documents added so far. */
  get documentCount (): number {
    return this.nextId
  }

  /** One stored field of every document added so far, in the order added. */
  * storedValues (key: string): Generator<unknown> {
    for (const fields of this.storedFields.values()) yield (fields as Record<string, unknown>)[key]
  }

  /**
   * Adds documents with their counted terms (`batch` holds them in the same order). Only
   * ids and stored fields are kept: the documents (with their bodies) can be dropped.
   */
  addBatch (documents: readonly T[], batch: AnalysedBatch): void {
    const { fieldCount, fieldLengths, postings, ends } = batch
    if (fieldLengths.length !== documents.length * fieldCount) throw new Error('the analysed batch does not match its documents')
    // Terms resolve to their postings on first use, so the dictionary gets its terms in
    // the order `add` would meet them.
    const space = this.numberingOf(batch)
    let slot = 0
    let pair = 0
    for (const document of documents) {
      const shortId = this.addDocument(document)
      const lengths = lengthsOf(fieldLengths, slot, fieldCount)
      if (lengths !== undefined) this.fieldLength.set(shortId, lengths)
      for (let fieldId = 0; fieldId < fieldCount; fieldId += 1, slot += 1) {
        const length = fieldLengths[slot] as number
        const end = ends[slot] as number
        if (length < 0) continue
        this.addFieldLength(fieldId, shortId, length)
        for (; pair < end; pair += 1) {
          const ref = postings[pair * 2] as number
          const term = space === undefined ? this.directTerm(ref) : this.spaceTerm(space, ref)
          this.postings.add(term, fieldId, shortId, postings[pair * 2 + 1] as number)
        }
      }
    }
    this.addForms(batch, space)
  }

  /** A term of the direct numbering: its own number, given its postings' list at its first posting (met in number order, `numberingOf`). */
  private directTerm (ref: number): number {
    if (ref === this.postings.termCount) this.postings.addTerm()
    return ref
  }

  /** A term of another counter's numbering: its dictionary number, given at its first posting. */
  private spaceTerm ({ strings, numbers }: TermSpace, ref: number): number {
    let term = numbers[ref] as number
    if (term < 0) numbers[ref] = term = this.termNumber(strings[ref] as string)
    return term
  }

  /**
   * The forms of the batch's new tokens, by dictionary number: after its postings, since a
   * new token occurs in its batch, and so every term of it has its number by then.
   */
  private addForms ({ newTokenKeys, newTokenTermEnds, newTokenTerms }: AnalysedBatch, space: TermSpace | undefined): void {
    let ref = 0
    for (let token = 0; token < newTokenKeys.length; token += 1) {
      const key = newTokenKeys[token] as number
      for (const end = newTokenTermEnds[token] as number; ref < end; ref += 1) {
        const number = newTokenTerms[ref] as number
        const term = space === undefined ? (number < this.postings.termCount ? number : -1) : space.numbers[number] as number
        if (term < 0) throw new Error('a new token\'s term has no postings in its batch')
        this.forms.add(term, key)
      }
    }
  }

  /** The numbering of the batch's terms: undefined for the direct one (`directSpace`), else its counter's. */
  private numberingOf (batch: AnalysedBatch): TermSpace | undefined {
    const first = this.dictionary.length === 0 && this.terms === undefined && this.termSpaces.size === 0
    if (first && batch.firstTermId === 0) this.directSpace = batch.termSpace
    if (this.directSpace === undefined) return this.termSpaceOf(batch)
    if (batch.termSpace === this.directSpace && batch.firstTermId === this.dictionary.length && this.firstPostingsInOrder(batch)) {
      for (const term of batch.newTerms) this.dictionary.push(term)
      return undefined
    }
    this.leaveDirect()
    return this.termSpaceOf(batch)
  }

  /** Whether the batch's terms without postings yet have their first ones in number order, each numbered (`directTerm`). */
  private firstPostingsInOrder ({ postings, newTerms }: AnalysedBatch): boolean {
    const numbered = this.dictionary.length + newTerms.length
    let next = this.postings.termCount
    for (let at = 0; at < postings.length; at += 2) {
      const ref = postings[at] as number
      if (ref >= numbered || ref > next) return false
      if (ref === next) next += 1
    }
    return true
  }

  /** From here on, the direct numbering's counter is one of the others: its terms get their dictionary numbers from the Map. */
  private leaveDirect (): void {
    const space = this.directSpace as number
    const posted = this.postings.termCount
    const strings = this.dictionary
    this.dictionary = strings.slice(0, posted)
    this.terms = new Map(this.dictionary.map((term, number) => [term, number]))
    this.termSpaces.set(space, { strings, numbers: strings.map((_, ref) => ref < posted ? ref : -1) })
    this.directSpace = undefined
  }

  /** The numbering of the batch's counter, extended with the terms the batch names first. */
  private termSpaceOf (batch: AnalysedBatch): TermSpace {
    let space = this.termSpaces.get(batch.termSpace)
    if (space === undefined || batch.firstTermId === 0) this.termSpaces.set(batch.termSpace, space = { strings: [], numbers: [] })
    if (batch.firstTermId !== space.strings.length) throw new Error('analysed batches arrived out of order')
    // Grown one element at a time, so the list stays a packed array (an assignment far past
    // its end would turn it into a slow dictionary).
    for (const term of batch.newTerms) {
      space.strings.push(term)
      space.numbers.push(-1)
    }
    return space
  }

  /** The finished index, searchable; the builder must not be used afterwards. */
  build (): MiniSearch<T> {
    return this.finish().withTerms()
  }

  /**
   * The finished index, its terms not yet in MiniSearch's tree: to be written (index-file.ts)
   * without that tree being made, or put in first (`withTerms`). The builder must not be used
   * afterwards.
   */
  finish (): BuiltIndex<T> {
    const miniSearch = miniSearchFromCore<T>({
      documentCount: this.nextId,
      nextId: this.nextId,
      documentIds: this.documentIds,
      fieldLength: this.fieldLength,
      averageFieldLength: this.averageFieldLength,
      storedFields: this.storedFields,
      dirtCount: 0
    }, this.options)
    const termCount = this.postings.termCount
    const ends = new Float64Array(termCount)
    const bytes = this.encodePostings(ends)
    // Numbered, with no postings: none in a build (a new token's terms are in its batch's postings).
    const terms = this.dictionary.length === termCount ? this.dictionary : this.dictionary.slice(0, termCount)
    this.forms.setTerms(terms)
    this.dictionary = []
    this.terms = undefined
    this.ids.clear()
    this.termSpaces.clear()
    this.internedIds.clear()
    this.internedStrings.length = 0
    this.sharedLists = new SharedArrays<string>()
    return new BuiltIndex(miniSearch, terms, bytes, ends)
  }

  /** Closes and deletes the scratch files: once the built index is written (its postings are read from them until then), or abandoned. */
  async removeScratch (): Promise<void> {
    await this.runFile?.remove()
    await this.postingFile?.remove()
  }

  /** Each term's postings encoded, in dictionary order, where each ends in `ends`; into the scratch file when there is one. */
  private encodePostings (ends: Float64Array): ByteSource {
    const file = this.postingFile
    // In memory, sized for all of it at once (doubling a writer of 500 MB held both copies); to the file, in pieces.
    const writer = new ByteWriter(file === undefined ? Math.max(1 << 20, Math.ceil(this.postings.encodedBytesEstimate * 1.1)) : SPILL_PIECE_BYTES * 2)
    let at = 0
    this.postings.encode(fields => {
      encodePostingLists(writer, fields)
      ends[at++] = (file?.length ?? 0) + writer.length
      if (file !== undefined && writer.length >= SPILL_PIECE_BYTES) {
        file.append(writer.view())
        writer.reset()
      }
    })
    if (file === undefined) return new MemoryBytes(writer.view())
    file.append(writer.view())
    return file.read()
  }

  /** As MiniSearch's `saveStoredFields`: the defined store fields, in `storeFields` order. */
  private storedFieldsOf (document: T): Partial<T> {
    const stored: Record<string, unknown> = {}
    for (const name of this.options.storeFields ?? []) {
      const value = (document as Record<string, unknown>)[name]
      if (value === undefined) continue
      stored[name] = Array.isArray(value) ? this.sharedList(value) : this.sharedStoredFields.includes(name) ? this.interned(value) : value
    }
    return stored as Partial<T>
  }

  /**
   * A stored list, its strings interned, and the same frozen array for every document whose list
   * of strings is equal: documents share tag lists (a story's parts, a rubric), and an array per
   * document was 130 MB of the heap at 800,000 Lenta-shaped documents.
   */
  private sharedList (list: readonly unknown[]): unknown[] {
    if (!list.every(item => typeof item === 'string')) return list.map(item => this.interned(item))
    let hash = 0
    const items = (list as string[]).map(item => {
      const id = this.internedIdOf(item)
      hash = mixHash(hash, id)
      return this.internedStrings[id] as string
    })
    return this.sharedLists.shared(items, hash)
  }

  /**
   * One string for all equal strings of stored lists and shared fields: tags repeat across
   * documents, but each document's were parsed as strings of their own (at 100,000 Lenta-shaped
   * documents, a million strings and 40 MB of the build's heap).
   */
  private interned (item: unknown): unknown {
    return typeof item === 'string' ? this.internedStrings[this.internedIdOf(item)] : item
  }

  private internedIdOf (text: string): number {
    let id = this.internedIds.get(text)
    if (id === undefined) {
      id = this.internedStrings.push(text) - 1
      this.internedIds.set(text, id)
    }
    return id
  }

  /** As MiniSearch's `addFieldLength` does to the average (the document's lengths are set whole, `lengthsOf`). */
  private addFieldLength (fieldId: number, count: number, length: number): void {
    const average = this.averageFieldLength[fieldId] ?? 0
    this.averageFieldLength[fieldId] = (average * count + length) / (count + 1)
  }

  /** Registers a document; its short id is also the number of documents before it (MiniSearch's `_documentCount - 1`). */
  private addDocument (document: T): number {
    const id = String((document as Record<string, unknown>)[this.options.idField ?? 'id'])
    if (this.ids.has(id)) throw new Error(`duplicate document id ${id}`)
    const shortId = this.nextId
    this.nextId += 1
    this.ids.add(id)
    this.documentIds.set(shortId, id)
    this.storedFields.set(shortId, this.storedFieldsOf(document))
    return shortId
  }

  private termNumber (term: string): number {
    const terms = this.terms ??= new Map()
    let number = terms.get(term)
    if (number === undefined) {
      terms.set(term, number = this.postings.addTerm())
      this.dictionary.push(term)
    }
    return number
  }
}

/**
 * A built index and its terms (in dictionary order) with their encoded postings, kept apart
 * from MiniSearch until they are either written or put into its tree.
 */
export class BuiltIndex<T> {
  /** `ends[t]`: where term t's postings end in `postings` (they start where term t - 1's end). */
  constructor (
    /** Everything but the term tree, which is empty until `withTerms`. */
    readonly miniSearch: MiniSearch<T>,
    private readonly terms: readonly string[],
    private readonly postings: ByteSource,
    private readonly ends: Float64Array
  ) {}

  get termCount (): number {
    return this.terms.length
  }

  /**
   * Writes the term tree (term-tree.ts) as writing MiniSearch's tree of these terms would,
   * from a trie of flat arrays (term-trie.ts): the Maps of MiniSearch's tree were the largest
   * part of a large build's memory.
   */
  async writeTree (out: TreeOutput): Promise<void> {
    const trie = new TermTrie(this.terms)
    for (let term = 0; term < this.terms.length; term += 1) trie.insert(term)
    await writeTermTrie(trie, (term, writer) => this.writePostings(term, writer), out)
  }

  /** MiniSearch with every term in its tree (in dictionary order, as `add` inserts them): to be searched or changed. */
  withTerms (): MiniSearch<T> {
    const index = expectInternals(this.miniSearch).termTree
    for (let term = 0; term < this.terms.length; term += 1) {
      index.set(this.terms[term] as string, LazyTermData.fromSource(this.postings, this.startOf(term), this.ends[term] as number))
    }
    return this.miniSearch
  }

  private startOf (term: number): number {
    return term === 0 ? 0 : this.ends[term - 1] as number
  }

  /** Copies a term's encoded postings into `writer`, through the source's lent buffer: a buffer per term was 2 GB of garbage at 800,000 documents. */
  private writePostings (term: number, writer: ByteWriter): void {
    const start = this.startOf(term)
    this.postings.withBytes(start, (this.ends[term] as number) - start, bytes => writer.raw(bytes))
  }
}

/**
 * A document's field lengths as MiniSearch's `add` leaves them (an absent field a hole, the
 * array as long as its last present field, none without a field), in an array of that length: MiniSearch's `[]`,
 * assigned to, reserves 17 elements, which at 800,000 documents was 90 MB of the build's heap.
 */
function lengthsOf (fieldLengths: Int32Array, from: number, fieldCount: number): number[] | undefined {
  let count = fieldCount
  while (count > 0 && (fieldLengths[from + count - 1] as number) < 0) count -= 1
  // MiniSearch sets no lengths for a document without any field.
  if (count === 0) return undefined
  const lengths = new Array<number>(count)
  for (let field = 0; field < count; field += 1) {
    const length = fieldLengths[from + field] as number
    if (length >= 0) lengths[field] = length
  }
  return lengths
}

interface TermSpace {
  strings: string[]
  /** Dictionary number per term number, -1 until the term's first posting. */
  numbers: number[]
}
