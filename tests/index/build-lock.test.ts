import { spawnSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { acquireBuildLock, buildLockHolder, lockPath } from '../../src/index/build-lock.js'
import { BuildLockedError } from '../../src/errors.js'
import { tempDir } from '../helpers/temp-dir.js'

/** The pid of a process that has already exited. */
function deadPid (): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(String(child.stdout))
}

describe('the build lock', () => {
  it('lets one holder in at a time and is free again after release', async () => {
    const dir = await tempDir()
    const lock = await acquireBuildLock(dir)
    expect(JSON.parse(await readFile(lockPath(dir), 'utf8'))).toMatchObject({ pid: process.pid })
    await expect(acquireBuildLock(dir)).rejects.toThrow(BuildLockedError)
    expect(await buildLockHolder(dir)).toBe(process.pid)
    await lock.release()
    expect(await buildLockHolder(dir)).toBeUndefined()
    const again = await acquireBuildLock(dir)
    await again.release()
  })

  it('reclaims the lock of a process that died holding it', async () => {
    const dir = await tempDir()
    await writeFile(lockPath(dir), JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00Z' }))
    expect(await buildLockHolder(dir)).toBeUndefined()
    const lock = await acquireBuildLock(dir)
    expect(await buildLockHolder(dir)).toBe(process.pid)
    await lock.release()
  })

  it('reclaims a half-written lock file', async () => {
    const dir = await tempDir()
    await writeFile(lockPath(dir), '{"pid":')
    const lock = await acquireBuildLock(dir)
    await lock.release()
  })
})
