/**
 * Which word forms carry each index term, as form keys (analysis/form-key.ts): collected by a
 * build for every distinct raw token it counted (`FormCollector`), saved in the index file,
 * read in place (`FormTable`) and extended when a live change adds a document. Snippets ask
 * for the keys of a query's terms (`keySet`) and analyse only the body tokens whose key is
 * among them; since every document of a snapshot went through one of those paths, the set
 * misses no token carrying a term.
 *
 * Saved layout (a section of index.bin, see index-file.ts), varints unless said:
 *
 *   entries, slot bits, entries' byte length
 *   slots      (1 << bits) × u32 LE: an entry's offset in the entries + 1, or 0 for none
 *   entries    the term's key (u32 LE), n, n form keys (u32 LE each)
 *
 * An entry is found from its term's key (`formKeyOf(term)`, linear probing, at most half
 * full), so a lookup reads a few bytes of the index file and a load decodes nothing. The term
 * itself is not stored (it would double the section): a lookup takes the forms of every entry
 * with the term's key — of the rare other terms sharing it too, which only adds candidates.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { FormKeySet, formKeyOf, formKeyAt, slotOfKey } from '../analysis/form-key.js'
import { scanTokens } from '../analysis/scan-tokens.js'
import { grown } from '../analysis/token-table.js'
import { ByteReader, ByteWriter } from './byte-codec.js'
import { MemoryBytes, type ByteSource } from './byte-source.js'

const KEY_BYTES = 4

type Analysing = Pick<Analyzer, 'termsAt'>

/** term → its forms' keys, without repeats (a live change's or a folded change's documents). */
class TermForms {
  readonly keys = new Map<string, number[]>()

  add (term: string, key: number): void {
    const keys = this.keys.get(term)
    if (keys === undefined) this.keys.set(term, [key])
    else if (!keys.includes(key)) keys.push(key)
  }

  /** Records the form of every token of each text under each of its terms. */
  addTexts (texts: Iterable<string | undefined | null>, analyzer: Analysing): void {
    for (const text of texts) {
      if (text == null) continue
      scanTokens(text, (start, end) => {
        const terms = analyzer.termsAt(text, start, end)
        if (terms.length === 0) return
        const key = formKeyAt(text, start, end)
        for (const term of terms) this.add(term, key)
      })
    }
  }
}

/**
 * A build's forms: (term number, form key) pairs in flat arrays, one per distinct token and
 * term, numbered as the index builder numbers its dictionary; plus the forms of documents
 * added by text afterwards (the change log folded into the build).
 */
export class FormCollector {
  private pairTerms = new Uint32Array(1 << 14)
  private pairKeys = new Uint32Array(1 << 14)
  private pairs = 0
  /** The dictionary the pairs' term numbers refer to, given once the builder is done. */
  private terms: readonly string[] = []
  private readonly byText = new TermForms()

  add (term: number, key: number): void {
    if (this.pairs === this.pairTerms.length) {
      this.pairTerms = grown(this.pairTerms, this.pairs * 2)
      this.pairKeys = grown(this.pairKeys, this.pairs * 2)
    }
    this.pairTerms[this.pairs] = term
    this.pairKeys[this.pairs] = key
    this.pairs += 1
  }

  setTerms (terms: readonly string[]): void {
    this.terms = terms
  }

  addTexts (texts: Iterable<string | undefined | null>, analyzer: Analysing): void {
    this.byText.addTexts(texts, analyzer)
  }

  write (writer: ByteWriter): void {
    const entries = new EntryWriter(this.terms.length + this.byText.keys.size)
    // Counting sort of the pairs by term: each term's keys in one run.
    const termCount = this.terms.length
    const starts = new Uint32Array(termCount + 1)
    for (let pair = 0; pair < this.pairs; pair += 1) {
      const term = this.pairTerms[pair] as number
      if (term >= termCount) throw new Error('form pairs name a term the dictionary lacks')
      starts[term + 1] = (starts[term + 1] as number) + 1
    }
    for (let term = 0; term < termCount; term += 1) starts[term + 1] = (starts[term + 1] as number) + (starts[term] as number)
    const keys = new Uint32Array(this.pairs)
    const next = starts.slice(0, termCount)
    for (let pair = 0; pair < this.pairs; pair += 1) {
      const term = this.pairTerms[pair] as number
      keys[next[term] as number] = this.pairKeys[pair] as number
      next[term] = (next[term] as number) + 1
    }
    for (let term = 0; term < termCount; term += 1) {
      const start = starts[term] as number
      entries.add(formKeyOf(this.terms[term] as string), keys, start, sortUnique(keys, start, starts[term + 1] as number))
    }
    for (const [term, termKeys] of this.byText.keys) entries.add(formKeyOf(term), termKeys, 0, termKeys.length)
    entries.writeTo(writer)
  }

  /** The collected forms as a table to look up (written and read back). */
  toTable (): FormTable {
    const writer = new ByteWriter()
    this.write(writer)
    return FormTable.read(new ByteReader(Buffer.from(writer.view())))
  }
}

/** Lays entries out with their slot table. */
class EntryWriter {
  private readonly bits: number
  private readonly slots: Uint32Array
  private readonly body = new ByteWriter(1 << 20)
  private count = 0

  constructor (private readonly capacity: number) {
    let bits = 1
    while (2 ** bits < capacity * 2) bits += 1
    this.bits = bits
    this.slots = new Uint32Array(2 ** bits)
  }

  /** An entry for `keys[from, from + count)` (a range, not a view: a view object per term costs a build of millions of terms seconds of GC). */
  add (termKey: number, keys: ArrayLike<number>, from: number, count: number): void {
    if (this.count === this.capacity) throw new Error('more form entries than planned')
    this.count += 1
    const mask = this.slots.length - 1
    let slot = slotOfKey(termKey, this.bits)
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask
    this.slots[slot] = this.body.length + 1
    this.body.uint32(termKey)
    this.body.uint(count)
    for (let at = from; at < from + count; at += 1) this.body.uint32(keys[at] as number)
  }

  writeTo (writer: ByteWriter): void {
    writer.uint(this.count)
    writer.uint(this.bits)
    writer.uint(this.body.length)
    const slots = Buffer.alloc(this.slots.length * KEY_BYTES)
    this.slots.forEach((offset, slot) => { if (offset !== 0) slots.writeUInt32LE(offset, slot * KEY_BYTES) })
    writer.raw(slots)
    writer.raw(this.body.view())
  }
}

interface SavedForms {
  /** The index file (or a buffer) the table lies in, read a few bytes per lookup. */
  source: ByteSource
  bits: number
  slotsStart: number
  entriesStart: number
  entriesEnd: number
}

/** Bytes of an entry read at first: its term's key and its count of keys (a varint of up to 5 bytes). */
const ENTRY_HEAD_BYTES = KEY_BYTES + 5

/** A saved form table, read in place (in a loaded build: from the file), plus the forms of documents added live. */
export class FormTable {
  private readonly added = new TermForms()

  private constructor (private readonly saved: SavedForms | undefined) {}

  static empty (): FormTable {
    return new FormTable(undefined)
  }

  /**
   * The table saved at `reader`'s position, which is moved past it. Lookups read it from
   * `source` (the file the reader's bytes were read from: a loaded build keeps the file, not
   * its bytes), by default from the reader's bytes.
   */
  static read (reader: ByteReader, source: ByteSource = new MemoryBytes(reader.bytes)): FormTable {
    const entries = reader.uint()
    const bits = reader.uint()
    const entriesBytes = reader.uint()
    if (bits > 31 || entries * 2 > 2 ** bits) throw new Error('malformed form table')
    const slotsStart = reader.position
    reader.skip((2 ** bits) * KEY_BYTES)
    const entriesStart = reader.position
    reader.skip(entriesBytes)
    return new FormTable({ source, bits, slotsStart, entriesStart, entriesEnd: reader.position })
  }

  /** Records the forms of a document's field texts (absent fields skipped). */
  addTexts (texts: Iterable<string | undefined | null>, analyzer: Analysing): void {
    this.added.addTexts(texts, analyzer)
  }

  /** Records one form (its key, form-key.ts) of `term`: for documents whose terms were counted (live-document-writer.ts). */
  addForm (term: string, key: number): void {
    this.added.add(term, key)
  }

  keysOf (term: string): number[] {
    const saved = this.savedKeysOf(term)
    const added = this.added.keys.get(term)
    if (added === undefined) return saved
    return saved.length === 0 ? added : [...new Set([...saved, ...added])]
  }

  /** The keys of every form of any of `terms`. */
  keySet (terms: Iterable<string>): FormKeySet {
    const keys: number[] = []
    for (const term of terms) for (const key of this.keysOf(term)) keys.push(key)
    return new FormKeySet(keys)
  }

  /** The keys of every saved entry under the term's key. */
  private savedKeysOf (term: string): number[] {
    const saved = this.saved
    if (saved === undefined) return []
    const termKey = formKeyOf(term)
    const mask = 2 ** saved.bits - 1
    const keys: number[] = []
    for (let slot = slotOfKey(termKey, saved.bits), probes = 0; probes <= mask; slot = (slot + 1) & mask, probes += 1) {
      const offset = saved.source.withBytes(saved.slotsStart + slot * KEY_BYTES, KEY_BYTES, bytes => bytes.readUInt32LE(0))
      if (offset === 0) break
      const entryStart = saved.entriesStart + offset - 1
      const head = saved.source.withBytes(entryStart, Math.min(ENTRY_HEAD_BYTES, saved.entriesEnd - entryStart), bytes => {
        const reader = new ByteReader(bytes)
        return { key: reader.uint32(), count: reader.uint(), keysAt: entryStart + reader.position }
      })
      if (head.key !== termKey) continue
      if (head.keysAt + head.count * KEY_BYTES > saved.entriesEnd) throw new Error('malformed form table: an entry past the end')
      saved.source.withBytes(head.keysAt, head.count * KEY_BYTES, bytes => {
        for (let at = 0; at < bytes.length; at += KEY_BYTES) keys.push(bytes.readUInt32LE(at))
      })
    }
    return keys
  }
}

/** Sorts `values[from, to)` and moves its distinct values to its front; returns how many there are. */
function sortUnique (values: Uint32Array, from: number, to: number): number {
  if (to - from > 16) {
    values.subarray(from, to).sort()
  } else {
    // Most terms have a handful of forms: an insertion sort in place, without a view object per term.
    for (let at = from + 1; at < to; at += 1) {
      const value = values[at] as number
      let before = at - 1
      for (; before >= from && (values[before] as number) > value; before -= 1) values[before + 1] = values[before] as number
      values[before + 1] = value
    }
  }
  let kept = 0
  for (let at = from; at < to; at += 1) {
    if (kept === 0 || values[at] !== values[from + kept - 1]) values[from + kept++] = values[at] as number
  }
  return kept
}
