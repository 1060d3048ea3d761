import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { AppendWriter, writeFileDurably } from '../../src/index/durable-fs.js'

describe('AppendWriter', () => {
  let dir: string | undefined
  afterEach(async () => { if (dir !== undefined) await rm(dir, { recursive: true, force: true }) })

  it('writes every part in order, copied or handed over, across flushes, with their offsets and digests', async () => {
    dir = await mkdtemp(join(tmpdir(), 'poisk-append-'))
    const path = join(dir, 'file.bin')
    // Many more parts per flush than one writev takes (IOV_MAX is 1024 on Linux), of varied sizes.
    const writer = await AppendWriter.create(path, 64 * 1024)
    const parts: Buffer[] = []
    const offsets: Array<{ offset: number, length: number }> = []
    for (let i = 0; i < 5000; i += 1) {
      const part = Buffer.from(`${i}:${'ё'.repeat(i % 37)};`, 'utf8')
      parts.push(part)
      offsets.push(i % 2 === 0 ? await writer.appendBytes(part) : await writer.appendOwned(Buffer.from(part)))
    }
    const reused = Buffer.from('before')
    offsets.push(await writer.appendBytes(reused))
    reused.write('AFTER!') // appendBytes copied it: the change must not reach the file
    parts.push(Buffer.from('before'))
    const digest = await writer.close()
    const written = await readFile(path)
    const expected = Buffer.concat(parts)
    expect(written.equals(expected)).toBe(true)
    expect(digest).toEqual({ bytes: expected.length, sha256: createHash('sha256').update(expected).digest('hex'), crc32: crc32(expected) })
    parts.forEach((part, at) => expect(written.subarray(offsets[at]?.offset, (offsets[at]?.offset ?? 0) + (offsets[at]?.length ?? 0)).equals(part)).toBe(true))
  })
})

describe('writeFileDurably', () => {
  let dir: string | undefined
  afterEach(async () => { if (dir !== undefined) await rm(dir, { recursive: true, force: true }) })

  it('replaces the file whole, and leaves no temporary file behind when it fails', async () => {
    dir = await mkdtemp(join(tmpdir(), 'poisk-durable-'))
    await writeFileDurably(join(dir, 'CURRENT'), 'build-1\n')
    await writeFileDurably(join(dir, 'CURRENT'), 'build-2\n')
    expect(await readFile(join(dir, 'CURRENT'), 'utf8')).toBe('build-2\n')
    // A folder in the way: the rename fails after the temporary file was written.
    await mkdir(join(dir, 'blocked'))
    await writeFile(join(dir, 'blocked', 'inside'), '')
    await expect(writeFileDurably(join(dir, 'blocked'), 'data')).rejects.toThrow()
    expect((await readdir(dir)).sort()).toEqual(['CURRENT', 'blocked'])
  })
})
