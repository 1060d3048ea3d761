/**
 * The postings of an index being built, held in a few flat typed arrays until they are
 * encoded: rt has 3.4 M (term, field, document) postings in ~400 k lists, and an ordinary
 * pair of growing arrays per list kept the build's main thread busy allocating and
 * collecting garbage. Here a posting is appended to one sequence as it arrives; `encode`
 * groups the sequence by list with a counting sort (arrival order kept within a list).
 *
 * The sequence holds at most `maxPostingsInMemory` postings (12 bytes each): when full, it
 * is grouped the same way and packed into a run (varints, a few bytes a posting), and
 * starts again. At 800,000 documents a build has about 250 million postings: held whole,
 * the sequence, its doubling and the grouped copy were several GB of the build's peak.
 * `encode` then merges the runs term by term; a run holds later documents than the runs
 * before it, so a list is its pieces from each run in order. A build keeps its runs in a
 * scratch file (`spilledRuns`), read back through a window per run as the merge goes: held in
 * memory, they were 1.5 GB of an 800,000-document build's peak.
 *
 * Terms are numbered in the order of their first posting, which is the dictionary order;
 * a term's fields are listed in the order each was first met, as MiniSearch's `add` does.
 */
import { ByteReader, ByteWriter } from './byte-codec.js'
import { MemoryBytes, type ByteSource } from './byte-source.js'
import type { SpillFile } from './spill-file.js'
import type { FieldPostingLists } from './term-data.js'

const NONE = -1

/** Postings held unpacked before they are packed into a run: 96 MB of sequence, 64 MB more while it is grouped. */
export const MAX_POSTINGS_IN_MEMORY = 8 << 20

export class PostingTable {
  private numbered = 0
  /** Per term and field (term-major): its list in the sequence, or NONE. */
  private listOfField: Int32Array
  /** Per term: its lists in the sequence in the order they were opened (fieldsPerTerm slots each). */
  private listsInOrder: Int32Array
  private listsOpened: Uint8Array
  /** Per term: its field ids in the order first met in the whole build (fieldsPerTerm slots each), and how many. */
  private fieldsMet: Uint8Array
  private fieldsMetCount: Uint8Array
  private listCount = 0
  private listField = new Uint8Array(1 << 12)
  private listSize = new Uint32Array(1 << 12)
  /** The postings in arrival order, three numbers each: list, document, frequency. */
  private postings = new Uint32Array(3 << 16)
  private postingCount = 0
  /** A term's part of a run while it is packed (see `packRun`). */
  private readonly runRecord = new ByteWriter()

  /** `runs`: where the postings packed so far are kept, oldest first (see `packRun`). */
  constructor (private readonly fieldsPerTerm: number, private readonly maxPostingsInMemory = MAX_POSTINGS_IN_MEMORY, private readonly runs: RunStore = memoryRuns()) {
    if (fieldsPerTerm > 255) throw new Error('too many fields')
    if (maxPostingsInMemory < 1) throw new Error('a posting table must hold at least one posting')
    this.listOfField = new Int32Array((1 << 12) * fieldsPerTerm).fill(NONE)
    this.listsInOrder = new Int32Array((1 << 12) * fieldsPerTerm)
    this.listsOpened = new Uint8Array(1 << 12)
    this.fieldsMet = new Uint8Array((1 << 12) * fieldsPerTerm)
    this.fieldsMetCount = new Uint8Array(1 << 12)
  }

  /** About how many bytes `encode` writes (encodePostingLists' varints): the runs' size and a guess for the rest, so the writer need not double. */
  get encodedBytesEstimate (): number {
    return this.postingCount * 3 + this.runs.bytes
  }

  /** Terms numbered so far. */
  get termCount (): number {
    return this.numbered
  }

  /** Numbers a new term (the caller numbers each term once, in dictionary order). */
  addTerm (): number {
    const term = this.numbered++
    if (term >= this.listsOpened.length) {
      const size = this.listsOpened.length * 2
      this.listOfField = grown(this.listOfField, size * this.fieldsPerTerm, NONE)
      this.listsInOrder = grown(this.listsInOrder, size * this.fieldsPerTerm)
      this.listsOpened = grown(this.listsOpened, size)
      this.fieldsMet = grown(this.fieldsMet, size * this.fieldsPerTerm)
      this.fieldsMetCount = grown(this.fieldsMetCount, size)
    }
    return term
  }

  add (term: number, fieldId: number, document: number, frequency: number): void {
    if (this.postingCount === this.maxPostingsInMemory) this.packRun()
    const key = term * this.fieldsPerTerm + fieldId
    let list = this.listOfField[key] as number
    if (list === NONE) list = this.openList(term, fieldId, key)
    this.listSize[list] = (this.listSize[list] as number) + 1
    const at = this.postingCount++ * 3
    if (at + 3 > this.postings.length) this.postings = grown(this.postings, Math.min(this.postings.length * 2, this.maxPostingsInMemory * 3))
    const postings = this.postings
    postings[at] = list
    postings[at + 1] = document
    postings[at + 2] = frequency
  }

  /**
   * Hands each term's postings, in term order, to `write` (fields in the order first met);
   * the lists passed are reused between calls. The table is emptied.
   */
  encode (write: (fields: readonly FieldPostingLists[]) => void): void {
    if (this.runs.count > 0) {
      this.packRun()
      this.mergeRuns(write)
    } else {
      this.encodeSequence(write)
    }
    this.clear()
  }

  /** `encode` while every posting is still in the sequence. */
  private encodeSequence (write: (fields: readonly FieldPostingLists[]) => void): void {
    const { documents, frequencies, starts } = this.grouped()
    const scratch = this.scratchFields()
    const fields: FieldPostingLists[] = []
    for (let term = 0; term < this.numbered; term += 1) {
      fields.length = 0
      const opened = this.listsOpened[term] as number
      for (let k = 0; k < opened; k += 1) {
        const list = this.listsInOrder[term * this.fieldsPerTerm + k] as number
        const field = scratch[k] as FieldPostingLists
        field.fieldId = this.listField[list] as number
        field.documents.length = 0
        field.frequencies.length = 0
        for (let at = starts[list] as number, end = starts[list + 1] as number; at < end; at += 1) {
          field.documents.push(documents[at] as number)
          field.frequencies.push(frequencies[at] as number)
        }
        fields.push(field)
      }
      write(fields)
    }
  }

  /**
   * Packs the sequence into a run and empties it. A run lists, for each term with postings
   * in it (ascending), the term's number less the previous one's and the byte length of the
   * rest of its record: its lists' count, and per list its field id, its length, the
   * documents as zigzag differences and the frequencies. All varints; the record's length lets
   * a reader hold no more of a run than the record it reads.
   */
  private packRun (): void {
    const { documents, frequencies, starts } = this.grouped()
    const run = new ByteWriter(Math.max(1 << 16, this.postingCount * 4))
    const record = this.runRecord
    let previousTerm = 0
    for (let term = 0; term < this.numbered; term += 1) {
      const opened = this.listsOpened[term] as number
      if (opened === 0) continue
      run.uint(term - previousTerm)
      previousTerm = term
      record.reset()
      record.uint(opened)
      for (let k = 0; k < opened; k += 1) {
        const list = this.listsInOrder[term * this.fieldsPerTerm + k] as number
        const start = starts[list] as number
        const end = starts[list + 1] as number
        record.uint(this.listField[list] as number)
        record.uint(end - start)
        let previous = 0
        for (let at = start; at < end; at += 1) {
          const document = documents[at] as number
          record.uint(zigzag(document - previous))
          previous = document
        }
        for (let at = start; at < end; at += 1) record.uint(frequencies[at] as number)
      }
      run.uint(record.length)
      run.raw(record.view())
    }
    this.runs.append(run.view())
    this.listOfField.fill(NONE)
    this.listsOpened.fill(0)
    this.listCount = 0
    this.postingCount = 0
  }

  /** `encode` from the runs: each term's lists gathered from every run that has it, in run order. */
  private mergeRuns (write: (fields: readonly FieldPostingLists[]) => void): void {
    const readers = this.runs.kept().map(run => new RunReader(run))
    const scratch = this.scratchFields()
    const fields: FieldPostingLists[] = []
    for (let term = 0; term < this.numbered; term += 1) {
      fields.length = 0
      const met = this.fieldsMetCount[term] as number
      for (let k = 0; k < met; k += 1) {
        const field = scratch[k] as FieldPostingLists
        field.fieldId = this.fieldsMet[term * this.fieldsPerTerm + k] as number
        field.documents.length = 0
        field.frequencies.length = 0
        fields.push(field)
      }
      for (const reader of readers) reader.readTerm(term, fields)
      write(fields)
    }
    for (const reader of readers) reader.expectEnd()
    this.runs.clear()
  }

  private scratchFields (): FieldPostingLists[] {
    return Array.from({ length: this.fieldsPerTerm }, () => ({ fieldId: 0, documents: [], frequencies: [] }))
  }

  /** The postings grouped by list (counting sort): list l's are at starts[l] … starts[l + 1]. */
  private grouped (): { documents: Uint32Array, frequencies: Uint32Array, starts: Uint32Array } {
    const starts = new Uint32Array(this.listCount + 1)
    for (let list = 0; list < this.listCount; list += 1) starts[list + 1] = (starts[list] as number) + (this.listSize[list] as number)
    const next = starts.slice(0, this.listCount)
    const documents = new Uint32Array(this.postingCount)
    const frequencies = new Uint32Array(this.postingCount)
    const postings = this.postings
    for (let at = 0, end = this.postingCount * 3; at < end; at += 3) {
      const list = postings[at] as number
      const to = next[list] as number
      next[list] = to + 1
      documents[to] = postings[at + 1] as number
      frequencies[to] = postings[at + 2] as number
    }
    return { documents, frequencies, starts }
  }

  private openList (term: number, fieldId: number, key: number): number {
    if (fieldId >= this.fieldsPerTerm) throw new Error(`field ${fieldId} out of range`)
    const list = this.listCount++
    if (list >= this.listField.length) {
      this.listField = grown(this.listField, list * 2)
      this.listSize = grown(this.listSize, list * 2)
    }
    this.listField[list] = fieldId
    this.listSize[list] = 0
    this.listOfField[key] = list
    const opened = this.listsOpened[term] as number
    this.listsInOrder[term * this.fieldsPerTerm + opened] = list
    this.listsOpened[term] = opened + 1
    this.noteField(term, fieldId)
    return list
  }

  /** Adds `fieldId` to the term's fields in the order first met, unless an earlier run met it. */
  private noteField (term: number, fieldId: number): void {
    const first = term * this.fieldsPerTerm
    const met = this.fieldsMetCount[term] as number
    for (let k = 0; k < met; k += 1) if (this.fieldsMet[first + k] === fieldId) return
    this.fieldsMet[first + met] = fieldId
    this.fieldsMetCount[term] = met + 1
  }

  private clear (): void {
    this.numbered = 0
    this.listCount = 0
    this.postingCount = 0
    this.listOfField = new Int32Array(0)
    this.listsInOrder = new Int32Array(0)
    this.listsOpened = new Uint8Array(0)
    this.fieldsMet = new Uint8Array(0)
    this.fieldsMetCount = new Uint8Array(0)
    this.listField = new Uint8Array(0)
    this.listSize = new Uint32Array(0)
    this.postings = new Uint32Array(0)
    this.runs.clear()
  }
}

/** A packed run: its bytes `start` … `end` of `source`. */
export interface RunBytes {
  source: ByteSource
  start: number
  end: number
}

/** Where a posting table keeps its packed runs until `encode` merges them. */
export interface RunStore {
  /** Keeps a run (copied: the caller reuses its bytes). */
  append: (run: Uint8Array) => void
  /** The runs kept, oldest first. */
  kept: () => RunBytes[]
  /** How many runs, and their bytes. */
  readonly count: number
  readonly bytes: number
  clear: () => void
}

/** Runs held in memory: for small indexes and tests. */
export function memoryRuns (): RunStore {
  let runs: Buffer[] = []
  let bytes = 0
  return {
    append: run => { runs.push(Buffer.from(run)); bytes += run.length },
    kept: () => runs.map(run => ({ source: new MemoryBytes(run), start: 0, end: run.length })),
    get count () { return runs.length },
    get bytes () { return bytes },
    clear: () => { runs = []; bytes = 0 }
  }
}

/** Runs appended to a scratch file (spill-file.ts), read back by position; the file is the caller's to remove. */
export function spilledRuns (file: SpillFile): RunStore {
  let starts: number[] = []
  return {
    append: run => { starts.push(file.append(run)) },
    kept: () => {
      const source = file.read()
      return starts.map((start, at) => ({ source, start, end: starts[at + 1] ?? file.length }))
    },
    get count () { return starts.length },
    get bytes () { return file.length },
    clear: () => { starts = [] }
  }
}

/** A run is read through a window of at least this many bytes (a record larger than it, at once). */
const RUN_WINDOW_BYTES = 1 << 20
/** A term's number difference and record length: two varints. */
const RECORD_HEADER_MAX_BYTES = 20

/** Reads a run (see `packRun`) term by term, in ascending term order, a window of it at a time. */
class RunReader {
  private window: Buffer = Buffer.alloc(0)
  private windowStart = 0
  private position: number
  /** The next term the run has postings of; Infinity at its end. */
  private nextTerm: number
  /** The next term's record length. */
  private recordBytes = 0

  constructor (private readonly run: RunBytes) {
    this.position = run.start
    this.nextTerm = this.readHeader(0)
  }

  /** Appends the run's postings of `term`, if any, to the lists of `fields` (one per field it may have). */
  readTerm (term: number, fields: readonly FieldPostingLists[]): void {
    if (this.nextTerm !== term) {
      if (this.nextTerm < term) throw new Error('a posting run out of order')
      return
    }
    const reader = this.readerOf(this.recordBytes)
    for (let lists = reader.uint(); lists > 0; lists -= 1) {
      const fieldId = reader.uint()
      const field = fields.find(candidate => candidate.fieldId === fieldId)
      if (field === undefined) throw new Error(`a posting run lists field ${fieldId}, which its term never met`)
      const count = reader.uint()
      let document = 0
      for (let i = 0; i < count; i += 1) {
        document += unzigzag(reader.uint())
        field.documents.push(document)
      }
      for (let i = 0; i < count; i += 1) field.frequencies.push(reader.uint())
    }
    if (!reader.done) throw new Error('a posting run\'s record is longer than its lists')
    this.position += this.recordBytes
    this.nextTerm = this.readHeader(term)
  }

  expectEnd (): void {
    if (this.nextTerm !== Infinity) throw new Error('a posting run holds terms past the last one')
  }

  /** The next record's term (after `term`) and length; Infinity at the run's end. */
  private readHeader (term: number): number {
    if (this.position >= this.run.end) return Infinity
    const reader = this.readerOf(Math.min(RECORD_HEADER_MAX_BYTES, this.run.end - this.position))
    const from = reader.position
    const next = term + reader.uint()
    this.recordBytes = reader.uint()
    this.position += reader.position - from
    return next
  }

  /** A reader of the `length` bytes at the position, the window moved to hold them. */
  private readerOf (length: number): ByteReader {
    const end = this.position + length
    if (end > this.run.end) throw new Error('a posting run ends inside a record')
    if (this.position < this.windowStart || end > this.windowStart + this.window.length) {
      const size = Math.min(Math.max(length, RUN_WINDOW_BYTES), this.run.end - this.position)
      this.window = this.run.source.bytesAt(this.position, size)
      this.windowStart = this.position
    }
    const offset = this.position - this.windowStart
    return new ByteReader(this.window, offset, offset + length)
  }
}

type TypedArray = Int32Array | Uint32Array | Uint8Array

/** A copy of `array` with room for `size` elements (at least its own), new ones set to `fill`. */
export function grown<A extends TypedArray> (array: A, size: number, fill = 0): A {
  const copy = new (array.constructor as new (length: number) => A)(Math.max(array.length, size))
  if (fill !== 0) copy.fill(fill, array.length)
  copy.set(array)
  return copy
}

function zigzag (value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1
}

function unzigzag (value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2
}
