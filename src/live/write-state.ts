/**
 * Whether live document changes can be written right now, for `/health` (`writable`).
 * A change that fails to be logged for want of space or an I/O error marks the server
 * unwritable; searches go on regardless. It becomes writable again at the next change that
 * is logged, or when a probe succeeds: while unwritable, a probe writes and fsyncs a small
 * file in the index folder every `probeIntervalMs`, so the flag clears once space is freed
 * even when no client retries.
 */
import { open, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { ChangeLogWriteError, DiskFullError } from '../errors.js'

export interface WriteStatus {
  writable: boolean
  /** The failure that made the server unwritable, while it is. */
  writeError?: { code: string, message: string, since: string }
}

export interface WriteStateOptions {
  /** Told each time the state flips (a cluster's primary tells its workers). */
  onChange?: (status: WriteStatus) => void
  probeIntervalMs: number
  /** Bytes the probe writes: room for a typical article, not just a directory entry. */
  probeBytes: number
}

const defaults: WriteStateOptions = { probeIntervalMs: 2000, probeBytes: 64 * 1024 }

export class WriteState {
  private failure: WriteStatus['writeError']
  private probeTimer: NodeJS.Timeout | undefined
  private readonly options: WriteStateOptions

  constructor (private readonly indexDir: string, options: Partial<WriteStateOptions> = {}) {
    this.options = { ...defaults, ...options }
  }

  /** True for the errors that mean the log cannot be written (as opposed to a bad request). */
  static isWriteFailure (error: unknown): error is DiskFullError | ChangeLogWriteError {
    return error instanceof DiskFullError || error instanceof ChangeLogWriteError
  }

  status (): WriteStatus {
    return this.failure === undefined ? { writable: true } : { writable: false, writeError: this.failure }
  }

  /** Records a failed write (when it is one) and starts probing for room. */
  noteFailure (error: unknown): void {
    if (!WriteState.isWriteFailure(error)) return
    if (this.failure === undefined) this.set({ code: error.code, message: error.message, since: new Date().toISOString() })
    this.scheduleProbe()
  }

  noteSuccess (): void {
    clearTimeout(this.probeTimer)
    this.probeTimer = undefined
    if (this.failure !== undefined) this.set(undefined)
  }

  /** Takes the state another process keeps (a cluster worker, its primary's: the log's writer). */
  adopt (status: WriteStatus): void {
    if (status.writable) this.noteSuccess()
    else this.set(status.writeError)
  }

  private set (failure: WriteStatus['writeError']): void {
    this.failure = failure
    this.options.onChange?.(this.status())
  }

  close (): void {
    clearTimeout(this.probeTimer)
    this.probeTimer = undefined
  }

  private scheduleProbe (): void {
    if (this.probeTimer !== undefined) return
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined
      void this.probe()
    }, this.options.probeIntervalMs)
    this.probeTimer.unref()
  }

  private async probe (): Promise<void> {
    const path = join(this.indexDir, `.write-probe-${process.pid}`)
    try {
      const handle = await open(path, 'w')
      try {
        const { bytesWritten } = await handle.write(Buffer.alloc(this.options.probeBytes))
        if (bytesWritten !== this.options.probeBytes) throw new Error('short write')
        await handle.datasync()
      } finally {
        await handle.close()
      }
      if (this.failure !== undefined) this.noteSuccess()
    } catch {
      if (this.failure !== undefined) this.scheduleProbe()
    } finally {
      await unlink(path).catch(() => {})
    }
  }
}
