import { open } from 'node:fs/promises'
import type { LogFile } from '../../src/live/change-log.js'

/**
 * A change-log file whose device can be "filled": while `full` is set, a write puts only
 * the first half of its bytes on disk and fails with ENOSPC, as a write into the last free
 * blocks does. `syncGate` holds every datasync until it resolves (to watch what waits on
 * the fsync); `truncateFails` makes cutting back fail.
 */
export class FaultyLogFile implements LogFile {
  full = false
  truncateFails = false
  syncGate: Promise<void> | undefined
  readonly calls: string[] = []

  private constructor (private readonly handle: Awaited<ReturnType<typeof open>>) {}

  static async open (path: string): Promise<FaultyLogFile> {
    return new FaultyLogFile(await open(path, 'a'))
  }

  async write (data: Uint8Array): Promise<{ bytesWritten: number }> {
    this.calls.push('write')
    if (!this.full) return await this.handle.write(data)
    await this.handle.write(data.subarray(0, Math.floor(data.length / 2)))
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
  }

  async datasync (): Promise<void> {
    this.calls.push('datasync')
    await this.syncGate
    await this.handle.datasync()
  }

  async truncate (length: number): Promise<void> {
    this.calls.push('truncate')
    if (this.truncateFails) throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' })
    await this.handle.truncate(length)
  }

  async close (): Promise<void> {
    await this.handle.close()
  }
}

/** An opener for ChangeLog.open that hands out (and remembers) faulty files. */
export function faultyFiles (): { openFile: (path: string) => Promise<LogFile>, last: () => FaultyLogFile } {
  let last: FaultyLogFile | undefined
  return {
    openFile: async path => (last = await FaultyLogFile.open(path)),
    last: () => { if (last === undefined) throw new Error('no file opened yet'); return last }
  }
}
