/**
 * MiniSearch's radix tree read from the index file one node at a time, on first use.
 *
 * Rebuilding the whole tree at load meant ~200k Maps and labels for ~100k terms: most of
 * the load's time and garbage, for a dictionary of which a query touches a few dozen
 * nodes. Here the loaded root is a `LazyTreeNode`; a node's edges are decoded the first
 * time MiniSearch asks for any of them (into an ordinary Map of lazy children and lazy
 * term data), after which it is that Map. Lookups, prefix and fuzzy walks, `add` and
 * `discard` all go through the Map methods MiniSearch's SearchableMap uses, so nothing
 * else needs to know.
 *
 * Node record (index-file.ts writes the tree in postorder, so a node follows its
 * children): its number of edges, then per edge its label and the distance back to the
 * child's record, or for the empty label (a term ending here) the distance back to the
 * term's postings and their byte length. Distances are relative, so a record needs
 * nothing but its own position.
 */
import { ByteReader } from './byte-codec.js'
import { LazyMap } from './lazy-map.js'
import { LEAF, type TermData, type TreeNode } from './minisearch-internals.js'
import { LazyTermData } from './term-data.js'

type Edge = TreeNode | TermData

/** The bytes of one index file's term tree, and what its nodes share. */
export class TreeSource {
  private readonly labels = new LabelCache()

  /** `start`..`end`: the tree's records (nothing outside it is read). */
  constructor (readonly bytes: Buffer, readonly start: number, readonly end: number) {}

  /** The node whose record starts at `at`, decoded on first use. */
  node (at: number): LazyTreeNode {
    return new LazyTreeNode(this, at)
  }

  /** The root, whose record must end where the tree does: decoded now, so a damaged tree is refused at once. */
  root (at: number): LazyTreeNode {
    const { edges, end } = this.decode(at)
    if (end !== this.end) throw new Error('malformed term tree: the root record does not end the tree')
    return new LazyTreeNode(this, at, edges)
  }

  /** Decodes the record at `at` into a Map of its edges; returns it and where the record ends. */
  decode (at: number): { edges: Map<string, Edge>, end: number } {
    if (at < this.start || at >= this.end) throw new Error(`malformed term tree: no node at ${at}`)
    const reader = new ByteReader(this.bytes, at, this.end)
    const count = reader.uint()
    const edges = new Map<string, Edge>()
    for (let i = 0; i < count; i += 1) {
      const label = this.labels.read(reader)
      const target = at - reader.uint()
      if (label === LEAF) {
        const length = reader.uint()
        if (target < this.start || target + length > at) throw new Error('malformed term tree: postings out of place')
        edges.set(LEAF, LazyTermData.fromBytes(this.bytes, target, target + length))
      } else {
        if (target < this.start || target >= at) throw new Error('malformed term tree: a child out of place')
        edges.set(label, new LazyTreeNode(this, target))
      }
    }
    return { edges, end: reader.position }
  }
}

/**
 * A radix-tree node that is a Map to MiniSearch (a `LazyMap`), its edges decoded from the
 * index file when MiniSearch first reaches it.
 */
export class LazyTreeNode extends LazyMap<string, Edge> {
  private map: Map<string, Edge> | undefined
  private source: TreeSource | undefined

  constructor (source: TreeSource, private readonly at: number, edges?: Map<string, Edge>) {
    super()
    this.source = edges === undefined ? source : undefined
    this.map = edges
  }

  protected decoded (): Map<string, Edge> {
    if (this.map !== undefined) return this.map
    const source = this.source as TreeSource
    this.map = source.decode(this.at).edges
    this.source = undefined
    return this.map
  }
}

/**
 * Reads tree labels, sharing one string per distinct short label: the lower levels of the
 * tree repeat a few hundred endings («а», «ов», «ени») tens of thousands of times.
 */
class LabelCache {
  private readonly short = new Map<number, string>()

  read (reader: ByteReader): string {
    const size = reader.uint()
    const start = reader.position
    reader.skip(size)
    if (size > 6) return reader.bytes.toString('utf8', start, start + size)
    let key = size // the length, then up to 6 bytes: unique below 2^51
    for (let i = start; i < start + size; i += 1) key = key * 256 + (reader.bytes[i] as number)
    let label = this.short.get(key)
    if (label === undefined) this.short.set(key, label = reader.bytes.toString('utf8', start, start + size))
    return label
  }
}
