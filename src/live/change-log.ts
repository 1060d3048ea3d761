/**
 * The durable record of live document changes (PUT/PATCH/DELETE /documents/:id, and
 * POST /documents/_bulk a batch at a time: one write and one fsync each), written by the
 * one process that owns an index folder's log (a single server, or a cluster's primary).
 * A change is appended, checked to be wholly written and fsynced before it is applied or
 * acknowledged; it is then replayed over the build loaded at start, folded into every
 * later build (each manifest records the last sequence number it holds) and replayed over
 * a new build for the changes that arrived while it was being built. The format, with a
 * checksum per record, is `src/index/change-records.ts`.
 *
 * What an acknowledgement promises, and how the edges keep it:
 * - A failed or short write (a full disk) is cut back to the last whole record before the
 *   error is returned, so a later append never lands after a fragment; while the cut itself
 *   fails, appends are refused.
 * - Opening the log cuts only a torn tail (bytes after the last line feed: an append that
 *   never completed, never acknowledged). A damaged record elsewhere is skipped, the file
 *   is copied aside for inspection and the log rewritten with every intact record.
 */
import { copyFile, open, stat, truncate } from 'node:fs/promises'
import { DiskFullError, ChangeLogWriteError } from '../errors.js'
import { writeFileDurably } from '../index/durable-fs.js'
import {
  changeLogPath, encodeChange, readChangeLog,
  type ChangeLogContents, type ChangeOperation, type DocumentChange
} from '../index/change-records.js'

/** The part of a file handle the log writes through; tests put a faulty one in its place. */
export interface LogFile {
  write: (data: Uint8Array) => Promise<{ bytesWritten: number }>
  datasync: () => Promise<void>
  truncate: (length: number) => Promise<void>
  close: () => Promise<void>
}

export interface ChangeLogLogger {
  info: (details: object, message: string) => void
  warn: (details: object, message: string) => void
  error: (details: object, message: string) => void
}

export interface ChangeLogOptions {
  /** Opens the log for appending (`fs.open(path, 'a')` by default). */
  openFile: (path: string) => Promise<LogFile>
  logger?: ChangeLogLogger
}

const defaultOptions: ChangeLogOptions = { openFile: async path => await open(path, 'a') }

/** Error codes that mean the device has no room (or quota) left. */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT'])

export class ChangeLog {
  /** Set when compaction replaced the file but it could not be opened again. */
  private unusable: Error | undefined
  /** Bytes past `bytes` may hold a failed append's fragment that could not be cut yet. */
  private tailToCut = false
  /** Entries left by the last compaction: the log is compacted again only once it has doubled. */
  private compactedTo = 0
  private constructor (
    private readonly indexDir: string,
    private readonly options: ChangeLogOptions,
    private file: LogFile,
    /** Length of the log's whole records: where the next one starts. */
    private bytes: number,
    private seq: number,
    private entries: number
  ) {}

  /**
   * Opens for appending. A torn tail is cut; damaged records are reported, the file copied
   * aside and the log rewritten with the intact ones. Both are logged through `logger`.
   */
  static async open (indexDir: string, options: Partial<ChangeLogOptions> = {}): Promise<{ log: ChangeLog, contents: ChangeLogContents }> {
    const settings = { ...defaultOptions, ...options }
    const path = changeLogPath(indexDir)
    const contents = await readChangeLog(indexDir)
    if (contents.damaged.length > 0) {
      await setDamagedLogAside(indexDir, contents, settings.logger)
    } else if (contents.tornBytes > 0) {
      settings.logger?.warn({ offset: contents.validBytes, bytes: contents.tornBytes, kept: contents.changes.length },
        'cut a torn last record off the change log: an append that never completed, so it was never acknowledged')
      await truncate(path, contents.validBytes)
    }
    const file = await settings.openFile(path)
    const bytes = (await stat(path)).size
    const last = contents.changes.at(-1)?.seq ?? 0
    return { log: new ChangeLog(indexDir, settings, file, bytes, last, contents.changes.length), contents }
  }

  get lastSeq (): number {
    return this.seq
  }

  /**
   * Appends one change and resolves once all of it is on disk. On any failure nothing of it
   * stays in the log, and the error says why: DiskFullError when the device is full.
   */
  async append (operation: ChangeOperation): Promise<DocumentChange> {
    return (await this.appendAll([operation]))[0] as DocumentChange
  }

  /**
   * Appends changes in order as one write and one fsync (a bulk import's batch): all of them
   * are on disk once it resolves, and on any failure none of them stays in the log.
   */
  async appendAll (operations: readonly ChangeOperation[]): Promise<DocumentChange[]> {
    if (this.unusable !== undefined) throw new ChangeLogWriteError(this.indexDir, `it could not be reopened after compaction: ${this.unusable.message}`, { cause: this.unusable })
    if (operations.length === 0) return []
    if (this.tailToCut) await this.cutToLastRecord()
    const at = new Date().toISOString()
    const changes: DocumentChange[] = operations.map((operation, index) => ({ ...operation, seq: this.seq + 1 + index, at }))
    const records = Buffer.concat(changes.map(encodeChange))
    try {
      const { bytesWritten } = await this.file.write(records)
      if (bytesWritten !== records.length) throw Object.assign(new Error(`wrote ${bytesWritten} of ${records.length} bytes`), { code: 'ENOSPC' })
      await this.file.datasync()
    } catch (error) {
      this.tailToCut = true
      await this.cutToLastRecord().catch(() => {})
      throw this.failure(error)
    }
    this.bytes += records.length
    this.seq += changes.length
    this.entries += changes.length
    return changes
  }

  /** Removes whatever a failed append left after the last whole record. */
  private async cutToLastRecord (): Promise<void> {
    try {
      await this.file.truncate(this.bytes)
      await this.file.datasync()
    } catch (error) {
      throw this.failure(error)
    }
    this.tailToCut = false
  }

  private failure (error: unknown): Error {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== undefined && NO_SPACE.has(code)) return new DiskFullError(this.indexDir, { cause: error })
    return new ChangeLogWriteError(this.indexDir, (error as Error).message, { cause: error })
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
   * `compactIfGrown`, for the single process and the cluster's primary alike: a compaction is
   * logged, and a failed one too, without failing the caller — the appended changes are
   * durable either way, and the log stays whole and appendable.
   */
  async compactIfDue (threshold: number): Promise<void> {
    try {
      const compacted = await this.compactIfGrown(threshold)
      if (compacted !== undefined) this.options.logger?.info(compacted, 'compacted the change log')
    } catch (error) {
      this.options.logger?.error({ err: error }, 'could not compact the change log')
    }
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
    const rewritten = Buffer.concat(kept.map(encodeChange))
    await writeFileDurably(changeLogPath(this.indexDir), rewritten)
    let reopened: LogFile
    try {
      reopened = await this.options.openFile(changeLogPath(this.indexDir))
    } catch (error) {
      // The open handle now points at the replaced file: appends there would be lost.
      this.unusable = error as Error
      throw error
    }
    const replaced = this.file
    this.file = reopened
    this.bytes = rewritten.length
    this.tailToCut = false
    this.entries = kept.length
    this.compactedTo = kept.length
    await replaced.close()
    return { before: changes.length, after: kept.length }
  }

  get size (): number {
    return this.entries
  }

  async close (): Promise<void> {
    await this.file.close()
  }
}

/**
 * Keeps a copy of a log with damaged records for inspection, then rewrites the log with
 * every intact record (each with its checksum), so the damage is reported once. A failure
 * of either step is logged and leaves the log as it was: readers skip damaged lines anyway.
 */
async function setDamagedLogAside (indexDir: string, contents: ChangeLogContents, logger: ChangeLogLogger | undefined): Promise<void> {
  const path = changeLogPath(indexDir)
  const copy = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`
  logger?.error({ damaged: contents.damaged, intact: contents.changes.length, tornBytes: contents.tornBytes, copy },
    'the change log holds damaged records: they are skipped, every intact record is kept, and the file is copied aside')
  try {
    await copyFile(path, copy)
    await writeFileDurably(path, Buffer.concat(contents.changes.map(encodeChange)))
  } catch (error) {
    logger?.error({ err: error, copy }, 'could not set the damaged change log aside; its damaged records stay in place and are skipped')
    if (contents.tornBytes > 0) await truncate(path, contents.validBytes)
  }
}
