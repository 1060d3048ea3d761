/**
 * Holds the live snapshot. A request reads `current()` once and uses that object to the
 * end, so swapping in a new build is one reference assignment and in-flight requests
 * finish on the build they started with. The replaced build's open files are closed
 * after a grace period, once no request can still be reading them.
 */
import { closeSnapshot, type Snapshot } from '../index/open-index.js'

export interface IndexStoreOptions {
  /** How long a replaced snapshot stays readable for requests that began on it. */
  retireAfterMs: number
}

const defaultOptions: IndexStoreOptions = { retireAfterMs: 60_000 }

export class IndexStore {
  private snapshot: Snapshot | undefined
  /** Why nothing is served, while nothing is (the 503's message). */
  private unavailable: string | undefined
  private readonly options: IndexStoreOptions
  private readonly retiring = new Map<NodeJS.Timeout, Snapshot>()

  constructor (initial?: Snapshot, options: Partial<IndexStoreOptions> = {}) {
    this.snapshot = initial
    this.options = { ...defaultOptions, ...options }
  }

  current (): Snapshot | undefined {
    return this.snapshot
  }

  /** Why no index is served, when none is; undefined once one is live. */
  unavailableReason (): string | undefined {
    return this.snapshot === undefined ? this.unavailable : undefined
  }

  /** Records why no index can be served (no usable build, no corpus to build one from). */
  markUnavailable (reason: string): void {
    this.unavailable = reason
  }

  /** Makes `next` live; returns the snapshot it replaced. */
  swap (next: Snapshot): Snapshot | undefined {
    const previous = this.snapshot
    this.snapshot = next
    this.unavailable = undefined
    if (previous !== undefined && previous !== next) this.retire(previous)
    return previous
  }

  /** Closes every snapshot now: for shutdown, after the server stopped taking requests. */
  async close (): Promise<void> {
    const retiring = [...this.retiring.values()]
    for (const timer of this.retiring.keys()) clearTimeout(timer)
    this.retiring.clear()
    const last = this.snapshot
    this.snapshot = undefined
    if (last !== undefined) await closeSnapshot(last)
    for (const snapshot of retiring) await closeSnapshot(snapshot).catch(() => {})
  }

  private retire (snapshot: Snapshot): void {
    snapshot.documents.releaseMemory()
    const timer = setTimeout(() => {
      this.retiring.delete(timer)
      // Closing a file that is already closed is harmless; nothing else can fail here.
      closeSnapshot(snapshot).catch(() => {})
    }, this.options.retireAfterMs)
    timer.unref()
    this.retiring.set(timer, snapshot)
  }
}
