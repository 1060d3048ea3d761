import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { getPriority } from 'node:os'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { REBUILD_NICENESS, rebuildPriority } from '../../src/index/process-priority.js'

const run = promisify(execFile)

/**
 * A node process that lowers itself to `priority` (when given), then starts a worker thread
 * as the build's analysis pool does: the nice value of each of its threads, and the worker's.
 */
async function prioritiesOf (priority: number | undefined): Promise<{ threads: number[], worker: number }> {
  const script = `
    import { readdirSync } from 'node:fs'
    import { getPriority } from 'node:os'
    import { Worker } from 'node:worker_threads'
    import { lowerOwnPriority } from './dist/index/process-priority.js'
    const priority = process.argv[1]
    if (priority !== 'none') lowerOwnPriority(Number(priority))
    const worker = new Worker('Promise.all([import("node:os"), import("node:worker_threads")]).then(([os, threads]) => threads.parentPort.postMessage(os.getPriority()))', { eval: true })
    worker.once('message', own => {
      const threads = readdirSync('/proc/self/task').map(thread => { try { return getPriority(Number(thread)) } catch { return null } }).filter(p => p !== null)
      console.log(JSON.stringify({ threads, worker: own }))
      process.exit(0)
    })`
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, '--', String(priority ?? 'none')])
  return JSON.parse(stdout) as { threads: number[], worker: number }
}

describe.skipIf(!existsSync('/proc/self/task'))('a rebuild process lowers its priority (Linux: every thread)', () => {
  const own = getPriority()

  it('runs at the server priority unless lowered', async () => {
    const { threads, worker } = await prioritiesOf(undefined)
    expect(threads.length).toBeGreaterThan(1)
    expect(new Set(threads)).toEqual(new Set([own]))
    expect(worker).toBe(own)
  })

  it('lowers the threads V8 and libuv started, and the worker threads it starts later inherit it', async () => {
    const priority = rebuildPriority()
    expect(priority).toBe(Math.min(19, own + REBUILD_NICENESS))
    const { threads, worker } = await prioritiesOf(priority)
    expect(threads.length).toBeGreaterThan(2)
    expect(new Set(threads)).toEqual(new Set([priority]))
    expect(worker).toBe(priority)
  })

  it('never raises a priority', async () => {
    const { threads } = await prioritiesOf(own - 5)
    expect(new Set(threads)).toEqual(new Set([own]))
  })
})
