/**
 * A snapshot's near-duplicate groups (near-duplicates.ts), kept current by live changes: a
 * put document leaves its old group, and joins (or merges) the groups of the documents its
 * signature matches, found through LSH band keys; a deleted one leaves its group, which
 * dissolves when one member is left. A group is not split when the member that bridged two
 * halves leaves: that waits for the next build, which groups afresh.
 *
 * Candidates are looked up by `LIVE_BANDS` of the bands: among the documents the index
 * held at the first live change in a `BandTable` (built then, not at load: most snapshots
 * never see one), among those put since in a Map. A document's entries in the table stay
 * when it changes or goes; its current signature decides.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { scanTokens } from '../analysis/scan-tokens.js'
import { BandTable, liveBandKeys } from './band-table.js'
import { runPausing } from './time-slicer.js'
import { groupSignatures, isSimilar, SignatureBuilder, SIGNATURE_BINS, SIMILARITY_THRESHOLD, termsHash } from './near-duplicates.js'

/** A group's members, in the order they were indexed (immutable: a change makes a new array). */
export type DuplicateMembers = readonly string[]

/** Stored signatures read between the points where `prepareChanges` may pause. */
const SIGNATURES_BETWEEN_PAUSES = 4096
/** Regroupings remembered for views (`regroupedSince`); a view further behind rebuilds, which costs one pass over the grouped documents. */
const MAX_REGROUPED = 65_536

/** A build's signatures in the order it indexed them, read from its file when first needed. */
export interface StoredSignatures {
  read: () => Iterable<readonly [string, Uint32Array]>
  /** Lets go of the file (once read, or when the snapshot closes). */
  close: () => Promise<void>
}

export class DuplicateIndex {
  private readonly signatures = new Map<string, Uint32Array>()
  /**
   * A loaded build's signatures, not decoded yet: only a live change needs them (search needs
   * the groups). Decoded at load, 800,000 of them were 800,000 typed arrays and two Maps of
   * ids on the heap, which every full collection of the serving process marked and swept.
   */
  private stored: StoredSignatures | undefined
  /** The stored signatures being decoded, shared by the sliced preparation and a change that comes first. */
  private decoding: Iterator<readonly [string, Uint32Array]> | undefined
  private preparing: Promise<void> | undefined
  private readonly groupOfId = new Map<string, DuplicateMembers>()
  /** When each document was added (a build's documents in index order): groups list their members in it. */
  private readonly added = new Map<string, number>()
  private nextAdded = 0
  /** The documents held at the first live change, by band key (band-table.ts). */
  private table: BandTable | undefined
  /** The documents put since, by band key (most buckets hold one: arrays are the smaller). */
  private readonly buckets = new Map<number, string[]>()
  /**
   * Ids whose group changed since the index was made, oldest first, so that a view of the
   * groups keyed otherwise (search's, by short id) follows a live change without redoing every
   * group. Cleared when long (`regroupedFrom` counts what was dropped): a view that far behind rebuilds.
   */
  private regrouped: string[] = []
  private regroupedFrom = 0

  /** Documents (ids) and their signatures, undefined for a document without one, grouped here. */
  static group (entries: Iterable<[string, Uint32Array | undefined]>, threshold = SIMILARITY_THRESHOLD): DuplicateIndex {
    const ids: string[] = []
    const signatures: Array<Uint32Array | undefined> = []
    for (const [id, signature] of entries) {
      ids.push(id)
      signatures.push(signature)
    }
    const { groups } = groupSignatures(signatures, threshold)
    return DuplicateIndex.of(ids.map((id, at) => [id, signatures[at]]), groups.map(members => members.map(at => ids[at] as string)))
  }

  /** An index of known signatures and groups (as a build stored them). */
  static of (signatures: Iterable<readonly [string, Uint32Array | undefined]>, groups: Iterable<DuplicateMembers>): DuplicateIndex {
    const index = new DuplicateIndex()
    for (const [id, signature] of signatures) if (signature !== undefined) index.add(id, signature)
    for (const members of groups) for (const id of members) index.groupOfId.set(id, members)
    return index
  }

  /** An index of a build's groups, its signatures read by `stored` at the first live change (or `entries`). */
  static ofStored (stored: StoredSignatures, groups: Iterable<DuplicateMembers>): DuplicateIndex {
    const index = new DuplicateIndex()
    index.stored = stored
    for (const members of groups) for (const id of members) index.groupOfId.set(id, members)
    return index
  }

  /** Closes the build's file of signatures if they were not read from it yet. */
  async close (): Promise<void> {
    await this.stored?.close()
  }

  /** The members of `id`'s group (itself included), or undefined when it has no copies. */
  membersOf (id: string): DuplicateMembers | undefined {
    return this.groupOfId.get(id)
  }

  /** Every document in a group, with its group. */
  groupedIds (): IterableIterator<[string, DuplicateMembers]> {
    return this.groupOfId.entries()
  }

  /** How many regroupings the index has seen: a view made from `groupedIds` now is current until this grows. */
  get regroupCount (): number {
    return this.regroupedFrom + this.regrouped.length
  }

  /** The ids regrouped since `count` (`regroupCount` then), or undefined when no longer known: rebuild from `groupedIds`. */
  regroupedSince (count: number): readonly string[] | undefined {
    if (count < this.regroupedFrom) return undefined
    return this.regrouped.slice(count - this.regroupedFrom)
  }

  /** Whether any document has copies. */
  get hasGroups (): boolean {
    return this.groupOfId.size > 0
  }

  /** Every group, once each. */
  groups (): DuplicateMembers[] {
    return [...new Set(this.groupOfId.values())]
  }

  /** Documents with a signature. */
  get size (): number {
    return this.decoded().size
  }

  /** Every document with a signature, in the order it was added. */
  entries (): IterableIterator<[string, Uint32Array]> {
    return this.decoded().entries()
  }

  /** A new or changed document: leaves its group, then joins those of the documents it copies. */
  put (id: string, signature: Uint32Array | undefined, threshold = SIMILARITY_THRESHOLD): void {
    this.table ??= BandTable.of(this.decoded())
    this.remove(id)
    if (signature === undefined) return
    const copies = new Set<string>()
    const keys = liveBandKeys(signature)
    for (const key of keys) {
      for (const other of [...this.table.idsWith(key), ...this.buckets.get(key) ?? []]) {
        if (other === id || copies.has(other)) continue
        // A document changed or deleted since the table was built is judged by its signature now.
        const current = this.signatures.get(other)
        if (current !== undefined && isSimilar(signature, current, threshold)) copies.add(other)
      }
    }
    this.add(id, signature)
    this.addToBuckets(id, keys)
    if (copies.size > 0) this.join(id, copies)
  }

  /** A deleted document leaves its group (and its buckets). */
  remove (id: string): void {
    const signature = this.decoded().get(id)
    if (signature === undefined) return
    this.signatures.delete(id)
    this.added.delete(id)
    for (const key of liveBandKeys(signature)) {
      const bucket = this.buckets.get(key)
      if (bucket === undefined) continue
      const rest = bucket.filter(member => member !== id)
      if (rest.length === 0) this.buckets.delete(key)
      else this.buckets.set(key, rest)
    }
    const members = this.groupOfId.get(id)
    if (members === undefined) return
    this.regroup(id, undefined)
    const rest = members.filter(member => member !== id)
    for (const member of rest) this.regroup(member, rest.length < 2 ? undefined : rest)
  }

  /** `id` and every group of `copies` become one group: the older members first, `id` last. */
  private join (id: string, copies: ReadonlySet<string>): void {
    const members = new Set<string>()
    for (const copy of copies) for (const member of this.groupOfId.get(copy) ?? [copy]) members.add(member)
    const joined = [...members, id].sort((a, b) => (this.added.get(a) as number) - (this.added.get(b) as number))
    for (const member of joined) this.regroup(member, joined)
  }

  private regroup (id: string, members: DuplicateMembers | undefined): void {
    if (members === undefined) this.groupOfId.delete(id)
    else this.groupOfId.set(id, members)
    if (this.regrouped.length >= MAX_REGROUPED) {
      this.regroupedFrom += this.regrouped.length
      this.regrouped = []
    }
    this.regrouped.push(id)
  }

  /**
   * Makes ready what the first live change needs, in slices with `pause` awaited between
   * them: the build's signatures read and the band table built, 3.7 s in one piece at
   * 800,000 documents. A change that comes first does what is left at once. Safe to call again.
   */
  async prepareChanges (pause: () => Promise<void>): Promise<void> {
    this.preparing ??= this.prepare(pause)
    await this.preparing
  }

  private async prepare (pause: () => Promise<void>): Promise<void> {
    while (this.decodeSome(SIGNATURES_BETWEEN_PAUSES)) await pause()
    if (this.table !== undefined) return
    const table = await runPausing(BandTable.making(this.signatures), pause)
    // A change may have built its own meanwhile, with the documents of its time: that one stays.
    this.table ??= table
  }

  /** The signatures by id, the build's read first if they are still stored. */
  private decoded (): Map<string, Uint32Array> {
    this.decodeSome(Infinity)
    return this.signatures
  }

  /** Reads up to `count` more of the build's stored signatures; whether any are left. */
  private decodeSome (count: number): boolean {
    const stored = this.stored
    if (stored === undefined) return false
    this.decoding ??= stored.read()[Symbol.iterator]()
    for (let read = 0; read < count; read += 1) {
      const next = this.decoding.next()
      if (next.done === true) {
        // Nothing can fail in closing a file only read from.
        stored.close().catch(() => {})
        this.stored = undefined
        this.decoding = undefined
        return false
      }
      this.add(next.value[0], next.value[1])
    }
    return true
  }

  private add (id: string, signature: Uint32Array): void {
    this.signatures.set(id, signature)
    this.added.set(id, this.nextAdded++)
  }

  private addToBuckets (id: string, keys: readonly number[]): void {
    for (const key of keys) {
      const bucket = this.buckets.get(key)
      if (bucket === undefined) this.buckets.set(key, [id])
      else bucket.push(id)
    }
  }
}

/**
 * A text's signature, its words analysed as the index analyses them: the same tokens
 * (scanTokens) and terms per token as a build's term counter (document-terms.ts), so a
 * document put live gets the signature a build gives it.
 */
export function signatureOfText (analyzer: Pick<Analyzer, 'termsAt'>, text: string): Uint32Array | undefined {
  const builder = new SignatureBuilder()
  scanTokens(text, (start, end) => { builder.push(termsHash(analyzer.termsAt(text, start, end))) })
  const out = new Uint32Array(SIGNATURE_BINS)
  return builder.finish(out) === 0 ? undefined : out
}
