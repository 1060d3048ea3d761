/**
 * The on-disk form of a MiniSearch index: NDJSON, one header line and then sections in
 * chunks of a few thousand entries a line.
 *
 * Not one JSON string, for two reasons measured on MiniSearch: `JSON.stringify` of a
 * whole index fails past V8's ~512 MiB string limit (about 130k news articles), and
 * `JSON.parse` of a large index blocks the event loop for over a second. Line by line, with
 * a yield between lines, the longest stall is one chunk's parse.
 */
import { createReadStream } from 'node:fs'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { AsPlainObject } from 'minisearch'
import { AppendWriter } from './durable-fs.js'
import { readLines } from '../corpus/read-lines.js'

export const INDEX_FILE = 'index.ndjson'
const CHUNK = 2000
/**
 * A line is also cut at about this many bytes: a posting list of a common word is large,
 * and 2000 of them made lines of 1 MB whose parse stalled the event loop ~70 ms on the RT
 * corpus. At 64 KiB a line parses in a few ms.
 */
const LINE_BYTES = 64 * 1024

type Header = Omit<AsPlainObject, 'documentIds' | 'fieldLength' | 'storedFields' | 'index'>
type Section = 'documentIds' | 'fieldLength' | 'storedFields' | 'index'
type Chunk = { section: Section, entries: unknown[] }

export async function writeIndexFile (path: string, index: AsPlainObject): Promise<{ bytes: number, sha256: string }> {
  const { documentIds, fieldLength, storedFields, index: terms, ...header } = index
  const writer = await AppendWriter.create(path)
  try {
    await writer.append(`${JSON.stringify(header)}\n`)
    await writeSection(writer, 'documentIds', Object.entries(documentIds))
    await writeSection(writer, 'fieldLength', Object.entries(fieldLength))
    await writeSection(writer, 'storedFields', Object.entries(storedFields))
    await writeSection(writer, 'index', terms)
  } catch (error) {
    await writer.abandon()
    throw error
  }
  return await writer.close()
}

async function writeSection (writer: AppendWriter, section: Section, entries: unknown[]): Promise<void> {
  const head = `{"section":${JSON.stringify(section)},"entries":[`
  let parts: string[] = []
  let bytes = 0
  const flush = async (): Promise<void> => {
    if (parts.length === 0) return
    await writer.append(`${head}${parts.join(',')}]}\n`)
    parts = []
    bytes = 0
  }
  for (const entry of entries) {
    const json = JSON.stringify(entry)
    if (parts.length > 0 && (parts.length >= CHUNK || bytes + json.length > LINE_BYTES)) await flush()
    parts.push(json)
    bytes += json.length + 1
  }
  await flush()
}

/** Reads an index file back into MiniSearch's plain-object form, yielding between lines. */
export async function readIndexFile (path: string): Promise<AsPlainObject> {
  let header: Header | undefined
  const sections: Record<Section, unknown[]> = { documentIds: [], fieldLength: [], storedFields: [], index: [] }
  for await (const line of readLines(createReadStream(path, { highWaterMark: 1 << 20 }))) {
    if ('error' in line) throw new Error(`line ${line.number} is not valid UTF-8`)
    if (line.text === '') continue
    const parsed = JSON.parse(line.text) as Header | Chunk
    if (header === undefined) {
      header = parsed as Header
    } else {
      const { section, entries } = parsed as Chunk
      if (!(section in sections)) throw new Error(`line ${line.number}: unknown section ${String(section)}`)
      for (const entry of entries) sections[section].push(entry)
    }
    await yieldToEventLoop()
  }
  if (header === undefined) throw new Error('the index file is empty')
  return {
    ...header,
    documentIds: Object.fromEntries(sections.documentIds as Array<[string, unknown]>),
    fieldLength: Object.fromEntries(sections.fieldLength as Array<[string, number[]]>),
    storedFields: Object.fromEntries(sections.storedFields as Array<[string, unknown]>),
    index: sections.index as AsPlainObject['index']
  }
}
