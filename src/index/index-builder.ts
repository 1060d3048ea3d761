/**
 * Fills a MiniSearch index from documents whose terms are already counted (see
 * document-terms.ts): one hash lookup per (term, document, field) instead of MiniSearch's
 * radix-tree walk per word occurrence, and postings kept as flat lists, then encoded
 * (term-data.ts) rather than as a Map per term and field. The result is the index `add`
 * would have built, in the same insertion order: documents in the order given, terms
 * inserted into the dictionary in the order `add` first meets them, and the average field
 * lengths updated with the same arithmetic (floating point: the order of operations matters).
 */
import type MiniSearch from 'minisearch'
import type { Options } from 'minisearch'
import { ByteWriter } from './byte-codec.js'
import type { DocumentTerms } from './document-terms.js'
import { miniSearchFromCore, stateOf } from './minisearch-internals.js'
import { encodePostingLists, LazyTermData, type FieldPostingLists } from './term-data.js'

export class IndexBuilder<T> {
  constructor (private readonly options: Options<T>) {}

  /** term → its postings per field, fields in the order the term was first met in them. */
  private readonly terms = new Map<string, FieldPostingLists[]>()
  private readonly documentIds = new Map<number, string>()
  private readonly ids = new Set<string>()
  private readonly fieldLength = new Map<number, number[]>()
  private readonly storedFields = new Map<number, Partial<T>>()
  private readonly averageFieldLength: number[] = []
  private nextId = 0

  /** Documents added so far. */
  get documentCount (): number {
    return this.nextId
  }

  /**
   * Adds one document with its counted terms by field id. Only its id and stored fields
   * are kept: the document (with its body) can be dropped once added.
   */
  add (document: T, terms: DocumentTerms): void {
    const id = String((document as Record<string, unknown>)[this.options.idField ?? 'id'])
    if (this.ids.has(id)) throw new Error(`duplicate document id ${id}`)
    const stored = this.storedFieldsOf(document)
    const shortId = this.nextId
    const count = shortId // documents before this one: MiniSearch's `_documentCount - 1`
    this.nextId += 1
    this.ids.add(id)
    this.documentIds.set(shortId, id)
    this.storedFields.set(shortId, stored)
    terms.forEach((field, fieldId) => {
      if (field === undefined) return
      this.addFieldLength(shortId, fieldId, count, field.length)
      for (let i = 0; i < field.terms.length; i += 1) {
        this.addPosting(field.terms[i] as string, fieldId, shortId, field.counts[i] as number)
      }
    })
  }

  /** The finished index; the builder must not be used afterwards. */
  build (): MiniSearch<T> {
    const miniSearch = miniSearchFromCore<T>({
      documentCount: this.nextId,
      nextId: this.nextId,
      documentIds: this.documentIds,
      fieldLength: this.fieldLength,
      averageFieldLength: this.averageFieldLength,
      storedFields: this.storedFields,
      dirtCount: 0
    }, this.options)
    const writer = new ByteWriter(1 << 20)
    const ends: number[] = []
    for (const fields of this.terms.values()) {
      encodePostingLists(writer, fields)
      ends.push(writer.length)
    }
    const bytes = writer.view()
    const index = stateOf(miniSearch)._index
    let start = 0
    let at = 0
    for (const term of this.terms.keys()) {
      const end = ends[at++] as number
      index.set(term, LazyTermData.fromBytes(bytes, start, end))
      start = end
    }
    this.terms.clear()
    this.ids.clear()
    return miniSearch
  }

  /** As MiniSearch's `saveStoredFields`: the defined store fields, in `storeFields` order. */
  private storedFieldsOf (document: T): Partial<T> {
    const stored: Record<string, unknown> = {}
    for (const name of this.options.storeFields ?? []) {
      const value = (document as Record<string, unknown>)[name]
      if (value !== undefined) stored[name] = value
    }
    return stored as Partial<T>
  }

  private addFieldLength (shortId: number, fieldId: number, count: number, length: number): void {
    let lengths = this.fieldLength.get(shortId)
    if (lengths === undefined) this.fieldLength.set(shortId, lengths = [])
    lengths[fieldId] = length
    const average = this.averageFieldLength[fieldId] ?? 0
    this.averageFieldLength[fieldId] = (average * count + length) / (count + 1)
  }

  private addPosting (term: string, fieldId: number, shortId: number, frequency: number): void {
    let fields = this.terms.get(term)
    if (fields === undefined) this.terms.set(term, fields = [])
    let postings = fields.find(field => field.fieldId === fieldId)
    if (postings === undefined) fields.push(postings = { fieldId, documents: [], frequencies: [] })
    postings.documents.push(shortId)
    postings.frequencies.push(frequency)
  }
}
