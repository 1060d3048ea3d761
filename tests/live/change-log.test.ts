import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { ChangeLog, changeLogPath, changesAfter, readChangeLog } from '../../src/live/change-log.js'
import { tempDir } from '../helpers/temp-dir.js'

const article = (id: string, title: string) => ({ id, kind: 'article' as const, title, body: '', tags: [] })

describe('the change log', () => {
  it('appends numbered changes that read back in order', async () => {
    const dir = await tempDir()
    const { log } = await ChangeLog.open(dir)
    await log.append({ op: 'put', id: 'a', article: article('a', 'Первый') })
    await log.append({ op: 'delete', id: 'b' })
    await log.close()
    const { changes, tornBytes } = await readChangeLog(dir)
    expect(tornBytes).toBe(0)
    expect(changes.map(change => [change.seq, change.op, change.id])).toEqual([[1, 'put', 'a'], [2, 'delete', 'b']])
    expect(changesAfter(changes, 1).map(change => change.seq)).toEqual([2])
  })

  it('cuts a torn last line off and continues numbering after the last whole change', async () => {
    const dir = await tempDir()
    const first = await ChangeLog.open(dir)
    await first.log.append({ op: 'delete', id: 'a' })
    await first.log.close()
    await appendFile(changeLogPath(dir), '{"seq":2,"op":"put","id":"b","artic')
    const { log, contents } = await ChangeLog.open(dir)
    expect(contents.tornBytes).toBeGreaterThan(0)
    expect(log.lastSeq).toBe(1)
    await log.append({ op: 'delete', id: 'c' })
    await log.close()
    const lines = (await readFile(changeLogPath(dir), 'utf8')).trim().split('\n').map(line => JSON.parse(line))
    expect(lines.map(line => [line.seq, line.id])).toEqual([[1, 'a'], [2, 'c']])
  })

  it('compacts to the newest change per document, keeping sequence numbers', async () => {
    const dir = await tempDir()
    const { log } = await ChangeLog.open(dir)
    await log.append({ op: 'put', id: 'a', article: article('a', 'v1') })
    await log.append({ op: 'put', id: 'b', article: article('b', 'v1') })
    await log.append({ op: 'put', id: 'a', article: article('a', 'v2') })
    await log.append({ op: 'delete', id: 'b' })
    expect(await log.compact()).toEqual({ before: 4, after: 2 })
    await log.append({ op: 'delete', id: 'c' })
    await log.close()
    const { changes } = await readChangeLog(dir)
    expect(changes.map(change => [change.seq, change.op, change.id])).toEqual([[3, 'put', 'a'], [4, 'delete', 'b'], [5, 'delete', 'c']])
  })

  it('keeps the log whole and appendable when compaction cannot write the new file', async () => {
    const dir = await tempDir()
    const { log } = await ChangeLog.open(dir)
    await log.append({ op: 'put', id: 'a', article: article('a', 'v1') })
    await log.append({ op: 'put', id: 'a', article: article('a', 'v2') })
    // A folder where the rewrite's temporary file must go: opening it for writing fails.
    await mkdir(`${changeLogPath(dir)}.tmp-${process.pid}`)
    await expect(log.compact()).rejects.toThrow()
    await log.append({ op: 'delete', id: 'b' })
    await log.close()
    const { changes } = await readChangeLog(dir)
    expect(changes.map(change => [change.seq, change.id])).toEqual([[1, 'a'], [2, 'a'], [3, 'b']])
  })

  it('compacts when grown, and not on every append once more documents than the threshold have changed', async () => {
    const dir = await tempDir()
    const { log } = await ChangeLog.open(dir)
    for (const id of ['a', 'b', 'c']) await log.append({ op: 'delete', id })
    expect(await log.compactIfGrown(4)).toBeUndefined() // below the threshold
    for (const id of ['d', 'e']) await log.append({ op: 'delete', id })
    // Five distinct documents: nothing to drop, but the log was read to find that out…
    expect(await log.compactIfGrown(4)).toEqual({ before: 5, after: 5 })
    // …so it is not read again until it has doubled.
    for (const id of ['f', 'g', 'h', 'i']) {
      await log.append({ op: 'delete', id })
      expect(await log.compactIfGrown(4)).toBeUndefined()
    }
    await log.append({ op: 'delete', id: 'a' })
    expect(await log.compactIfGrown(4)).toEqual({ before: 10, after: 9 })
    await log.close()
  })
})
