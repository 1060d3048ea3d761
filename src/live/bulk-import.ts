/**
 * A bulk import (POST /documents/_bulk): records read one at a time from the request, each
 * validated like a corpus record, the valid ones gathered into batches, each batch made
 * durable with one append and one fsync and applied (LiveChanges.changeAll) before the next
 * records are read — so the request's body is pulled only as fast as it goes in, and memory
 * holds one batch, not the request. Every record gets an item, in the order read: 201 or 200
 * (created or replaced), 400 for a record that is not a valid document (it fails alone), and
 * once a batch cannot be logged (507 on a full disk, 503 otherwise) that status for it and
 * every later record, which are read and reported but not logged.
 */
import { readArticle, type RecordWarning } from '../corpus/article.js'
import { DEFAULT_TIME_ZONE } from '../corpus/dates.js'
import { ChangeLogWriteError, ClusterRequestError, CorpusRecordError, DiskFullError, IndexNotReadyError } from '../errors.js'
import type { ChangeOperation } from '../index/change-records.js'

/** A record of the request, as read by the body reader (server/bulk-records.ts). */
export type BulkRecord =
  | { position: number, text: string }
  | { position: number, error: { code: string, message: string } }

export interface BulkItemError {
  code: string
  message: string
  /** The record's line (NDJSON) or element (JSON array), from 1. */
  position: number
}

export interface BulkItem {
  /** The document's id; null when the record has none that can be read. */
  id: string | null
  status: number
  error?: BulkItemError
  /** What was dropped from a stored document (a URL that is not http(s)), as a PUT reports it. */
  warnings?: RecordWarning[]
}

export interface BulkResult {
  /** Whether any item is not a 2xx. */
  errors: boolean
  items: BulkItem[]
}

/** Where the batches go: the rebuild coordinator. */
export interface BulkTarget {
  changeDocuments: (operations: readonly ChangeOperation[]) => Promise<Array<{ seq: number, existed: boolean }>>
}

export interface BulkOptions {
  /** Documents per batch (one append, one fsync). */
  batchSize: number
  /** A batch is also cut once its records hold this many characters. */
  batchChars: number
  /** TIME_ZONE: the zone of a date written without one, as for a corpus record. */
  timeZone: string
}

export const defaultBulkOptions: BulkOptions = { batchSize: 500, batchChars: 16 * 1024 * 1024, timeZone: DEFAULT_TIME_ZONE }

/** The longest id accepted: the one GET /documents/:id takes. */
const MAX_ID_LENGTH = 512

interface Refusal { status: number, code: string, message: string }

export async function importDocuments (records: AsyncIterable<BulkRecord>, target: BulkTarget, options: BulkOptions = defaultBulkOptions): Promise<BulkResult> {
  const items: BulkItem[] = []
  let batch: Array<{ operation: ChangeOperation, item: number, position: number, warnings: RecordWarning[] }> = []
  let batchChars = 0
  let refused: Refusal | undefined

  const refuse = (entries: typeof batch, refusal: Refusal): void => {
    for (const { operation, item, position } of entries) {
      items[item] = { id: operation.id, status: refusal.status, error: { code: refusal.code, message: refusal.message, position } }
    }
  }
  const commit = async (): Promise<void> => {
    const entries = batch
    batch = []
    batchChars = 0
    if (entries.length === 0) return
    if (refused !== undefined) return refuse(entries, refused)
    try {
      const results = await target.changeDocuments(entries.map(entry => entry.operation))
      entries.forEach(({ operation, item, warnings }, index) => {
        items[item] = { id: operation.id, status: results[index]?.existed === true ? 200 : 201, ...(warnings.length === 0 ? {} : { warnings }) }
      })
    } catch (error) {
      refused = refusalOf(error)
      if (refused === undefined) throw error
      refuse(entries, refused)
    }
  }

  for await (const record of records) {
    const read = 'error' in record ? { id: null, error: record.error } : operationOf(record.text, options.timeZone)
    if ('error' in read) {
      items.push({ id: read.id, status: 400, error: { ...read.error, position: record.position } })
      continue
    }
    batch.push({ operation: read.operation, item: items.length, position: record.position, warnings: read.warnings })
    items.push({ id: read.operation.id, status: 0 })
    batchChars += 'text' in record ? record.text.length : 0
    if (batch.length >= options.batchSize || batchChars >= options.batchChars) await commit()
  }
  await commit()
  return { errors: items.some(item => item.status < 200 || item.status >= 300), items }
}

/** A record's text as a PUT of its document, or why it is not one. */
function operationOf (text: string, timeZone: string): { operation: ChangeOperation, warnings: RecordWarning[] } | { id: string | null, error: { code: string, message: string } } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { id: null, error: { code: 'POISK_BULK_INVALID_JSON', message: `not JSON: ${(error as Error).message}` } }
  }
  const id = idOf(value)
  if (typeof id !== 'string') return { id: null, error: id }
  try {
    const { article, warnings } = readArticle(value, { timeZone })
    return { operation: { op: 'put', id, article: { ...article, id } }, warnings }
  } catch (error) {
    if (error instanceof CorpusRecordError) return { id, error: { code: error.code, message: error.message } }
    throw error
  }
}

/** The record's own id (a bulk record must carry one), as the corpus reader reads it. */
function idOf (value: unknown): string | { code: string, message: string } {
  const raw = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { id?: unknown }).id : undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { code: 'POISK_CORPUS_RECORD', message: 'the record is not a JSON object' }
  const id = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : ''
  if (id === '') return { code: 'POISK_BULK_NO_ID', message: 'each document needs an "id": a non-empty string or a number' }
  if (id.length > MAX_ID_LENGTH) return { code: 'POISK_BULK_BAD_ID', message: `the id is ${id.length} characters long; at most ${MAX_ID_LENGTH} are accepted` }
  return id
}

/** A batch that could not be logged: the status its items (and every later one) get; undefined for an unexpected error. */
function refusalOf (error: unknown): Refusal | undefined {
  const { code, message } = error as { code: string, message: string }
  if (error instanceof DiskFullError) return { status: 507, code, message }
  if (error instanceof ChangeLogWriteError || error instanceof IndexNotReadyError || error instanceof ClusterRequestError) return { status: 503, code, message }
  return undefined
}
