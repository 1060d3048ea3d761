/**
 * The durable record of live document changes (PUT/DELETE /documents/:id): one JSON line
 * per change in `index/changes.jsonl`, appended and fsynced before the change is applied
 * or acknowledged. A change is never lost: it is replayed over the build loaded at start,
 * folded into every later build (each manifest records the last sequence number it holds)
 * and replayed over a new build for the changes that arrived while it was being built.
 *
 * A crash while appending can leave a torn last line; it was never acknowledged, so it is
 * cut off when the log is next opened for writing.
 */
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Article } from '../corpus/article.js'
import { writeFileDurably } from '../index/durable-fs.js'

export const CHANGE_LOG_FILE = 'changes.jsonl'

export type ChangeOperation = { op: 'put', id: string, article: Article } | { op: 'delete', id: string }
export type DocumentChange = ChangeOperation & { seq: number, at: string }

export interface ChangeLogContents {
  changes: DocumentChange[]
  /** Byte length of the well-formed part; anything after it is a torn append. */
  validBytes: number
  tornBytes: number
}

export function changeLogPath (indexDir: string): string {
  return join(indexDir, CHANGE_LOG_FILE)
}

/** Reads every complete change, oldest first; a missing log is an empty one. */
export async function readChangeLog (indexDir: string): Promise<ChangeLogContents> {
  let data: Buffer
  try {
    data = await readFile(changeLogPath(indexDir))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { changes: [], validBytes: 0, tornBytes: 0 }
    throw error
  }
  const changes: DocumentChange[] = []
  let start = 0
  while (start < data.length) {
    const end = data.indexOf(0x0a, start)
    if (end === -1) break
    const change = parseChange(data.toString('utf8', start, end))
    if (change === undefined) break
    changes.push(change)
    start = end + 1
  }
  return { changes, validBytes: start, tornBytes: data.length - start }
}

/** Changes newer than `seq`. */
export function changesAfter (changes: readonly DocumentChange[], seq: number): DocumentChange[] {
  return changes.filter(change => change.seq > seq)
}

function parseChange (line: string): DocumentChange | undefined {
  try {
    const value = JSON.parse(line) as Partial<DocumentChange>
    if (typeof value.seq !== 'number' || typeof value.id !== 'string') return undefined
    if (value.op === 'put' && typeof value.article === 'object' && value.article !== null) return value as DocumentChange
    if (value.op === 'delete') return value as DocumentChange
    return undefined
  } catch {
    return undefined
  }
}

/** The writer side, owned by the one server process serving this index folder. */
export class ChangeLog {
  /** Set when compaction replaced the file but it could not be opened again. */
  private unusable: Error | undefined
  /** Entries left by the last compaction: the log is compacted again only once it has doubled. */
  private compactedTo = 0
  private constructor (
    private readonly indexDir: string,
    private handle: FileHandle,
    private seq: number,
    private entries: number
  ) {}

  /** Opens for appending, cutting off a torn last line; reports how many bytes were cut. */
  static async open (indexDir: string): Promise<{ log: ChangeLog, contents: ChangeLogContents }> {
    const contents = await readChangeLog(indexDir)
    if (contents.tornBytes > 0) await truncate(changeLogPath(indexDir), contents.validBytes)
    const handle = await open(changeLogPath(indexDir), 'a')
    const last = contents.changes.at(-1)?.seq ?? 0
    return { log: new ChangeLog(indexDir, handle, last, contents.changes.length), contents }
  }

  get lastSeq (): number {
    return this.seq
  }

  /** Appends and fsyncs one change; resolves once it is durable. */
  async append (operation: ChangeOperation): Promise<DocumentChange> {
    if (this.unusable !== undefined) throw new Error(`the change log could not be reopened after compaction: ${this.unusable.message}`, { cause: this.unusable })
    const change: DocumentChange = { ...operation, seq: this.seq + 1, at: new Date().toISOString() }
    await this.handle.write(`${JSON.stringify(change)}\n`)
    await this.handle.datasync()
    this.seq = change.seq
    this.entries += 1
    return change
  }

  /**
   * Compacts once the log holds `threshold` entries and twice what the last compaction left:
   * a log of more than `threshold` distinct documents is not read and rewritten on every
   * append, and each entry is rewritten a bounded number of times on average. Undefined when
   * it was not due.
   */
  async compactIfGrown (threshold: number): Promise<{ before: number, after: number } | undefined> {
    if (this.entries < Math.max(threshold, 2 * this.compactedTo)) return undefined
    return await this.compact()
  }

  /**
   * Rewrites the log keeping only the newest change per document, so it grows with the
   * number of changed documents rather than the number of changes. Callers serialise this
   * with `append`.
   */
  async compact (): Promise<{ before: number, after: number }> {
    const { changes } = await readChangeLog(this.indexDir)
    const newest = new Map<string, DocumentChange>()
    for (const change of changes) {
      newest.delete(change.id)
      newest.set(change.id, change)
    }
    const kept = [...newest.values()]
    if (kept.length === changes.length) {
      this.compactedTo = kept.length
      return { before: changes.length, after: kept.length }
    }
    // The old file stays open for appends until the new one has replaced it and is open: a
    // failed rewrite leaves the log as it was, still appendable.
    await writeFileDurably(changeLogPath(this.indexDir), kept.map(change => `${JSON.stringify(change)}\n`).join(''))
    let reopened: FileHandle
    try {
      reopened = await open(changeLogPath(this.indexDir), 'a')
    } catch (error) {
      // The open handle now points at the replaced file: appends there would be lost.
      this.unusable = error as Error
      throw error
    }
    const replaced = this.handle
    this.handle = reopened
    this.entries = kept.length
    this.compactedTo = kept.length
    await replaced.close()
    return { before: changes.length, after: kept.length }
  }

  get size (): number {
    return this.entries
  }

  async close (): Promise<void> {
    await this.handle.close()
  }
}
