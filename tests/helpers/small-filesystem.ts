import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { open, statfs, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

/** Whether this process may mount a tmpfs (root, with mount allowed): tried once. */
export function canMountTmpfs (): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  const dir = mkdtempSync(join(tmpdir(), 'poisk-mount-probe-'))
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status !== 0) return false
    spawnSync('umount', [dir])
    return true
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A real filesystem of `bytes`, unmounted when the test finishes. */
export async function smallFilesystem (bytes: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'poisk-small-fs-'))
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir])
  if (mounted.status !== 0) throw new Error(`mount tmpfs failed: ${String(mounted.stderr)}`)
  onTestFinished(() => {
    spawnSync('umount', ['-l', dir])
    rmSync(dir, { recursive: true, force: true })
  })
  return dir
}

/** Fills the filesystem of `dir` with one file until only about `leaveBytes` are free; removing it frees the space. */
export async function fillUpTo (dir: string, leaveBytes: number): Promise<{ free: () => Promise<void> }> {
  const path = join(dir, 'filler.bin')
  const handle = await open(path, 'w')
  const chunk = Buffer.alloc(64 * 1024)
  try {
    for (;;) {
      const { bavail, bsize } = await statfs(dir)
      const room = Number(bavail) * Number(bsize) - leaveBytes
      if (room <= 0) break
      await handle.write(chunk.subarray(0, Math.min(chunk.length, room)))
    }
  } finally {
    await handle.close()
  }
  return { free: async () => await unlink(path) }
}
