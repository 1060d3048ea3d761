/**
 * The postings of an index being built, held in a few flat typed arrays until they are
 * encoded: rt has 3.4 M (term, field, document) postings in ~400 k lists, and an ordinary
 * pair of growing arrays per list kept the build's main thread busy allocating and
 * collecting garbage. Here a posting is appended to one sequence as it arrives; `encode`
 * groups the sequence by list with a counting sort (arrival order kept within a list).
 *
 * Terms are numbered in the order of their first posting, which is the dictionary order;
 * a term's fields are listed in the order each was first met, as MiniSearch's `add` does.
 */
import type { FieldPostingLists } from './term-data.js'

const NONE = -1

export class PostingTable {
  private termCount = 0
  /** Per term and field (term-major): its list, or NONE. */
  private listOfField: Int32Array
  /** Per term: its lists in the order they were opened (fieldsPerTerm slots each). */
  private listsInOrder: Int32Array
  private listsOpened: Uint8Array
  private listCount = 0
  private listField = new Uint8Array(1 << 12)
  private listSize = new Uint32Array(1 << 12)
  /** The postings in arrival order, three numbers each: list, document, frequency. */
  private postings = new Uint32Array(3 << 16)
  private postingCount = 0

  constructor (private readonly fieldsPerTerm: number) {
    if (fieldsPerTerm > 255) throw new Error('too many fields')
    this.listOfField = new Int32Array((1 << 12) * fieldsPerTerm).fill(NONE)
    this.listsInOrder = new Int32Array((1 << 12) * fieldsPerTerm)
    this.listsOpened = new Uint8Array(1 << 12)
  }

  /** Numbers a new term (the caller numbers each term once, in dictionary order). */
  addTerm (): number {
    const term = this.termCount++
    if (term >= this.listsOpened.length) {
      const size = this.listsOpened.length * 2
      this.listOfField = grown(this.listOfField, size * this.fieldsPerTerm, NONE)
      this.listsInOrder = grown(this.listsInOrder, size * this.fieldsPerTerm)
      this.listsOpened = grown(this.listsOpened, size)
    }
    return term
  }

  add (term: number, fieldId: number, document: number, frequency: number): void {
    const key = term * this.fieldsPerTerm + fieldId
    let list = this.listOfField[key] as number
    if (list === NONE) list = this.openList(term, fieldId, key)
    this.listSize[list] = (this.listSize[list] as number) + 1
    const at = this.postingCount++ * 3
    if (at + 3 > this.postings.length) this.postings = grown(this.postings, at + 3)
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
    const { documents, frequencies, starts } = this.grouped()
    const scratch: FieldPostingLists[] = Array.from({ length: this.fieldsPerTerm }, () => ({ fieldId: 0, documents: [], frequencies: [] }))
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
    this.clear()
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
    return list
  }

  private clear (): void {
    this.termCount = 0
    this.listCount = 0
    this.postingCount = 0
    this.listOfField = new Int32Array(0)
    this.listsInOrder = new Int32Array(0)
    this.listsOpened = new Uint8Array(0)
    this.listField = new Uint8Array(0)
    this.listSize = new Uint32Array(0)
    this.postings = new Uint32Array(0)
  }
}

type TypedArray = Int32Array | Uint32Array | Uint8Array

/** A copy of `array` with room for at least `size` elements, new ones set to `fill`. */
function grown<A extends TypedArray> (array: A, size: number, fill = 0): A {
  const copy = new (array.constructor as new (length: number) => A)(Math.max(array.length * 2, size))
  if (fill !== 0) copy.fill(fill, array.length)
  copy.set(array)
  return copy
}
