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
import { FileBytes, type ByteSource } from './byte-source.js'
import { AppendWriter, type FileDigest } from './durable-fs.js'
import { DuplicateIndex } from './duplicate-index.js'
import { SIGNATURE_BINS } from './near-duplicates.js'
import { timeSlicer } from './time-slicer.js'

export const DUPLICATES_FILE = 'duplicates.bin'
const MAGIC = Buffer.from('POISKDP\n', 'latin1')

/**
 * The file is written in pieces of about this many bytes: whole, at 800,000 documents it was a
 * buffer of 220 MB, doubled as it grew and copied once more to be written, at a build's peak.
 */
const WRITTEN_AT_ONCE = 4 << 20

export async function writeDuplicatesFile (path: string, duplicates: DuplicateIndex): Promise<FileDigest> {
  const groupNumber = new Map<string, number>()
  duplicates.groups().forEach((members, at) => { for (const id of members) groupNumber.set(id, at + 1) })
  const writer = new ByteWriter(WRITTEN_AT_ONCE * 2)
  writer.raw(MAGIC)
  writer.uint(SIGNATURE_BINS)
  writer.uint(duplicates.size)
  const out = await AppendWriter.create(path)
  try {
    for (const [id, signature] of duplicates.entries()) {
      writer.string(id)
      for (const value of signature) writer.uint32(value)
      writer.uint(groupNumber.get(id) ?? 0)
      if (writer.length < WRITTEN_AT_ONCE) continue
      await out.appendBytes(writer.view())
      writer.reset()
    }
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
 * skipped. The signatures stay in the file until a live change needs them
 * (`DuplicateIndex.ofStored`): decoding them at load allocated 800,000 typed arrays at
 * 800,000 documents, and the collections that followed held the event loop 115–156 ms at a
 * time while the server loaded; keeping the file's bytes for them held 220 MB a server that
 * takes no live change never reads. Works in slices (time-slicer.ts).
 */
export async function readDuplicatesFile (path: string): Promise<DuplicateIndex> {
  const file = await FileBytes.open(path)
  try {
    const { first, count, groups } = await readGroups(await readFile(path))
    if (file.length !== first.fileLength) throw new Error(`the file changed while it was read (${file.length} then ${first.fileLength} bytes)`)
    return DuplicateIndex.ofStored({ read: () => storedSignatures(file, first.position, count), close: async () => await file.close() }, groups.values())
  } catch (error) {
    await file.close()
    throw error
  }
}

/** The groups of a duplicates file's `bytes`, and where its signatures start. */
async function readGroups (bytes: Buffer): Promise<{ first: { position: number, fileLength: number }, count: number, groups: Map<number, string[]> }> {
  const reader = new ByteReader(bytes)
  if (!reader.bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a duplicates file')
  reader.skip(MAGIC.length)
  const bins = reader.uint()
  if (bins !== SIGNATURE_BINS) throw new Error(`signatures of ${bins} bins, this poisk uses ${SIGNATURE_BINS}`)
  const count = reader.uint()
  const first = { position: reader.position, fileLength: bytes.length }
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
  return { first, count, groups }
}

/** Bytes of the duplicates file read at a time while its signatures are decoded. */
const SIGNATURES_READ_BYTES = 1 << 20

/**
 * The `count` signatures from `position` of a duplicates file (already checked by
 * `readDuplicatesFile`), read from it a megabyte at a time: views of one array, as 800,000
 * arrays of their own took twice as long to make (each its own buffer for the collector to track).
 */
function * storedSignatures (file: ByteSource, position: number, count: number): Generator<[string, Uint32Array]> {
  const bins = new Uint32Array(count * SIGNATURE_BINS)
  let windowStart = position
  let reader = new ByteReader(Buffer.alloc(0))
  for (let at = 0; at < count; at += 1) {
    const signature = bins.subarray(at * SIGNATURE_BINS, (at + 1) * SIGNATURE_BINS)
    const recordStart = reader.position
    let id: string
    try {
      id = readSignature(reader, signature)
    } catch {
      // The record runs past the window (the first: the window is empty): read on from its start.
      // A record that fails in a new window is malformed, and throws from there.
      windowStart += recordStart
      reader = new ByteReader(file.bytesAt(windowStart, Math.min(SIGNATURES_READ_BYTES, file.length - windowStart)))
      id = readSignature(reader, signature)
    }
    yield [id, signature]
  }
}

/** One record's id; its bins are read into `signature`, its group skipped. */
function readSignature (reader: ByteReader, signature: Uint32Array): string {
  const id = reader.string()
  for (let bin = 0; bin < SIGNATURE_BINS; bin += 1) signature[bin] = reader.uint32()
  reader.uint()
  return id
}
