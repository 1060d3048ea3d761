/**
 * Documents' index terms, counted per field: what MiniSearch's `add` derives from a
 * document, computed apart from the index so that it can run in a worker thread and be
 * merged into the index once per (term, document) instead of once per word occurrence.
 *
 * The counts must equal MiniSearch 7.2's own `add` exactly (ranking depends on them): a
 * field's length is the number of distinct raw tokens (before term processing), and every
 * term of every token occurrence counts once. Terms are numbered in the order they first
 * occur, which is the order `add` would insert them into the term dictionary.
 *
 * Counting is most of a build's work, and almost all of it is repeats: rt has 7.2 M token
 * occurrences but 275 k distinct raw tokens. So a `TermCounter` lives as long as a build (one
 * per thread) and finds a token by its characters in a `TokenTable`, hashed straight from
 * the field text: a repeated token costs no string, no Map lookup and no analysis. Only
 * a token never seen before is cut out of the text and analysed.
 *
 * A batch is flat (typed arrays plus the strings of terms the counter had not numbered
 * before), so a worker hands it over without copying, and the main thread learns each term
 * string once per counter (index-builder.ts keeps the numbering).
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { scanTokens } from '../analysis/scan-tokens.js'
import { formKeyAt } from '../analysis/form-key.js'
import { grown, TokenTable } from '../analysis/token-table.js'
import { SignatureBuilder, SIGNATURE_BINS, termsHash } from './near-duplicates.js'

export interface AnalysedBatch {
  /** Which counter numbered the terms: batches of one counter share one numbering. */
  termSpace: number
  /** The number of the first term in `newTerms`; 0 starts a fresh numbering. */
  firstTermId: number
  /** Terms numbered for the first time in this batch, in order of first occurrence. */
  newTerms: string[]
  /** Fields per document. */
  fieldCount: number
  /** Per document and field (document-major): distinct raw tokens, or -1 for an absent field. */
  fieldLengths: Int32Array
  /** Per document and field, in that order: pairs of (term number, occurrences). */
  postings: Uint32Array
  /** Per document and field: where its pairs end in `postings`, counted in pairs. */
  ends: Uint32Array
  /** The form key (form-key.ts) of each token the counter first met in this batch… */
  newTokenKeys: Uint32Array
  /** …and its terms: those of new token i are `newTokenTerms[newTokenTermEnds[i - 1], newTokenTermEnds[i])`, as term numbers. */
  newTokenTermEnds: Uint32Array
  newTokenTerms: Uint32Array
  /**
   * With a signature field: each document's near-duplicate signature of that field's
   * analysed words in order (near-duplicates.ts), `SIGNATURE_BINS` values per document…
   */
  signatures?: Uint32Array
  /** …and whether it has one (1), or its text was too short (0). */
  signed?: Uint8Array
}

/** Field texts of each document, in SEARCH_FIELDS order; undefined for an absent field. */
export type DocumentFields = ReadonlyArray<string | undefined | null>

/** The term space of counters made for one batch only (`analyseBatch`). */
export const ONE_OFF_TERM_SPACE = -1

const EMPTY = -1

/**
 * A batch whose tokens are numbered but not yet counted: `TermCounter.count` counts it once
 * every token in it has its terms (`setTerms`), which lets the analysis of new tokens run
 * elsewhere (analysis-pool.ts) while the counter stays on one thread.
 */
export interface ScannedBatch {
  fieldCount: number
  /** Per document and field (document-major): distinct raw tokens, or -1 for an absent field. */
  fieldLengths: Int32Array
  /** The token numbers of every field, in text order. */
  tokens: Int32Array
  /** Per document and field: where its tokens end in `tokens`. */
  tokenEnds: Uint32Array
  /** The raw text of the tokens first met in this batch, numbered from `firstNewToken`. */
  newTokens: string[]
  firstNewToken: number
  /** The batch's tokens are numbered below this (`firstNewToken + newTokens.length`, kept once the texts are dropped). */
  tokenEnd: number
}

/**
 * Counts the terms of batch after batch with one analyzer, numbering terms across batches.
 * Its batches must be merged in the order they were counted (a batch names new terms once).
 */
export class TermCounter {
  /** Numbers the raw tokens from the field texts' characters. */
  private readonly tokenTable = new TokenTable(1 << 14)
  /** Tokens whose terms are known: the first `tokensWithTerms` numbers. */
  private tokensWithTerms = 0
  // Per token number: its term numbers (in `termRefs`), the last field it was seen in.
  private tokenTermsStart = new Int32Array(1 << 14)
  private tokenTermsCount = new Int32Array(1 << 14)
  private tokenLastField = new Int32Array(1 << 14)
  private tokenKeys = new Uint32Array(1 << 14)
  /** Per token number: a hash of its terms (near-duplicates.ts `termsHash`; 0 for a stop word). */
  private tokenHashes = new Uint32Array(1 << 14)
  private readonly signatureBuilder = new SignatureBuilder()
  private termRefs = new Int32Array(1 << 15)
  private termRefsUsed = 0

  private readonly termIds = new Map<string, number>()
  private termStrings: string[] = []
  /** Terms numbered before the current batch (already named in an earlier batch). */
  private termsSent = 0
  // Per term number: occurrences in the current field, and which field they belong to.
  private termCounts = new Uint32Array(1 << 14)
  private termLastField = new Int32Array(1 << 14).fill(EMPTY)
  /** Fields scanned, and fields counted, over all batches: a field's number tells its marks apart. */
  private fieldsScanned = 0
  private fieldsCounted = 0
  /** The sizes of the last batch's arrays: the next batch starts at about its size instead of doubling up to it. */
  private lastTokens = 4096
  private lastPairs = 4096

  /** `analyzer` analyses new tokens in `analyse`; a counter fed by `setTerms` alone needs none. */
  /** `signatureField`: the field whose near-duplicate signature `count` computes (none by default). */
  constructor (private readonly analyzer: Pick<Analyzer, 'analyzeToken'> | undefined, readonly termSpace = 0, private readonly signatureField?: number) {}

  /** Scans, analyses the new tokens with the counter's own analyzer, and counts. */
  analyse (documents: readonly DocumentFields[], fieldCount: number): AnalysedBatch {
    const { analyzer } = this
    if (analyzer === undefined) throw new Error('this term counter has no analyzer')
    const scanned = this.scan(documents, fieldCount)
    for (const token of scanned.newTokens) this.setTerms(analyzer.analyzeToken(token))
    return this.count(scanned)
  }

  /** Numbers the tokens of a batch, listing those never met before. */
  scan (documents: readonly DocumentFields[], fieldCount: number): ScannedBatch {
    const fieldLengths = new Int32Array(documents.length * fieldCount)
    const tokenEnds = new Uint32Array(documents.length * fieldCount)
    const out = { tokens: new Int32Array(initialSize(this.lastTokens)), used: 0 }
    const firstNewToken = this.tokenTable.size
    const newTokens: string[] = []
    let slot = 0
    for (const fields of documents) {
      for (let field = 0; field < fieldCount; field += 1, slot += 1) {
        const text = fields[field]
        if (text == null) {
          fieldLengths[slot] = -1
        } else {
          fieldLengths[slot] = this.scanField(text, out, newTokens)
        }
        tokenEnds[slot] = out.used
      }
    }
    this.lastTokens = out.used
    return { fieldCount, fieldLengths, tokens: out.tokens.subarray(0, out.used), tokenEnds, newTokens, firstNewToken, tokenEnd: this.tokenTable.size }
  }

  /**
   * Gives the next token without terms its terms, `terms[from, to)` (tokens are given theirs
   * in number order).
   */
  setTerms (terms: readonly string[], from = 0, to = terms.length): void {
    const token = this.tokensWithTerms
    if (token >= this.tokenTable.size) throw new Error('terms given for a token not scanned')
    this.tokensWithTerms += 1
    const count = to - from
    if (this.termRefsUsed + count > this.termRefs.length) this.termRefs = grown(this.termRefs, this.termRefsUsed + count)
    this.tokenTermsStart[token] = this.termRefsUsed
    this.tokenTermsCount[token] = count
    this.tokenHashes[token] = termsHash(terms, from, to)
    for (let at = from; at < to; at += 1) this.termRefs[this.termRefsUsed++] = this.termIdOf(terms[at] as string)
  }

  /** Counts a scanned batch; every token in it must have its terms. Batches are counted in scan order. */
  count (scanned: ScannedBatch): AnalysedBatch {
    const { fieldCount, fieldLengths, tokens, tokenEnds } = scanned
    if (scanned.tokenEnd > this.tokensWithTerms) throw new Error('the batch has tokens without terms')
    const ends = new Uint32Array(fieldLengths.length)
    const out = { postings: new Uint32Array(initialSize(this.lastPairs * 2)), pairs: 0 }
    const inField: number[] = []
    let from = 0
    for (let slot = 0; slot < fieldLengths.length; slot += 1) {
      const to = tokenEnds[slot] as number
      if ((fieldLengths[slot] as number) >= 0) {
        this.countField(tokens, from, to, inField)
        this.writePairs(inField, out)
      }
      ends[slot] = out.pairs
      from = to
    }
    const firstTermId = this.termsSent
    const newTerms = this.termStrings
    this.termStrings = []
    this.termsSent = this.termIds.size
    this.lastPairs = out.pairs
    return { termSpace: this.termSpace, firstTermId, newTerms, fieldCount, fieldLengths, postings: out.postings.slice(0, out.pairs * 2), ends, ...this.formsOf(scanned), ...this.signaturesOf(scanned) }
  }

  /** Each document's signature of the signature field's token sequence (the tokens' terms are known by now). */
  private signaturesOf ({ fieldCount, fieldLengths, tokens, tokenEnds }: ScannedBatch): Pick<AnalysedBatch, 'signatures' | 'signed'> {
    const field = this.signatureField
    if (field === undefined) return {}
    const documents = fieldLengths.length / fieldCount
    const signatures = new Uint32Array(documents * SIGNATURE_BINS)
    const signed = new Uint8Array(documents)
    const builder = this.signatureBuilder
    for (let document = 0; document < documents; document += 1) {
      const slot = document * fieldCount + field
      builder.reset()
      for (let at = slot === 0 ? 0 : tokenEnds[slot - 1] as number, to = tokenEnds[slot] as number; at < to; at += 1) {
        builder.push(this.tokenHashes[tokens[at] as number] as number)
      }
      signed[document] = builder.finish(signatures, document * SIGNATURE_BINS) > 0 ? 1 : 0
    }
    return { signatures, signed }
  }

  /** The forms of the tokens first met in a batch: what a build records of each term's forms (form-table.ts). */
  private formsOf ({ firstNewToken, tokenEnd }: ScannedBatch): Pick<AnalysedBatch, 'newTokenKeys' | 'newTokenTermEnds' | 'newTokenTerms'> {
    const newTokenKeys = this.tokenKeys.slice(firstNewToken, tokenEnd)
    const newTokenTermEnds = new Uint32Array(tokenEnd - firstNewToken)
    let terms = 0
    for (let token = firstNewToken; token < tokenEnd; token += 1) {
      terms += this.tokenTermsCount[token] as number
      newTokenTermEnds[token - firstNewToken] = terms
    }
    const newTokenTerms = new Uint32Array(terms)
    let at = 0
    for (let token = firstNewToken; token < tokenEnd; token += 1) {
      const start = this.tokenTermsStart[token] as number
      newTokenTerms.set(this.termRefs.subarray(start, start + (this.tokenTermsCount[token] as number)), at)
      at += this.tokenTermsCount[token] as number
    }
    return { newTokenKeys, newTokenTermEnds, newTokenTerms }
  }

  /** Numbers one field's tokens into `out`; returns its distinct raw tokens. */
  private scanField (text: string, out: { tokens: Int32Array, used: number }, newTokens: string[]): number {
    const field = this.fieldsScanned++
    let distinctTokens = 0
    scanTokens(text, (start, end) => {
      const before = this.tokenTable.size
      const token = this.tokenAt(text, start, end)
      if (token === before) newTokens.push(text.slice(start, end))
      if (this.tokenLastField[token] !== field) {
        this.tokenLastField[token] = field
        distinctTokens += 1
      }
      if (out.used === out.tokens.length) out.tokens = grown(out.tokens, out.used * 2)
      out.tokens[out.used++] = token
    })
    return distinctTokens
  }

  /** Counts the terms of tokens[from, to) into `termCounts`, listing them in `inField`. */
  private countField (tokens: Int32Array, from: number, to: number, inField: number[]): void {
    const field = this.fieldsCounted++
    inField.length = 0
    const refs = this.termRefs
    for (let at = from; at < to; at += 1) {
      const token = tokens[at] as number
      for (let ref = this.tokenTermsStart[token] as number, stop = ref + (this.tokenTermsCount[token] as number); ref < stop; ref += 1) {
        const term = refs[ref] as number
        if (this.termLastField[term] !== field) {
          this.termLastField[term] = field
          this.termCounts[term] = 1
          inField.push(term)
        } else {
          this.termCounts[term] = (this.termCounts[term] as number) + 1
        }
      }
    }
  }

  private writePairs (inField: readonly number[], out: { postings: Uint32Array, pairs: number }): void {
    const needed = (out.pairs + inField.length) * 2
    if (needed > out.postings.length) out.postings = grown(out.postings, needed)
    const { postings } = out
    let at = out.pairs * 2
    for (const term of inField) {
      postings[at] = term
      postings[at + 1] = this.termCounts[term] as number
      at += 2
    }
    out.pairs += inField.length
  }

  /** The number of the token `text.slice(start, end)`, added on first sight. */
  private tokenAt (text: string, start: number, end: number): number {
    const known = this.tokenTable.size
    const token = this.tokenTable.numberOf(text, start, end)
    if (token === known) {
      if (token >= this.tokenLastField.length) this.growTokens()
      this.tokenLastField[token] = EMPTY
      this.tokenKeys[token] = formKeyAt(text, start, end)
    }
    return token
  }

  private termIdOf (term: string): number {
    let id = this.termIds.get(term)
    if (id !== undefined) return id
    id = this.termIds.size
    this.termIds.set(term, id)
    this.termStrings.push(term)
    if (id >= this.termCounts.length) {
      this.termCounts = grown(this.termCounts, id + 1)
      const lastField = new Int32Array(this.termCounts.length).fill(EMPTY)
      lastField.set(this.termLastField)
      this.termLastField = lastField
    }
    return id
  }

  private growTokens (): void {
    const size = this.tokenLastField.length * 2
    this.tokenTermsStart = grown(this.tokenTermsStart, size)
    this.tokenTermsCount = grown(this.tokenTermsCount, size)
    this.tokenLastField = grown(this.tokenLastField, size)
    this.tokenKeys = grown(this.tokenKeys, size)
    this.tokenHashes = grown(this.tokenHashes, size)
  }
}

/** The counted terms of one batch, numbered afresh (for one-off indexes: evaluation, tests). */
export function analyseBatch (analyzer: Analyzer, documents: readonly DocumentFields[], fieldCount: number): AnalysedBatch {
  return new TermCounter(analyzer, ONE_OFF_TERM_SPACE).analyse(documents, fieldCount)
}

/** Room for a batch like one of `last` elements, with a margin, at least 4096. */
function initialSize (last: number): number {
  return Math.max(4096, last + (last >> 2))
}
