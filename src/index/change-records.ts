/**
 * The change log's file format, `index/changes.jsonl`: one live document change a line,
 *
 *     {"op":"put","id":"…","article":{…},"seq":7,"at":"…"}<TAB>1c291ca3<LF>
 *
 * the change as JSON, then the CRC-32 of those JSON bytes in 8 hex digits. JSON never
 * holds a raw tab or line feed, so both split a line unambiguously. Lines without a
 * checksum were written before it existed (index format 6) and are read as before.
 *
 * Reading tells three kinds of bytes apart, because they call for different actions:
 * - intact records, applied in order;
 * - a torn tail: bytes after the last line feed, the remains of an append that never
 *   completed and so was never acknowledged — the only part a writer may cut;
 * - damaged records: complete lines that fail their checksum or do not parse. They are
 *   skipped and reported with their offset; every intact record after them still counts.
 *   A damaged line that ends in a whole record (an older writer appended after a failed
 *   partial write) yields that record.
 *
 * The writer is `src/live/change-log.ts`; builds read the log here to fold changes in.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import type { Article } from '../corpus/article.js'

export const CHANGE_LOG_FILE = 'changes.jsonl'

export type ChangeOperation = { op: 'put', id: string, article: Article } | { op: 'delete', id: string }
export type DocumentChange = ChangeOperation & { seq: number, at: string }

/** A complete line that is not an intact record. */
export interface DamagedRecord {
  /** Byte offset of the line in the file. */
  offset: number
  /** Its length, without the line feed. */
  bytes: number
  reason: 'checksum' | 'unparsable'
  /** The document id, when the damaged record still reads as JSON: the change to send again. */
  id?: string
  /** The sequence number of a whole record found at the line's end, which was applied. */
  recoveredSeq?: number
}

export interface ChangeLogContents {
  changes: DocumentChange[]
  /** Bytes up to and including the last line feed; anything after it is a torn append. */
  validBytes: number
  tornBytes: number
  damaged: DamagedRecord[]
}

const LINE_FEED = 0x0a
const TAB = 0x09
const CHECKSUM_DIGITS = 8
/** Where a record starts inside a damaged line: the writer puts `op` first. */
const RECORD_START = Buffer.from('{"op":"')

export function changeLogPath (indexDir: string): string {
  return join(indexDir, CHANGE_LOG_FILE)
}

/** One record as it is appended: JSON, tab, checksum, line feed. */
export function encodeChange (change: DocumentChange): Buffer {
  const json = Buffer.from(JSON.stringify(change))
  const line = Buffer.allocUnsafe(json.length + 2 + CHECKSUM_DIGITS)
  json.copy(line)
  line[json.length] = TAB
  line.write(checksumOf(json), json.length + 1, 'latin1')
  line[line.length - 1] = LINE_FEED
  return line
}

/** Reads every intact change, oldest first; a missing log is an empty one. */
export async function readChangeLog (indexDir: string): Promise<ChangeLogContents> {
  let data: Buffer
  try {
    data = await readFile(changeLogPath(indexDir))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { changes: [], validBytes: 0, tornBytes: 0, damaged: [] }
    throw error
  }
  return parseChangeLog(data)
}

export function parseChangeLog (data: Buffer): ChangeLogContents {
  const changes: DocumentChange[] = []
  const damaged: DamagedRecord[] = []
  let start = 0
  for (let end = data.indexOf(LINE_FEED); end !== -1; end = data.indexOf(LINE_FEED, start)) {
    const line = data.subarray(start, end)
    const change = decodeLine(line)
    if (change !== undefined) {
      changes.push(change)
    } else {
      const recovered = recordEndingDamagedLine(line)
      if (recovered !== undefined) changes.push(recovered)
      damaged.push({ offset: start, bytes: line.length, ...damageOf(line), ...(recovered === undefined ? {} : { recoveredSeq: recovered.seq }) })
    }
    start = end + 1
  }
  return { changes, validBytes: start, tornBytes: data.length - start, damaged }
}

/** Changes newer than `seq`. */
export function changesAfter (changes: readonly DocumentChange[], seq: number): DocumentChange[] {
  return changes.filter(change => change.seq > seq)
}

function checksumOf (json: Uint8Array): string {
  return crc32(json).toString(16).padStart(CHECKSUM_DIGITS, '0')
}

/** A line with a checksum must match it; one without is an older record, trusted if it parses. */
function decodeLine (line: Buffer): DocumentChange | undefined {
  const tab = line.lastIndexOf(TAB)
  if (tab === -1) return parseChange(line)
  const json = line.subarray(0, tab)
  if (line.length - tab - 1 !== CHECKSUM_DIGITS || line.toString('latin1', tab + 1) !== checksumOf(json)) return undefined
  return parseChange(json)
}

/**
 * A partial write followed by a whole record forms one line: the record is recovered when
 * its own checksum holds (or, for an older line without one, when it parses).
 */
function recordEndingDamagedLine (line: Buffer): DocumentChange | undefined {
  for (let start = line.indexOf(RECORD_START, 1); start !== -1; start = line.indexOf(RECORD_START, start + 1)) {
    const change = decodeLine(line.subarray(start))
    if (change !== undefined) return change
  }
  return undefined
}

/** Why a line is damaged; a record that parses but fails its checksum names its document. */
function damageOf (line: Buffer): Pick<DamagedRecord, 'reason' | 'id'> {
  const tab = line.lastIndexOf(TAB)
  const parsed = tab === -1 ? undefined : parseChange(line.subarray(0, tab))
  return parsed === undefined ? { reason: 'unparsable' } : { reason: 'checksum', id: parsed.id }
}

function parseChange (json: Buffer): DocumentChange | undefined {
  try {
    const value = JSON.parse(json.toString('utf8')) as Partial<DocumentChange>
    if (typeof value.seq !== 'number' || typeof value.id !== 'string') return undefined
    if (value.op === 'put' && typeof value.article === 'object' && value.article !== null) return value as DocumentChange
    if (value.op === 'delete') return value as DocumentChange
    return undefined
  } catch {
    return undefined
  }
}
