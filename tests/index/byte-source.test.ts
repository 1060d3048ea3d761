import { open, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileBytes, MemoryBytes } from '../../src/index/byte-source.js'
import { tempDir } from '../helpers/temp-dir.js'

const content = Buffer.from(Array.from({ length: 300 }, (_, at) => at % 251))

describe('byte sources', () => {
  it('read the same bytes by position from memory and from the file', async () => {
    const path = join(await tempDir(), 'bytes.bin')
    await writeFile(path, content)
    const file = await FileBytes.open(path)
    const memory = new MemoryBytes(content)
    expect(file.length).toBe(300)
    for (const [offset, length] of [[0, 300], [17, 1], [250, 50], [299, 1], [300, 0]] as const) {
      expect(file.bytesAt(offset, length)).toEqual(content.subarray(offset, offset + length))
      expect(memory.bytesAt(offset, length)).toEqual(content.subarray(offset, offset + length))
    }
    for (const source of [file, memory]) {
      expect(() => source.bytesAt(290, 11)).toThrow(/unexpected end of data: 11 bytes at 290 of 300/)
      expect(() => source.bytesAt(-1, 1)).toThrow(/unexpected end of data/)
    }
    await file.close()
  })

  it('lend a buffer to one reader at a time: a read made while it is lent does not overwrite it', async () => {
    const path = join(await tempDir(), 'bytes.bin')
    await writeFile(path, content)
    const file = await FileBytes.open(path)
    const outer = file.withBytes(10, 20, bytes => {
      const inner = file.withBytes(200, 20, nested => Buffer.from(nested))
      expect(inner).toEqual(content.subarray(200, 220))
      return Buffer.from(bytes)
    })
    expect(outer).toEqual(content.subarray(10, 30))
    expect(file.withBytes(100, 250 - 100, bytes => Buffer.from(bytes))).toEqual(content.subarray(100, 250))
    expect(() => file.withBytes(299, 2, () => 0)).toThrow(/unexpected end of data/)
    await file.close()
  })

  it('warm a range without failing, whatever the range and even once closed, and read the same bytes after', async () => {
    const content = Buffer.from(Array.from({ length: 70_000 }, (_, at) => at % 251))
    const path = join(await tempDir(), 'bytes.bin')
    await writeFile(path, content)
    const file = await FileBytes.open(path)
    await file.warm(60_000, 5000)
    expect(file.bytesAt(60_000, 5000).equals(content.subarray(60_000, 65_000))).toBe(true)
    await expect(file.warm(69_000, 5000)).resolves.toBeUndefined()
    await expect(file.warm(0, 0)).resolves.toBeUndefined()
    await expect(new MemoryBytes(content).warm(0, 10)).resolves.toBeUndefined()
    await file.close()
    await expect(file.warm(0, 100)).resolves.toBeUndefined()
  })

  it('refuses to read once closed, even when the descriptor number is given to another file', async () => {
    const dir = await tempDir()
    const path = join(dir, 'bytes.bin')
    await writeFile(path, content)
    await writeFile(join(dir, 'other.bin'), Buffer.alloc(300, 7))
    const file = await FileBytes.open(path)
    expect(file.bytesAt(0, 4)).toEqual(content.subarray(0, 4))
    await file.close()
    const other = await open(join(dir, 'other.bin'))
    try {
      expect(file.closed).toBe(true)
      expect(() => file.bytesAt(0, 4)).toThrow(/bytes\.bin was closed/)
    } finally {
      await other.close()
    }
    await file.close() // a second close does nothing
  })
})
