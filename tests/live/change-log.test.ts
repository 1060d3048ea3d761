import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { changeLogPath, changesAfter, readChangeLog } from '../../src/index/change-records.js'
import { ChangeLogWriteError, DiskFullError } from '../../src/errors.js'
import { ChangeLog } from '../../src/live/change-log.js'
import { faultyFiles } from '../helpers/faulty-log-file.js'
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
    const lines = (await readFile(changeLogPath(dir), 'utf8')).trim().split('\n').map(line => JSON.parse(line.split('\t')[0] as string))
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

describe('the change log at the edges', () => {
  const put = (id: string) => ({ op: 'put' as const, id, article: article(id, `Заголовок ${id}`) })
  const logger = () => {
    const lines: Array<{ level: string, details: object, message: string }> = []
    return {
      lines,
      info: (details: object, message: string) => { lines.push({ level: 'info', details, message }) },
      warn: (details: object, message: string) => { lines.push({ level: 'warn', details, message }) },
      error: (details: object, message: string) => { lines.push({ level: 'error', details, message }) }
    }
  }

  it('writes each record with a CRC-32 of its JSON, and still reads records written without one', async () => {
    const dir = await tempDir()
    await writeFile(changeLogPath(dir), `${JSON.stringify({ op: 'delete', id: 'old', seq: 1, at: '2026-01-01T00:00:00.000Z' })}\n`)
    const { log } = await ChangeLog.open(dir)
    await log.append({ op: 'delete', id: 'new' })
    await log.close()
    const lines = (await readFile(changeLogPath(dir), 'utf8')).trim().split('\n')
    const [json, checksum] = (lines[1] as string).split('\t') as [string, string]
    expect(checksum).toBe(crc32(Buffer.from(json)).toString(16).padStart(8, '0'))
    const { changes, damaged } = await readChangeLog(dir)
    expect(damaged).toEqual([])
    expect(changes.map(change => [change.seq, change.id])).toEqual([[1, 'old'], [2, 'new']])
  })

  it('skips a damaged record in the middle, keeps every intact one after it, copies the file aside and never cuts an intact record', async () => {
    const dir = await tempDir()
    const first = await ChangeLog.open(dir)
    for (const id of ['a', 'b', 'c', 'd']) await first.log.append(put(id))
    await first.log.close()
    const original = await readFile(changeLogPath(dir))
    // Flip one letter inside the second record's title: its JSON still parses, its checksum does not hold.
    const secondStart = original.indexOf(0x0a) + 1
    const damagedAt = original.indexOf('Заголовок b')
    const damaged = Buffer.from(original)
    damaged[damagedAt + 1] = (damaged[damagedAt + 1] as number) ^ 1
    await writeFile(changeLogPath(dir), damaged)

    const read = await readChangeLog(dir)
    expect(read.changes.map(change => change.id)).toEqual(['a', 'c', 'd'])
    // The flipped letter is in the title, so the record still names its document: the change to send again.
    expect(read.damaged).toEqual([{ offset: secondStart, bytes: original.indexOf(0x0a, secondStart) - secondStart, reason: 'checksum', id: 'b' }])

    const log = logger()
    const { log: reopened, contents } = await ChangeLog.open(dir, { logger: log })
    expect(contents.changes.map(change => change.id)).toEqual(['a', 'c', 'd'])
    expect(reopened.lastSeq).toBe(4)
    expect(log.lines).toHaveLength(1)
    expect(log.lines[0]?.level).toBe('error')
    expect(log.lines[0]?.details).toMatchObject({ damaged: [{ offset: secondStart, reason: 'checksum' }], intact: 3 })
    // The damaged file is kept whole beside the log for inspection.
    const copies = (await readdir(dir)).filter(name => name.startsWith('changes.jsonl.damaged-'))
    expect(copies).toHaveLength(1)
    expect(await readFile(join(dir, copies[0] as string))).toEqual(damaged)
    await reopened.append(put('e'))
    await reopened.close()
    const after = await readChangeLog(dir)
    expect(after.damaged).toEqual([])
    expect(after.changes.map(change => [change.seq, change.id])).toEqual([[1, 'a'], [3, 'c'], [4, 'd'], [5, 'e']])
  })

  it('cuts only a torn tail, and says that it was never acknowledged', async () => {
    const dir = await tempDir()
    const first = await ChangeLog.open(dir)
    await first.log.append(put('a'))
    await first.log.close()
    const whole = (await readFile(changeLogPath(dir))).length
    await appendFile(changeLogPath(dir), '{"op":"put","id":"b","artic')
    const log = logger()
    const { log: reopened } = await ChangeLog.open(dir, { logger: log })
    await reopened.close()
    expect((await readFile(changeLogPath(dir))).length).toBe(whole)
    expect(log.lines.map(line => line.message)).toEqual([expect.stringMatching(/torn last record.*never acknowledged/)])
    expect(log.lines[0]?.details).toMatchObject({ offset: whole, bytes: 27 })
  })

  it('recovers a whole record an older writer appended after a failed partial write', async () => {
    const dir = await tempDir()
    const record = (seq: number, id: string) => JSON.stringify({ op: 'delete', id, seq, at: '2026-01-01T00:00:00.000Z' })
    // The fragment of seq 2 was never acknowledged; seq 3 was, and must survive.
    await writeFile(changeLogPath(dir), `${record(1, 'a')}\n${record(2, 'b').slice(0, 20)}${record(3, 'c')}\n${record(4, 'd')}\n`)
    const { changes, damaged } = await readChangeLog(dir)
    expect(changes.map(change => [change.seq, change.id])).toEqual([[1, 'a'], [3, 'c'], [4, 'd']])
    expect(damaged).toMatchObject([{ reason: 'unparsable', recoveredSeq: 3 }])
  })

  it('answers a full disk with DiskFullError and leaves nothing of the change in the log; writes succeed again once there is room', async () => {
    const dir = await tempDir()
    const files = faultyFiles()
    const { log } = await ChangeLog.open(dir, { openFile: files.openFile })
    await log.append(put('a'))
    files.last().full = true
    await expect(log.append(put('b'))).rejects.toBeInstanceOf(DiskFullError)
    await expect(log.append(put('c'))).rejects.toMatchObject({ code: 'POISK_DISK_FULL', statusCode: 507, message: expect.stringContaining(dir) })
    expect((await readChangeLog(dir)).changes.map(change => change.id)).toEqual(['a'])
    files.last().full = false
    const acknowledged = ['a']
    for (const id of ['d', 'e', 'f']) {
      await log.append(put(id))
      acknowledged.push(id)
    }
    await log.close()
    const { changes, damaged, tornBytes } = await readChangeLog(dir)
    expect({ damaged, tornBytes }).toEqual({ damaged: [], tornBytes: 0 })
    expect(changes.map(change => [change.seq, change.id])).toEqual(acknowledged.map((id, i) => [i + 1, id]))
    // …and so does a server that opens this log next.
    const reopened = await ChangeLog.open(dir)
    expect(reopened.contents.changes).toHaveLength(4)
    await reopened.log.close()
  })

  it('refuses appends while a failed write cannot be cut back, and cuts it before the next one', async () => {
    const dir = await tempDir()
    const files = faultyFiles()
    const { log } = await ChangeLog.open(dir, { openFile: files.openFile })
    await log.append(put('a'))
    files.last().full = true
    files.last().truncateFails = true
    await expect(log.append(put('b'))).rejects.toBeInstanceOf(DiskFullError)
    files.last().full = false
    // The fragment is still there: appending after it would bury the next record in a damaged line.
    await expect(log.append(put('c'))).rejects.toBeInstanceOf(ChangeLogWriteError)
    expect((await readChangeLog(dir)).tornBytes).toBeGreaterThan(0)
    files.last().truncateFails = false
    await log.append(put('d'))
    await log.close()
    const { changes, damaged, tornBytes } = await readChangeLog(dir)
    expect({ damaged, tornBytes }).toEqual({ damaged: [], tornBytes: 0 })
    expect(changes.map(change => change.id)).toEqual(['a', 'd'])
  })

  it('resolves an append only after its fsync', async () => {
    const dir = await tempDir()
    const files = faultyFiles()
    const { log } = await ChangeLog.open(dir, { openFile: files.openFile })
    let release: () => void = () => {}
    files.last().syncGate = new Promise(resolve => { release = resolve })
    let resolved = false
    const appended = log.append(put('a')).then(() => { resolved = true })
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(files.last().calls).toEqual(['write', 'datasync'])
    expect(resolved).toBe(false)
    release()
    await appended
    expect(resolved).toBe(true)
    await log.close()
  })
  it('appends a batch with one write and one fsync, numbered in order, and reads it back whole', async () => {
    const dir = await tempDir()
    const files = faultyFiles()
    const { log } = await ChangeLog.open(dir, { openFile: files.openFile })
    await log.append(put('first'))
    const ids = Array.from({ length: 500 }, (_, i) => `b-${i}`)
    const committed = await log.appendAll(ids.map(put))
    expect(committed.map(change => change.seq)).toEqual(ids.map((_, i) => i + 2))
    expect(files.last().calls).toEqual(['write', 'datasync', 'write', 'datasync'])
    expect(await log.appendAll([])).toEqual([])
    expect(files.last().calls).toHaveLength(4)
    expect(log.lastSeq).toBe(501)
    await log.close()
    const { changes, damaged, tornBytes } = await readChangeLog(dir)
    expect({ damaged, tornBytes }).toEqual({ damaged: [], tornBytes: 0 })
    expect(changes.map(change => change.id)).toEqual(['first', ...ids])
  })

  it('leaves nothing of a batch in the log when its write fails, and numbers the next one on from the last record', async () => {
    const dir = await tempDir()
    const files = faultyFiles()
    const { log } = await ChangeLog.open(dir, { openFile: files.openFile })
    await log.appendAll([put('a'), put('b')])
    files.last().full = true
    await expect(log.appendAll([put('c'), put('d'), put('e')])).rejects.toBeInstanceOf(DiskFullError)
    files.last().full = false
    expect((await log.appendAll([put('f')])).map(change => change.seq)).toEqual([3])
    await log.close()
    const { changes, damaged, tornBytes } = await readChangeLog(dir)
    expect({ damaged, tornBytes }).toEqual({ damaged: [], tornBytes: 0 })
    expect(changes.map(change => [change.seq, change.id])).toEqual([[1, 'a'], [2, 'b'], [3, 'f']])
  })
})
