/**
 * The on-disk form of a MiniSearch index: a compact binary file read straight into
 * MiniSearch's maps. Layout (varints and length-prefixed UTF-8, see byte-codec.ts):
 *
 *   "POISKIX\n"                       magic
 *   string  header JSON               counts, field ids, average field lengths
 *   per document:  shortId, id, field count, (length + 1 | 0 when absent) per field, stored-fields JSON
 *   term tree:     MiniSearch's radix tree in preorder: per node its number of edges, then per
 *                  edge its label and either the child node or, for the empty label (a term
 *                  ending here), the byte length of the term's postings and the postings
 *
 * Saving the tree itself, not a term list, makes loading cheap (no key comparisons, no node
 * splits: inserting ~100k terms was most of the load time) and gives the loaded dictionary
 * exactly the built one's order, which MiniSearch's prefix and fuzzy matches follow.
 *
 * Why not MiniSearch's JSON: its object-per-posting form took 35 MB for the RT corpus
 * (this one ~8 MB), `JSON.stringify` of a whole index fails past V8's ~512 MiB string limit,
 * and parsing it blocked the event loop for seconds. Here nothing is one string, posting
 * lists stay encoded until a query needs them (term-data.ts), and the reader yields to the
 * event loop every few milliseconds.
 */
import { readFile } from 'node:fs/promises'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type MiniSearch from 'minisearch'
import type { Options } from 'minisearch'
import { ByteReader, ByteWriter } from './byte-codec.js'
import { AppendWriter } from './durable-fs.js'
import { LEAF, miniSearchFromCore, setTermTree, stateOf, type IndexCore, type TermData, type TreeNode } from './minisearch-internals.js'
import { encodeTermData, LazyTermData } from './term-data.js'

export const INDEX_FILE = 'index.bin'
const MAGIC = Buffer.from('POISKIX\n', 'latin1')
/** Written out in pieces of about this size. */
const FLUSH_BYTES = 1 << 20
/** The reader works at most this long between yields to the event loop. */
const SLICE_MS = 8

interface Header {
  serializationVersion: 2
  documentCount: number
  nextId: number
  fieldIds: Record<string, number>
  averageFieldLength: number[]
  dirtCount: number
  documents: number
  terms: number
}

export async function writeIndexFile<T> (path: string, miniSearch: MiniSearch<T>): Promise<{ bytes: number, sha256: string }> {
  const state = stateOf(miniSearch)
  const out = await AppendWriter.create(path)
  const writer = new ByteWriter(FLUSH_BYTES * 2)
  const flush = async (force = false): Promise<void> => {
    if (!force && writer.length < FLUSH_BYTES) return
    await out.appendBytes(writer.view())
    writer.reset()
  }
  try {
    let terms = 0
    for (const _ of state._index) terms += 1
    const header: Header = {
      serializationVersion: 2,
      documentCount: state._documentCount,
      nextId: state._nextId,
      fieldIds: state._fieldIds,
      averageFieldLength: state._avgFieldLength,
      dirtCount: state._dirtCount,
      documents: state._documentIds.size,
      terms
    }
    writer.raw(MAGIC)
    writer.string(JSON.stringify(header))
    for (const [shortId, id] of state._documentIds) {
      if (typeof id !== 'string') throw new Error(`document id ${String(id)} is not a string`)
      writer.uint(shortId)
      writer.string(id)
      const lengths = state._fieldLength.get(shortId) ?? []
      writer.uint(lengths.length)
      for (let field = 0; field < lengths.length; field += 1) {
        const length = lengths[field]
        writer.uint(length === undefined ? 0 : length + 1)
      }
      const stored = state._storedFields.get(shortId)
      writer.string(stored === undefined ? '' : JSON.stringify(stored))
      await flush()
    }
    const data = new ByteWriter()
    // Preorder, with an explicit stack of edge iterators: no recursion, a flush between edges.
    const stack: Array<Iterator<[string, TreeNode | TermData]>> = []
    const enter = (node: TreeNode): void => {
      writer.uint(node.size)
      stack.push(node.entries())
    }
    enter(state._index._tree)
    while (stack.length > 0) {
      const next = (stack[stack.length - 1] as Iterator<[string, TreeNode | TermData]>).next()
      if (next.done === true) {
        stack.pop()
        continue
      }
      const [label, child] = next.value
      writer.string(label)
      if (label === LEAF) {
        data.reset()
        encodeTermData(data, child as TermData)
        writer.uint(data.length)
        writer.raw(data.view())
      } else {
        enter(child as TreeNode)
      }
      await flush()
    }
    await flush(true)
  } catch (error) {
    await out.abandon()
    throw error
  }
  return await out.close()
}

/** Reads an index file into a MiniSearch with `options`, yielding to the event loop as it goes. */
export async function readIndexFile<T> (path: string, options: Options<T>): Promise<MiniSearch<T>> {
  const bytes = await readFile(path)
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a poisk index file')
  const reader = new ByteReader(bytes, MAGIC.length)
  const header = JSON.parse(reader.string()) as Header
  if (header.serializationVersion !== 2) throw new Error(`unknown serialization version ${String(header.serializationVersion)}`)
  const slicer = timeSlicer()
  const core: IndexCore<T> = {
    documentCount: header.documentCount,
    nextId: header.nextId,
    documentIds: new Map(),
    idToShortId: new Map(),
    fieldLength: new Map(),
    averageFieldLength: header.averageFieldLength,
    storedFields: new Map(),
    dirtCount: header.dirtCount
  }
  for (let i = 0; i < header.documents; i += 1) {
    const shortId = reader.uint()
    const id = reader.string()
    core.documentIds.set(shortId, id)
    // Built here, in slices, rather than in one loop over every document afterwards.
    core.idToShortId?.set(id, shortId)
    const fields = reader.uint()
    const lengths: number[] = []
    for (let field = 0; field < fields; field += 1) {
      const length = reader.uint()
      if (length > 0) lengths[field] = length - 1
    }
    core.fieldLength.set(shortId, lengths)
    const stored = reader.string()
    if (stored !== '') core.storedFields.set(shortId, JSON.parse(stored) as Partial<T>)
    if (i % 256 === 0) await slicer()
  }
  const miniSearch = miniSearchFromCore(core, options)
  if (JSON.stringify(stateOf(miniSearch)._fieldIds) !== JSON.stringify(header.fieldIds)) throw new Error('the index was built with other fields')
  const root: TreeNode = new Map()
  // The path from the root to the node being filled, with each node's edges still to read.
  const nodes: TreeNode[] = [root]
  const edges: number[] = [reader.uint()]
  const labels = new LabelCache()
  let terms = 0
  for (let step = 0; nodes.length > 0; step += 1) {
    const depth = nodes.length - 1
    if (edges[depth] === 0) {
      nodes.pop()
      edges.pop()
      continue
    }
    edges[depth] = (edges[depth] as number) - 1
    const node = nodes[depth] as TreeNode
    const label = labels.read(reader)
    if (label === LEAF) {
      const length = reader.uint()
      const start = reader.position
      reader.skip(length)
      node.set(LEAF, LazyTermData.fromBytes(bytes, start, start + length))
      terms += 1
    } else {
      const child: TreeNode = new Map()
      node.set(label, child)
      nodes.push(child)
      edges.push(reader.uint())
      if (nodes.length > 1000) throw new Error('malformed term tree')
    }
    if (step % 256 === 0) await slicer()
  }
  if (terms !== header.terms) throw new Error(`the term tree holds ${terms} terms, the header says ${header.terms}`)
  setTermTree(miniSearch, root)
  if (!reader.done) throw new Error('data after the last term')
  return miniSearch
}

/**
 * Reads tree labels, sharing one string per distinct short label: the lower levels of the
 * tree repeat a few hundred endings («а», «ов», «ени») tens of thousands of times, and a
 * fresh string for each was much of the load's garbage.
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

/** Resolves at once while the current slice of work is short, else after a yield to the event loop. */
function timeSlicer (): () => Promise<void> {
  let sliceStart = performance.now()
  return async () => {
    if (performance.now() - sliceStart < SLICE_MS) return
    await yieldToEventLoop()
    sliceStart = performance.now()
  }
}
