/**
 * A cross-process lock on an index folder, so the server's rebuilds and a `poisk index`
 * run by hand never write into the same folder at once. The lock is a file created with
 * O_EXCL holding the owner's pid; a lock whose pid is no longer alive (an indexer killed
 * with SIGKILL runs no clean-up) is reclaimed. Pids can be reused, so a reclaimed lock is
 * re-checked once; this is a guard against accidents, not a security boundary.
 */
import { open, readFile, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { BuildLockedError } from '../errors.js'

const LOCK_FILE = 'build.lock'

interface LockContent {
  pid: number
  host: string
  startedAt: string
}

export interface BuildLock {
  release: () => Promise<void>
}

export function lockPath (indexDir: string): string {
  return join(indexDir, LOCK_FILE)
}

/** Takes the lock or throws BuildLockedError naming the live holder. */
export async function acquireBuildLock (indexDir: string): Promise<BuildLock> {
  const path = lockPath(indexDir)
  const content: LockContent = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx')
      try {
        await handle.writeFile(`${JSON.stringify(content)}\n`)
        await handle.sync()
      } catch (error) {
        // A full disk: the lock was created but never written. Left behind, it would look held.
        await handle.close()
        await unlink(path).catch(ignoreMissing)
        throw error
      }
      await handle.close()
      return { release: async () => await releaseIfOurs(path, content) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = await readHolder(path)
    if (holder !== undefined && isAlive(holder)) {
      throw new BuildLockedError(indexDir, holder.pid, holder.startedAt)
    }
    // Dead owner (or an unreadable, half-written lock): reclaim it and try once more.
    await unlink(path).catch(ignoreMissing)
  }
  const holder = await readHolder(path)
  throw new BuildLockedError(indexDir, holder?.pid ?? 0, holder?.startedAt ?? 'unknown')
}

/** The live holder's pid, or undefined when the folder is not locked by a live process. */
export async function buildLockHolder (indexDir: string): Promise<number | undefined> {
  const holder = await readHolder(lockPath(indexDir))
  return holder !== undefined && isAlive(holder) ? holder.pid : undefined
}

async function readHolder (path: string): Promise<LockContent | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockContent>
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid)) return undefined
    return { pid: parsed.pid, host: String(parsed.host), startedAt: String(parsed.startedAt) }
  } catch {
    return undefined
  }
}

function isAlive (holder: LockContent): boolean {
  // A lock from another machine (shared folder) cannot be checked: treat it as held.
  if (holder.host !== hostname()) return true
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function releaseIfOurs (path: string, ours: LockContent): Promise<void> {
  const holder = await readHolder(path)
  if (holder?.pid === ours.pid && holder.startedAt === ours.startedAt) await unlink(path).catch(ignoreMissing)
}

function ignoreMissing (error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
}
