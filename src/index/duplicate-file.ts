/**
 * duplicates.bin: a build's near-duplicate signatures and groups (duplicate-index.ts).
 *
 *   "POISKDP\n", then varints (byte-codec.ts): the bins per signature; the count of
 *   documents with a signature; per document its id, its bins as u32 LE, and its group's
 *   number + 1 (0: no copies). Groups list their members in this order.
 *
 * Signatures are kept, not only groups, so that live changes can find a new document's copies.
 */
import { readFile } from 'node:fs/promises'
import { ByteReader, ByteWriter } from './byte-codec.js'
import { AppendWriter, type FileDigest } from './durable-fs.js'
import { DuplicateIndex } from './duplicate-index.js'
import { SIGNATURE_BINS } from './near-duplicates.js'
import { timeSlicer } from './time-slicer.js'

export const DUPLICATES_FILE = 'duplicates.bin'
const MAGIC = Buffer.from('POISKDP\n', 'latin1')

export async function writeDuplicatesFile (path: string, duplicates: DuplicateIndex): Promise<FileDigest> {
  const groupNumber = new Map<string, number>()
  duplicates.groups().forEach((members, at) => { for (const id of members) groupNumber.set(id, at + 1) })
  const entries = [...duplicates.entries()]
  const writer = new ByteWriter()
  writer.raw(MAGIC)
  writer.uint(SIGNATURE_BINS)
  writer.uint(entries.length)
  for (const [id, signature] of entries) {
    writer.string(id)
    for (const value of signature) writer.uint32(value)
    writer.uint(groupNumber.get(id) ?? 0)
  }
  const out = await AppendWriter.create(path)
  try {
    await out.appendBytes(writer.view())
  } catch (error) {
    await out.abandon()
    throw error
  }
  return await out.close()
}

/**
 * Throws on a file of another shape (the manifest's checksum has passed by then: a foreign or
 * misread file). Only the groups are read now: the ids of grouped documents, the others'
 * skipped. The signatures stay in the file's bytes until a live change needs them
 * (`DuplicateIndex.ofStored`); decoding them at load allocated 800,000 typed arrays at
 * 800,000 documents, and the collections that followed held the event loop 115–156 ms at a
 * time while the server loaded. Works in slices (time-slicer.ts).
 */
export async function readDuplicatesFile (path: string): Promise<DuplicateIndex> {
  const reader = new ByteReader(await readFile(path))
  if (!reader.bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a duplicates file')
  reader.skip(MAGIC.length)
  const bins = reader.uint()
  if (bins !== SIGNATURE_BINS) throw new Error(`signatures of ${bins} bins, this poisk uses ${SIGNATURE_BINS}`)
  const count = reader.uint()
  const first = reader.position
  const groups = new Map<number, string[]>()
  const slicer = timeSlicer()
  for (let at = 0; at < count; at += 1) {
    if (at % 1024 === 0) await slicer()
    const idStart = reader.position
    reader.skip(reader.uint())
    const idEnd = reader.position
    reader.skip(SIGNATURE_BINS * 4)
    const group = reader.uint()
    if (group === 0) continue
    const id = new ByteReader(reader.bytes, idStart, idEnd).string()
    const members = groups.get(group)
    if (members === undefined) groups.set(group, [id])
    else members.push(id)
  }
  if (!reader.done) throw new Error('trailing bytes after the last signature')
  return DuplicateIndex.ofStored(() => storedSignatures(reader.bytes, first, count), groups.values())
}

/**
 * The `count` signatures from `position` of a duplicates file's bytes, with their ids (already
 * checked by `readDuplicatesFile`): views of one array, as 800,000 arrays of their own took
 * twice as long to make (each its own buffer for the collector to track).
 */
function * storedSignatures (bytes: Buffer, position: number, count: number): Generator<[string, Uint32Array]> {
  const reader = new ByteReader(bytes, position)
  const bins = new Uint32Array(count * SIGNATURE_BINS)
  for (let at = 0; at < count; at += 1) {
    const id = reader.string()
    const signature = bins.subarray(at * SIGNATURE_BINS, (at + 1) * SIGNATURE_BINS)
    for (let bin = 0; bin < SIGNATURE_BINS; bin += 1) signature[bin] = reader.uint32()
    reader.uint()
    yield [id, signature]
  }
}
