/**
 * Word-form keys: a 30-bit hash of a raw token's characters, case-folded (ё as е), so that
 * «Дурова», «дурова» and «ДУРОВА» share one key.
 *
 * A build records, for every index term, the keys of all the raw tokens that carried it
 * (form-table.ts). The keys of a query's terms then say, from a token's characters alone,
 * whether it may carry one of them: a token whose key is not among them cannot (the set is
 * complete), and one whose key is, usually does (keys collide rarely). Snippets analyse only
 * such candidates instead of every token of a body («люди» is a candidate for «человек»
 * because the build saw it carry that term, whatever letters it shares with it).
 *
 * 30 bits, not 32: V8 keeps such numbers unboxed (small integers) in arrays and sets.
 */

let foldTable: Uint16Array | undefined

/** Lower case and ё → е per UTF-16 unit, as `normalize` folds words (built on first use). */
function folds (): Uint16Array {
  if (foldTable !== undefined) return foldTable
  const table = new Uint16Array(0x10000)
  for (let code = 0; code < 0x10000; code += 1) {
    const lower = String.fromCharCode(code).toLowerCase()
    table[code] = lower.length === 1 ? lower.charCodeAt(0) : code
  }
  table[0x401] = 0x435
  table[0x451] = 0x435
  foldTable = table
  return table
}

/** The key of the token `text.slice(start, end)`: FNV-1a over its folded UTF-16 units, top 30 bits. */
export function formKeyAt (text: string, start: number, end: number): number {
  const table = folds()
  let hash = 0x811C9DC5 | 0
  for (let at = start; at < end; at += 1) hash = Math.imul(hash ^ (table[text.charCodeAt(at)] as number), 0x01000193)
  return hash >>> 2
}

export function formKeyOf (token: string): number {
  return formKeyAt(token, 0, token.length)
}

/**
 * The slot of `key` in an open-addressing table of `2 ** bits` slots. Fibonacci hashing: the
 * top bits of the product mix all of the key's bits (the form table and `FormKeySet` share it).
 */
export function slotOfKey (key: number, bits: number): number {
  return Math.imul(key, 0x9E3779B1) >>> (32 - bits)
}

/**
 * A small set of form keys (a query's, a few dozen), probed once per token of a body: open
 * addressing in one typed array, which stays in the CPU cache where a `Set` of boxed numbers
 * would not.
 */
export class FormKeySet {
  /** key + 1 per used slot, 0 for an empty one; at most a quarter full. */
  private readonly slots: Int32Array
  private readonly bits: number
  readonly size: number

  constructor (keys: Iterable<number>) {
    const unique = new Set(keys)
    let bits = 3
    while ((1 << bits) < unique.size * 4) bits += 1
    this.slots = new Int32Array(1 << bits)
    this.bits = bits
    this.size = unique.size
    for (const key of unique) {
      let slot = slotOfKey(key, this.bits)
      while (this.slots[slot] !== 0) slot = (slot + 1) & (this.slots.length - 1)
      this.slots[slot] = key + 1
    }
  }

  has (key: number): boolean {
    const mask = this.slots.length - 1
    for (let slot = slotOfKey(key, this.bits); ; slot = (slot + 1) & mask) {
      const held = this.slots[slot] as number
      if (held === 0) return false
      if (held === key + 1) return true
    }
  }

  /** May `text.slice(start, end)` carry one of the set's terms? */
  mayHold (text: string, start: number, end: number): boolean {
    return this.has(formKeyAt(text, start, end))
  }
}
