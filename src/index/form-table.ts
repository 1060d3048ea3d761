/**
 * Which word forms carry each index term, as form keys (analysis/form-key.ts): recorded by a
 * build for every distinct raw token it counted, saved in the index file, and extended in
 * place when a live change adds a document. Snippets ask for the keys of a query's terms
 * (`keySet`) and analyse only the body tokens whose key is among them; since every document
 * of a snapshot went through one of those paths, the set misses no token carrying a term.
 *
 * Saved layout (a section of index.bin, see index-file.ts), varints unless said:
 *
 *   entries, slot bits, entries' byte length
 *   slots      (1 << bits) × u32 LE: an entry's offset in the entries + 1, or 0 for none
 *   entries    per term key: the key (u32 LE), n, n form keys (u32 LE each)
 *
 * An entry is found by its term's key (`formKeyOf(term)`, linear probing, at most half
 * full), so a lookup reads a few bytes of the loaded file and a load decodes nothing. The
 * term itself is not stored (it would double the section): terms sharing a key (a few in
 * rt's 150k) share one entry holding the forms of all of them, which only adds candidates.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { FormKeySet, formKeyOf, formKeyAt } from '../analysis/form-key.js'
import { scanTokens } from '../analysis/scan-tokens.js'
import { ByteReader, ByteWriter } from './byte-codec.js'

const KEY_BYTES = 4

interface SavedForms {
  bytes: Buffer
  bits: number
  slotsStart: number
  entriesStart: number
  entriesEnd: number
}

export class FormTable {
  /** Keys recorded since the table was read (all of a build's), each term's without repeats. */
  private readonly added = new Map<string, number[]>()

  private constructor (private readonly saved: SavedForms | undefined) {}

  static empty (): FormTable {
    return new FormTable(undefined)
  }

  /** The table saved at `reader`'s position, which is moved past it. */
  static read (reader: ByteReader): FormTable {
    const entries = reader.uint()
    const bits = reader.uint()
    const entriesBytes = reader.uint()
    if (bits > 31 || entries * 2 > 2 ** bits) throw new Error('malformed form table')
    const slotsStart = reader.position
    reader.skip((2 ** bits) * KEY_BYTES)
    const entriesStart = reader.position
    reader.skip(entriesBytes)
    return new FormTable({ bytes: reader.bytes, bits, slotsStart, entriesStart, entriesEnd: reader.position })
  }

  add (term: string, key: number): void {
    const keys = this.added.get(term)
    if (keys === undefined) this.added.set(term, [key])
    else if (!keys.includes(key)) keys.push(key)
  }

  /** Records the form of every token of `text` under each of its terms. */
  addText (text: string, analyzer: Pick<Analyzer, 'termsAt'>): void {
    scanTokens(text, (start, end) => {
      const terms = analyzer.termsAt(text, start, end)
      if (terms.length === 0) return
      const key = formKeyAt(text, start, end)
      for (const term of terms) this.add(term, key)
    })
  }

  /** `addText` for each of a document's field texts (absent fields skipped). */
  addTexts (texts: Iterable<string | undefined | null>, analyzer: Pick<Analyzer, 'termsAt'>): void {
    for (const text of texts) if (text != null) this.addText(text, analyzer)
  }

  keysOf (term: string): number[] {
    const saved = this.savedKeysOf(term)
    const added = this.added.get(term)
    if (added === undefined) return saved
    return saved.length === 0 ? added : [...new Set([...saved, ...added])]
  }

  /** The keys of every form of any of `terms`. */
  keySet (terms: Iterable<string>): FormKeySet {
    const keys: number[] = []
    for (const term of terms) for (const key of this.keysOf(term)) keys.push(key)
    return new FormKeySet(keys)
  }

  /** Saves the table; only a table made empty (a build's) is written, a loaded one never is. */
  write (writer: ByteWriter): void {
    if (this.saved !== undefined) throw new Error('a loaded form table is not written again')
    const byTermKey = new Map<number, Set<number>>()
    for (const [term, keys] of this.added) {
      const termKey = formKeyOf(term)
      const merged = byTermKey.get(termKey)
      if (merged === undefined) byTermKey.set(termKey, new Set(keys))
      else for (const key of keys) merged.add(key)
    }
    let bits = 1
    while (2 ** bits < byTermKey.size * 2) bits += 1
    const slots = Buffer.alloc((2 ** bits) * KEY_BYTES)
    const mask = 2 ** bits - 1
    const body = new ByteWriter()
    for (const [termKey, keys] of byTermKey) {
      let slot = slotOf(termKey, bits)
      while (slots.readUInt32LE(slot * KEY_BYTES) !== 0) slot = (slot + 1) & mask
      slots.writeUInt32LE(body.length + 1, slot * KEY_BYTES)
      body.raw(packKeys([termKey]))
      body.uint(keys.size)
      body.raw(packKeys(keys))
    }
    writer.uint(byTermKey.size)
    writer.uint(bits)
    writer.uint(body.length)
    writer.raw(slots)
    writer.raw(body.view())
  }

  private savedKeysOf (term: string): number[] {
    const saved = this.saved
    if (saved === undefined) return []
    const termKey = formKeyOf(term)
    const mask = 2 ** saved.bits - 1
    for (let slot = slotOf(termKey, saved.bits), probes = 0; probes <= mask; slot = (slot + 1) & mask, probes += 1) {
      const offset = saved.bytes.readUInt32LE(saved.slotsStart + slot * KEY_BYTES)
      if (offset === 0) return []
      const entry = saved.entriesStart + offset - 1
      if (entry + KEY_BYTES > saved.entriesEnd) throw new Error('malformed form table')
      if (saved.bytes.readUInt32LE(entry) !== termKey) continue
      return readKeys(new ByteReader(saved.bytes, entry + KEY_BYTES, saved.entriesEnd))
    }
    return []
  }
}

function slotOf (termKey: number, bits: number): number {
  return Math.imul(termKey, 0x9E3779B1) >>> (32 - bits)
}

function packKeys (keys: Iterable<number>): Buffer {
  const list = [...keys]
  const packed = Buffer.alloc(list.length * KEY_BYTES)
  list.forEach((key, at) => packed.writeUInt32LE(key, at * KEY_BYTES))
  return packed
}

function readKeys (reader: ByteReader): number[] {
  const count = reader.uint()
  const start = reader.position
  reader.skip(count * KEY_BYTES)
  const keys = new Array<number>(count)
  for (let i = 0; i < count; i += 1) keys[i] = reader.bytes.readUInt32LE(start + i * KEY_BYTES)
  return keys
}
