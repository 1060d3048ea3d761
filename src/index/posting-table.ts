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
 * before it, so a list is its pieces from each run in order.
 *
 * Terms are numbered in the order of their first posting, which is the dictionary order;
 * a term's fields are listed in the order each was first met, as MiniSearch's `add` does.
 */
import { ByteReader, ByteWriter } from './byte-codec.js'
import type { FieldPostingLists } from './term-data.js'

const NONE = -1

/** Postings held unpacked before they are packed into a run: 96 MB of sequence, 64 MB more while it is grouped. */
export const MAX_POSTINGS_IN_MEMORY = 8 << 20

export class PostingTable {
  private termCount = 0
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
  /** The postings packed so far, oldest first (see `packRun`). */
  private readonly runs: Buffer[] = []

  constructor (private readonly fieldsPerTerm: number, private readonly maxPostingsInMemory = MAX_POSTINGS_IN_MEMORY) {
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
    let bytes = this.postingCount * 3
    for (const run of this.runs) bytes += run.length
    return bytes
  }

  /** Numbers a new term (the caller numbers each term once, in dictionary order). */
  addTerm (): number {
    const term = this.termCount++
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
    if (this.runs.length > 0) {
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
    for (let term = 0; term < this.termCount; term += 1) {
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
   * in it (ascending), the term's number less the previous one's, its lists' count, and per
   * list its field id, its length, the documents as zigzag differences and the frequencies:
   * all varints.
   */
  private packRun (): void {
    const { documents, frequencies, starts } = this.grouped()
    const run = new ByteWriter(Math.max(1 << 16, this.postingCount * 4))
    let previousTerm = 0
    for (let term = 0; term < this.termCount; term += 1) {
      const opened = this.listsOpened[term] as number
      if (opened === 0) continue
      run.uint(term - previousTerm)
      previousTerm = term
      run.uint(opened)
      for (let k = 0; k < opened; k += 1) {
        const list = this.listsInOrder[term * this.fieldsPerTerm + k] as number
        const start = starts[list] as number
        const end = starts[list + 1] as number
        run.uint(this.listField[list] as number)
        run.uint(end - start)
        let previous = 0
        for (let at = start; at < end; at += 1) {
          const document = documents[at] as number
          run.uint(zigzag(document - previous))
          previous = document
        }
        for (let at = start; at < end; at += 1) run.uint(frequencies[at] as number)
      }
    }
    this.runs.push(Buffer.from(run.view()))
    this.listOfField.fill(NONE)
    this.listsOpened.fill(0)
    this.listCount = 0
    this.postingCount = 0
  }

  /** `encode` from the runs: each term's lists gathered from every run that has it, in run order. */
  private mergeRuns (write: (fields: readonly FieldPostingLists[]) => void): void {
    const readers = this.runs.map(run => new RunReader(run))
    const scratch = this.scratchFields()
    const fields: FieldPostingLists[] = []
    for (let term = 0; term < this.termCount; term += 1) {
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
    this.runs.length = 0
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
    this.termCount = 0
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
    this.runs.length = 0
  }
}

/** Reads a run (see `packRun`) term by term, in ascending term order. */
class RunReader {
  private readonly reader: ByteReader
  /** The next term the run has postings of; Infinity at its end. */
  private nextTerm: number

  constructor (run: Buffer) {
    this.reader = new ByteReader(run)
    this.nextTerm = this.reader.done ? Infinity : this.reader.uint()
  }

  /** Appends the run's postings of `term`, if any, to the lists of `fields` (one per field it may have). */
  readTerm (term: number, fields: readonly FieldPostingLists[]): void {
    if (this.nextTerm !== term) {
      if (this.nextTerm < term) throw new Error('a posting run out of order')
      return
    }
    const reader = this.reader
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
    this.nextTerm = reader.done ? Infinity : term + reader.uint()
  }

  expectEnd (): void {
    if (this.nextTerm !== Infinity) throw new Error('a posting run holds terms past the last one')
  }
}

type TypedArray = Int32Array | Uint32Array | Uint8Array

/** A copy of `array` with room for `size` elements (at least its own), new ones set to `fill`. */
function grown<A extends TypedArray> (array: A, size: number, fill = 0): A {
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
