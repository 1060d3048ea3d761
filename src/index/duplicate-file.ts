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
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { ByteReader, ByteWriter } from './byte-codec.js'
import { AppendWriter, type FileDigest } from './durable-fs.js'
import { DuplicateIndex } from './duplicate-index.js'
import { SIGNATURE_BINS } from './near-duplicates.js'

export const DUPLICATES_FILE = 'duplicates.bin'
const MAGIC = Buffer.from('POISKDP\n', 'latin1')
const SLICE_MS = 8

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
 * misread file). Reads in slices of `SLICE_MS` between turns of the event loop: a server
 * loads it while it answers /health (200,000 signatures took half a second in one piece).
 */
export async function readDuplicatesFile (path: string): Promise<DuplicateIndex> {
  const reader = new ByteReader(await readFile(path))
  if (!reader.bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a duplicates file')
  reader.skip(MAGIC.length)
  const bins = reader.uint()
  if (bins !== SIGNATURE_BINS) throw new Error(`signatures of ${bins} bins, this poisk uses ${SIGNATURE_BINS}`)
  const count = reader.uint()
  const signatures: Array<[string, Uint32Array]> = []
  const groups = new Map<number, string[]>()
  let sliceStart = performance.now()
  for (let at = 0; at < count; at += 1) {
    if (at % 256 === 0 && performance.now() - sliceStart >= SLICE_MS) {
      await yieldToEventLoop()
      sliceStart = performance.now()
    }
    const id = reader.string()
    const signature = new Uint32Array(SIGNATURE_BINS)
    for (let bin = 0; bin < SIGNATURE_BINS; bin += 1) signature[bin] = reader.uint32()
    signatures.push([id, signature])
    const group = reader.uint()
    if (group === 0) continue
    const members = groups.get(group)
    if (members === undefined) groups.set(group, [id])
    else members.push(id)
  }
  if (!reader.done) throw new Error('trailing bytes after the last signature')
  return await DuplicateIndex.ofSliced(signatures, groups.values(), async () => {
    if (performance.now() - sliceStart < SLICE_MS) return
    await yieldToEventLoop()
    sliceStart = performance.now()
  })
}
