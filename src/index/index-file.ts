/**
 * The on-disk form of a MiniSearch index: a compact binary file read straight into
 * MiniSearch's maps. Layout (varints and length-prefixed UTF-8, see byte-codec.ts):
 *
 *   "POISKIX\n"                       magic
 *   string  header JSON               counts, field ids, average field lengths
 *   stored-field tables               keys, repeated strings, text columns (stored-fields-codec.ts)
 *   per document:  shortId, id, field count, (length + 1 | 0 when absent) per field, stored fields
 *   form table:    each term's word forms as keys, for snippets (form-table.ts)
 *   term tree:     MiniSearch's radix tree in postorder (a node's postings and children before
 *                  the node's own record, which points back to them), then a trailer: the
 *                  root record's offset (6 bytes, little-endian) and "IX" (term-tree.ts)
 *
 * Saving the tree itself, not a term list, keeps the loaded dictionary exactly the built
 * one's order, which MiniSearch's prefix and fuzzy matches follow; saving it so that any
 * node can be read on its own lets loading skip it altogether: the loaded root is decoded
 * when first used, and each node below it when a query first reaches it (rebuilding ~200k
 * Maps at load was most of its time and garbage).
 *
 * Why not MiniSearch's JSON: its object-per-posting form took 35 MB for the RT corpus
 * (this one ~12 MB), `JSON.stringify` of a whole index fails past V8's ~512 MiB string limit,
 * and parsing it blocked the event loop for seconds. Here nothing is one string, posting
 * lists stay encoded until a query needs them (term-data.ts), and the reader yields to the
 * event loop every few milliseconds.
 */
import { readFile } from 'node:fs/promises'
import type MiniSearch from 'minisearch'
import type { Options } from 'minisearch'
import { ByteReader, ByteWriter } from './byte-codec.js'
import { FileBytes } from './byte-source.js'
import { AppendWriter, type FileDigest } from './durable-fs.js'
import { readTermTree, writeTermTree, type TreeOutput } from './term-tree.js'
import { FormTable, type FormCollector } from './form-table.js'
import { StoredFieldsDecoder, StoredFieldsEncoder } from './stored-fields-codec.js'
import { expectInternals, miniSearchFromCore, setTermTree, treeRootOf, type IndexCore } from './minisearch-internals.js'
import { timeSlicer } from './time-slicer.js'
import { mixHash, SharedArrays } from './shared-arrays.js'
import { DocumentIdsTable, LoadedDocumentIds, ShortIdsTable } from './document-id-table.js'
import { StoredFieldsTable } from './stored-fields-table.js'
import { FieldLengthsTable, LoadedFieldLengths } from './field-lengths-table.js'
import { HOT_STORED_FIELDS } from './minisearch-options.js'

export const INDEX_FILE = 'index.bin'
const MAGIC = Buffer.from('POISKIX\n', 'latin1')
/** Written out in pieces of about this size. */
const FLUSH_BYTES = 1 << 20

/** The file's own header. Its format is the build's (INDEX_FORMAT_VERSION in the manifest): no version of its own. */
interface Header {
  documentCount: number
  nextId: number
  fieldIds: Record<string, number>
  averageFieldLength: number[]
  dirtCount: number
  documents: number
  terms: number
}

export interface LoadedIndex<T> {
  miniSearch: MiniSearch<T>
  forms: FormTable
  /** The file the term tree and postings are read from as queries reach them: close it once no search can. */
  termFile: FileBytes
}

/** A term tree written by its own means (index-builder.ts's `BuiltIndex`) rather than from MiniSearch's. */
export interface TermTreeSource {
  readonly termCount: number
  writeTree: (out: TreeOutput) => Promise<void>
}

/**
 * `forms`: the build's form table (form-table.ts), written between the documents and the
 * term tree. `terms`: where the term tree comes from, if not from `miniSearch`'s own.
 */
export async function writeIndexFile<T> (path: string, miniSearch: MiniSearch<T>, forms: Pick<FormCollector, 'write'>, terms?: TermTreeSource): Promise<FileDigest> {
  const state = expectInternals(miniSearch)
  const out = new ChunkedOutput(await AppendWriter.create(path))
  const writer = out.writer
  try {
    const header: Header = {
      documentCount: state.documentCount,
      nextId: state.nextId,
      fieldIds: state.fieldIds,
      averageFieldLength: state.averageFieldLength,
      dirtCount: state.dirtCount,
      documents: state.documentIds.size,
      terms: terms?.termCount ?? countTerms(state.termTree)
    }
    writer.raw(MAGIC)
    writer.string(JSON.stringify(header))
    const storedFields = new StoredFieldsEncoder([...state.documentIds.keys()].map(shortId => state.storedFields.get(shortId)))
    storedFields.writeTables(writer)
    for (const [shortId, id] of state.documentIds) {
      if (typeof id !== 'string') throw new Error(`document id ${String(id)} is not a string`)
      writer.uint(shortId)
      writer.string(id)
      const lengths = state.fieldLength.get(shortId) ?? []
      writer.uint(lengths.length)
      for (let field = 0; field < lengths.length; field += 1) {
        const length = lengths[field]
        writer.uint(length === undefined ? 0 : length + 1)
      }
      storedFields.write(writer, state.storedFields.get(shortId))
      await out.flush()
    }
    forms.write(writer)
    await out.flush()
    if (terms === undefined) await writeTermTree(treeRootOf(state.termTree), out)
    else await terms.writeTree(out)
    await out.flush(true)
  } catch (error) {
    await out.file.abandon()
    throw error
  }
  return await out.file.close()
}

function countTerms (tree: Iterable<unknown>): number {
  let terms = 0
  for (const _ of tree) terms += 1
  return terms
}

/** A ByteWriter emptied into a file in pieces, knowing the file position of what it holds. */
class ChunkedOutput implements TreeOutput {
  readonly writer = new ByteWriter(FLUSH_BYTES * 2)
  private written = 0

  constructor (readonly file: AppendWriter) {}

  /** The file offset the next byte written lands at. */
  get position (): number {
    return this.written + this.writer.length
  }

  async flush (force = false): Promise<void> {
    if (!force && this.writer.length < FLUSH_BYTES) return
    await this.file.appendBytes(this.writer.view())
    this.written += this.writer.length
    this.writer.reset()
  }
}

/**
 * A document's field lengths as MiniSearch keeps them (an array by field id, with a hole
 * where a field is absent), read from `reader` (count, then each length + 1, 0 for absent),
 * shared with every document of the same lengths (shared-arrays.ts). MiniSearch writes a
 * document's lengths only while adding it, into an array of its own, and only reads them after.
 */
function readFieldLengths (reader: ByteReader, shared: SharedArrays<number>): number[] {
  // Sized up front (a grown array keeps room for 17), with holes where a field is absent, as MiniSearch leaves them.
  const lengths = new Array<number>(reader.uint())
  let hash = lengths.length
  for (let field = 0; field < lengths.length; field += 1) {
    const length = reader.uint()
    hash = mixHash(hash, length)
    if (length > 0) lengths[field] = length - 1
  }
  return shared.shared(lengths, hash)
}

/**
 * Reads an index file into a MiniSearch with `options`, yielding to the event loop as it goes.
 * The documents and the form table are read into memory; the term tree and its postings stay
 * in the file, read as queries reach them (byte-source.ts), so the file's bytes read here are
 * dropped after the load.
 */
export async function readIndexFile<T> (path: string, options: Options<T>): Promise<LoadedIndex<T>> {
  const termFile = await FileBytes.open(path)
  try {
    return await readIndexFileWithTerms(path, options, termFile)
  } catch (error) {
    await termFile.close()
    throw error
  }
}

async function readIndexFileWithTerms<T> (path: string, options: Options<T>, termFile: FileBytes): Promise<LoadedIndex<T>> {
  const bytes = await readFile(path)
  // Opened first, so that both are the same file (a build's files are never rewritten in place).
  if (bytes.length !== termFile.length) throw new Error(`the file changed while it was read (${termFile.length} then ${bytes.length} bytes)`)
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a poisk index file')
  const reader = new ByteReader(bytes, MAGIC.length)
  // Builds of format 6 made before this also hold `serializationVersion: 4`, unread: the manifest's version says what the file is.
  const header = JSON.parse(reader.string()) as Header
  const slicer = timeSlicer()
  const loadedFields = StoredFieldsDecoder.readTables(reader, termFile).loadedFields(header.nextId, HOT_STORED_FIELDS)
  const sharedLengths = new SharedArrays<number>()
  await slicer()
  const ids = new LoadedDocumentIds(header.nextId, header.documents)
  const lengths = new LoadedFieldLengths(header.nextId)
  const core: IndexCore<T> = {
    documentCount: header.documentCount,
    nextId: header.nextId,
    documentIds: new DocumentIdsTable(ids),
    idToShortId: new ShortIdsTable(ids),
    fieldLength: new FieldLengthsTable(lengths),
    averageFieldLength: header.averageFieldLength,
    storedFields: new StoredFieldsTable(loadedFields),
    dirtCount: header.dirtCount
  }
  for (let i = 0; i < header.documents; i += 1) {
    const shortId = reader.uint()
    ids.add(shortId, reader.string())
    lengths.add(shortId, readFieldLengths(reader, sharedLengths))
    loadedFields.read(reader, shortId)
    if (i % 32 === 0) await slicer()
  }
  loadedFields.loaded()
  ids.loaded()
  const forms = FormTable.read(reader, termFile)
  const miniSearch = miniSearchFromCore(core, options)
  if (JSON.stringify(expectInternals(miniSearch).fieldIds) !== JSON.stringify(header.fieldIds)) throw new Error('the index was built with other fields')
  setTermTree(miniSearch, readTermTree(termFile, reader.position))
  return { miniSearch, forms, termFile }
}

