/**
 * Adds live documents (PUT, PATCH, _bulk, the PostgreSQL follower) to a loaded index the way
 * a build does (index-builder.ts), not through MiniSearch's `add`: a term counter
 * (document-terms.ts) counts a batch's terms once per (term, document, field), and each
 * distinct term of the batch is looked up in the term tree once. `add` walks the radix tree
 * and re-analyses the token for every word occurrence, which made a live document cost
 * several times its share of a build.
 *
 * The result is what `add` would have made: the same field lengths (distinct raw tokens),
 * frequencies, and order of postings (fields in order, terms in order of first occurrence).
 *
 * The counter lives as long as the writer, so a token met in an earlier batch costs no
 * analysis, and its word forms (which snippets need, form-table.ts) are recorded once. Its
 * tables grow with the vocabulary of the documents added, so it is replaced by a fresh one
 * past `maxCounterTerms`: the next batches then re-analyse their tokens once.
 *
 * The tree entry of each term the counter numbered is kept too, so a term is looked up in
 * the tree once, not once per batch: live changes come in small batches (so that searches
 * get turns), and the lookups were most of a small batch's cost. A kept entry can leave the
 * tree: MiniSearch's vacuum removes a term whose postings all belonged to discarded
 * documents — but only once it has emptied the entry, and an empty entry is never used
 * from the cache (it is looked up again, and made anew if it is gone).
 */
import type MiniSearch from 'minisearch'
import type { Analyzer } from '../analysis/analyzer.js'
import { TermCounter, type AnalysedBatch } from './document-terms.js'
import type { FormTable } from './form-table.js'
import { addCountedDocument, expectInternals, type TermData, type TermTree } from './minisearch-internals.js'
import { SEARCH_FIELDS, searchFieldTexts, SIGNATURE_FIELD, type IndexedDocument } from './minisearch-options.js'
import { SIGNATURE_BINS } from './near-duplicates.js'
import { LazyTermData } from './term-data.js'

export interface LiveDocumentWriterOptions {
  /** Terms the counter numbers before it is replaced (its tables hold every term and token it met). */
  maxCounterTerms: number
}

const defaultOptions: LiveDocumentWriterOptions = { maxCounterTerms: 200_000 }

export class LiveDocumentWriter {
  private counter: TermCounter
  /** The counter's term numbers' strings… */
  private terms: string[] = []
  /** …and their entries in the tree, once looked up. */
  private termData: Array<TermData | undefined> = []
  private termSpace = 0

  constructor (
    private readonly miniSearch: MiniSearch<IndexedDocument>,
    private readonly forms: FormTable,
    private readonly analyzer: Pick<Analyzer, 'analyzeToken'>,
    private readonly options: LiveDocumentWriterOptions = defaultOptions
  ) {
    this.counter = this.newCounter()
  }

  /**
   * Adds documents the index does not hold (a replaced one is discarded first), in order;
   * returns each one's near-duplicate signature of its body, undefined when it is too short.
   */
  add (documents: readonly IndexedDocument[]): Array<Uint32Array | undefined> {
    if (documents.length === 0) return []
    if (this.terms.length > this.options.maxCounterTerms) this.counter = this.newCounter()
    const batch = this.counter.analyse(documents.map(searchFieldTexts), SEARCH_FIELDS.length)
    // Grown one element at a time, so the lists stay packed arrays.
    for (const term of batch.newTerms) {
      this.terms.push(term)
      this.termData.push(undefined)
    }
    this.addPostings(documents, batch)
    this.addForms(batch)
    return documents.map((_, at) => batch.signed?.[at] === 1 ? batch.signatures?.slice(at * SIGNATURE_BINS, (at + 1) * SIGNATURE_BINS) : undefined)
  }

  private addPostings (documents: readonly IndexedDocument[], batch: AnalysedBatch): void {
    const { fieldCount, fieldLengths, postings, ends } = batch
    const termTree = expectInternals(this.miniSearch).termTree
    const { terms, termData } = this
    let pair = 0
    documents.forEach((document, at) => {
      const slot = at * fieldCount
      const shortId = addCountedDocument(this.miniSearch, document, fieldLengths.subarray(slot, slot + fieldCount))
      for (let fieldId = 0; fieldId < fieldCount; fieldId += 1) {
        for (const end = ends[slot + fieldId] as number; pair < end; pair += 1) {
          const ref = postings[pair * 2] as number
          let data = termData[ref]
          // An empty entry may have been removed from the tree by a vacuum (see above).
          if (data === undefined || isEmpty(data)) termData[ref] = data = termDataOf(termTree, terms[ref] as string)
          addPosting(data, fieldId, shortId, postings[pair * 2 + 1] as number)
        }
      }
    })
  }

  /** The forms of the tokens the counter met for the first time in this batch. */
  private addForms ({ newTokenKeys, newTokenTermEnds, newTokenTerms }: AnalysedBatch): void {
    let ref = 0
    for (let token = 0; token < newTokenKeys.length; token += 1) {
      const key = newTokenKeys[token] as number
      for (const end = newTokenTermEnds[token] as number; ref < end; ref += 1) {
        this.forms.addForm(this.terms[newTokenTerms[ref] as number] as string, key)
      }
    }
  }

  private newCounter (): TermCounter {
    this.terms = []
    this.termData = []
    this.termSpace += 1
    return new TermCounter(this.analyzer, this.termSpace, SIGNATURE_FIELD)
  }
}

/** A loaded term's postings grow as arrays (term-data.ts); any other entry is MiniSearch's Map. */
function addPosting (data: TermData, fieldId: number, shortId: number, frequency: number): void {
  if (data instanceof LazyTermData) return data.append(fieldId, shortId, frequency)
  let field = data.get(fieldId)
  if (field === undefined) data.set(fieldId, field = new Map())
  field.set(shortId, frequency)
}

function isEmpty (data: TermData): boolean {
  return data instanceof LazyTermData ? data.isEmpty() : data.size === 0
}

/** The term's entry in the tree, made empty when the term is new (as `add` makes it). */
function termDataOf (termTree: TermTree, term: string): TermData {
  let data = termTree.get(term)
  if (data === undefined) termTree.set(term, data = new Map())
  return data
}
