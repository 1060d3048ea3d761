/**
 * MiniSearch's radix tree in the index file: written in postorder (`writeTermTree`) and read
 * one node at a time, on first use (`readTermTree`).
 *
 * Rebuilding the whole tree at load meant ~200k Maps and labels for ~100k terms: most of
 * the load's time and garbage, for a dictionary of which a query touches a few dozen
 * nodes. Here the loaded root is a `LazyTreeNode`; a node's edges are decoded the first
 * time MiniSearch asks for any of them (into an ordinary Map of lazy children and lazy
 * term data), after which it is that Map. Lookups, prefix and fuzzy walks, `add` and
 * `discard` all go through the Map methods MiniSearch's SearchableMap uses, so nothing
 * else needs to know.
 *
 * Node record (written in postorder, so a node follows its children): its number of edges, then per edge its label and the distance back to the
 * child's record, or for the empty label (a term ending here) the distance back to the
 * term's postings and their byte length. Distances are relative, so a record needs
 * nothing but its own position.
 */
import { ByteReader, type ByteWriter } from './byte-codec.js'
import type { ByteSource } from './byte-source.js'
import { LazyMap } from './lazy-map.js'
import { LEAF, type TermData, type TreeNode } from './minisearch-internals.js'
import { encodeTermData, LazyTermData } from './term-data.js'
import type { TermTrie } from './term-trie.js'

/** After the tree: the root record's offset (6 bytes, little-endian), then this mark. */
const TRAILER_MARK = Buffer.from('IX', 'latin1')
const OFFSET_BYTES = 6
const TRAILER_BYTES = OFFSET_BYTES + TRAILER_MARK.length

/** Where the tree is written: a writer flushed to the file in pieces, knowing the file position. */
export interface TreeOutput {
  readonly writer: ByteWriter
  /** The file offset the next byte written lands at. */
  readonly position: number
  /** Writes out what the writer holds once it is large. */
  flush: () => Promise<void>
}

interface WrittenEdge {
  label: string
  /** File offset of the child's record, or of the term's postings. */
  at: number
  /** The postings' byte length (term edges only). */
  bytes: number
}

/** Writes the tree under `root`, then the trailer that points to its root record. */
export async function writeTermTree (root: TreeNode, out: TreeOutput): Promise<void> {
  writeTrailer(await writeTree(root, out), out)
}

/**
 * Writes a build's term trie (term-trie.ts) as `writeTermTree` writes the tree MiniSearch
 * makes of the same terms, byte for byte; `writePostings(term, writer)` writes a term's encoded postings.
 */
export async function writeTermTrie (trie: TermTrie, writePostings: (term: number, writer: ByteWriter) => void, out: TreeOutput): Promise<void> {
  interface OpenNode { label: string, written: WrittenEdge[] }
  const stack: OpenNode[] = []
  let rootAt = 0
  for (const step of trie.postorder()) {
    if (step.step === 'enter') {
      stack.push({ label: step.label, written: [] })
      continue
    }
    const node = stack[stack.length - 1] as OpenNode
    if (step.step === 'term') {
      const at = out.position
      writePostings(step.term, out.writer)
      node.written.push({ label: LEAF, at, bytes: out.position - at })
    } else {
      stack.pop()
      const at = writeRecord(node.written, out)
      const parent = stack[stack.length - 1]
      if (parent === undefined) rootAt = at
      else parent.written.push({ label: node.label, at, bytes: 0 })
    }
    await out.flush()
  }
  writeTrailer(rootAt, out)
}

function writeTrailer (rootAt: number, out: TreeOutput): void {
  const trailer = Buffer.alloc(TRAILER_BYTES)
  trailer.writeUIntLE(rootAt, 0, OFFSET_BYTES)
  TRAILER_MARK.copy(trailer, OFFSET_BYTES)
  out.writer.raw(trailer)
}

/**
 * The term tree from `start` to the trailer at the end of `source`, as a lazy root. The root
 * is decoded here, so a file whose tree does not end where its trailer begins is refused at
 * load, not at the first query.
 */
export function readTermTree (source: ByteSource, start: number): TreeNode {
  const end = source.length - TRAILER_BYTES
  if (end < start) throw new Error('unexpected end of data: no trailer')
  const trailer = source.bytesAt(end, TRAILER_BYTES)
  if (!trailer.subarray(OFFSET_BYTES).equals(TRAILER_MARK)) throw new Error('unexpected end of data: no trailer')
  return new TreeSource(source, start, end).root(trailer.readUIntLE(0, OFFSET_BYTES))
}

/**
 * Writes the tree under `root` in postorder, with an explicit stack of edge iterators: no
 * recursion, a flush between edges. Returns the root record's offset.
 */
async function writeTree (root: TreeNode, out: TreeOutput): Promise<number> {
  interface Frame { label: string, edges: Iterator<[string, TreeNode | TermData]>, written: WrittenEdge[] }
  const stack: Frame[] = [{ label: '', edges: root.entries(), written: [] }]
  for (;;) {
    const frame = stack[stack.length - 1] as Frame
    const next = frame.edges.next()
    if (next.done === true) {
      stack.pop()
      const at = writeRecord(frame.written, out)
      await out.flush()
      const parent = stack[stack.length - 1]
      if (parent === undefined) return at
      parent.written.push({ label: frame.label, at, bytes: 0 })
      continue
    }
    const [label, child] = next.value
    if (label === LEAF) {
      const at = out.position
      encodeTermData(out.writer, child as TermData)
      frame.written.push({ label, at, bytes: out.position - at })
      await out.flush()
    } else {
      stack.push({ label, edges: (child as TreeNode).entries(), written: [] })
      if (stack.length > 1000) throw new Error('term tree too deep')
    }
  }
}

/** Writes a node's record, whose edges are written before it; returns its offset. */
function writeRecord (written: readonly WrittenEdge[], out: TreeOutput): number {
  const at = out.position
  out.writer.uint(written.length)
  for (const edge of written) {
    out.writer.string(edge.label)
    out.writer.uint(at - edge.at)
    if (edge.label === LEAF) out.writer.uint(edge.bytes)
  }
  return at
}

type Edge = TreeNode | TermData

/**
 * A record is read in a window of this many bytes from its start, a larger one when it runs
 * past it (the root, a node of many edges): most records are a few edges, tens of bytes.
 */
const RECORD_WINDOW_BYTES = 1024

/** The term tree of one index file, and what its nodes share. */
export class TreeSource {
  private readonly labels = new LabelCache()

  /** `start`..`end`: the tree's records (nothing outside it is read). */
  constructor (readonly source: ByteSource, readonly start: number, readonly end: number) {}

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
    for (let window = RECORD_WINDOW_BYTES; ; window *= 16) {
      const length = Math.min(window, this.end - at)
      try {
        return this.source.withBytes(at, length, bytes => this.decodeRecord(bytes, at))
      } catch (error) {
        // A record cut by the window reads past its end; one cut by the tree's end is malformed.
        if (length === this.end - at) throw error
      }
    }
  }

  /** The record at `at`, whose bytes from its start are `bytes`. */
  private decodeRecord (bytes: Buffer, at: number): { edges: Map<string, Edge>, end: number } {
    const reader = new ByteReader(bytes)
    const count = reader.uint()
    const edges = new Map<string, Edge>()
    for (let i = 0; i < count; i += 1) {
      const label = this.labels.read(reader)
      const target = at - reader.uint()
      if (label === LEAF) {
        const length = reader.uint()
        if (target < this.start || target + length > at) throw new Error('malformed term tree: postings out of place')
        edges.set(LEAF, LazyTermData.fromSource(this.source, target, target + length))
      } else {
        if (target < this.start || target >= at) throw new Error('malformed term tree: a child out of place')
        edges.set(label, new LazyTreeNode(this, target))
      }
    }
    return { edges, end: at + reader.position }
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

  /** Whether a query (or anything else) has read the node: its edges are then held. */
  get isDecoded (): boolean {
    return this.map !== undefined
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
