/**
 * Notices when another process (`poisk index`) publishes a build into the served index
 * folder: `fs.watch` on the folder (CURRENT is replaced by a rename, so watching the file
 * itself would lose track of it) and, because fs.watch is best-effort on some file
 * systems, a periodic poll of CURRENT as a fallback.
 */
import { watch, type FSWatcher } from 'node:fs'
import { readCurrentBuildId } from '../index/index-directory.js'

export interface CurrentWatcherOptions {
  pollIntervalMs: number
  /** Coalesces the burst of events one rename produces. */
  debounceMs: number
}

const defaultOptions: CurrentWatcherOptions = { pollIntervalMs: 2000, debounceMs: 50 }

export class CurrentWatcher {
  private watcher: FSWatcher | undefined
  private poller: NodeJS.Timeout | undefined
  private debounce: NodeJS.Timeout | undefined
  private lastSeen: string | undefined
  private readonly options: CurrentWatcherOptions

  constructor (
    private readonly indexDir: string,
    private readonly onChange: (buildId: string) => void,
    options: Partial<CurrentWatcherOptions> = {}
  ) {
    this.options = { ...defaultOptions, ...options }
  }

  async start (): Promise<void> {
    this.lastSeen = await readCurrentBuildId(this.indexDir)
    try {
      this.watcher = watch(this.indexDir, { persistent: false }, (_event, name) => {
        if (name === null || name === 'CURRENT') this.schedule()
      })
      this.watcher.on('error', () => { this.watcher?.close() })
    } catch {
      // No fs.watch here (or the folder does not exist yet): the poll still works.
    }
    this.poller = setInterval(() => this.schedule(), this.options.pollIntervalMs)
    this.poller.unref()
  }

  stop (): void {
    this.watcher?.close()
    clearInterval(this.poller)
    clearTimeout(this.debounce)
  }

  private schedule (): void {
    clearTimeout(this.debounce)
    this.debounce = setTimeout(() => { void this.check() }, this.options.debounceMs)
    this.debounce.unref()
  }

  private async check (): Promise<void> {
    const id = await readCurrentBuildId(this.indexDir).catch(() => undefined)
    if (id === undefined || id === this.lastSeen) return
    this.lastSeen = id
    this.onChange(id)
  }
}
