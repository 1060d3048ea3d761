import { readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import { buildPath } from '../../src/index/index-directory.js'
import { loadBuild, openNewestUsable } from '../../src/index/open-index.js'
import { IndexIncompatibleError, IndexLoadError } from '../../src/errors.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

async function twoBuilds () {
  const indexDir = await tempDir()
  const analyzer = createDefaultAnalyzer()
  const older = await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
  const newer = await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
  return { indexDir, analyzer, older, newer, newerDir: buildPath(indexDir, newer.buildId) }
}

async function openAndClose (indexDir: string) {
  const result = await openNewestUsable(indexDir, createDefaultAnalyzer())
  await result.snapshot?.documents.close()
  return result
}

describe('opening an index', () => {
  it('serves the live build when it is whole', async () => {
    const { indexDir, newer } = await twoBuilds()
    const { snapshot, rejected } = await openAndClose(indexDir)
    expect(snapshot?.buildId).toBe(newer.buildId)
    expect(rejected).toEqual([])
  })

  it.each([
    ['truncated', async (dir: string) => { await truncate(join(dir, 'index.bin'), 1000) }, /bytes/],
    ['bit-flipped', async (dir: string) => {
      const data = await readFile(join(dir, 'docs.bin'))
      const middle = Math.floor(data.length / 2)
      data[middle] = (data[middle] ?? 0) ^ 0x01
      await writeFile(join(dir, 'docs.bin'), data)
    }, /checksum/],
    ['missing a file', async (dir: string) => { await rm(join(dir, 'docs.bin')) }, /missing/],
    ['a garbled manifest', async (dir: string) => { await writeFile(join(dir, 'manifest.json'), '{"formatVersion": 1, ') }, /manifest/],
    ['a foreign file', async (dir: string) => { await writeFile(join(dir, 'manifest.json'), JSON.stringify({ hello: 'world' })) }, /index format/]
  ])('falls back to the previous build when the live one is %s', async (_name, damage, reason) => {
    const { indexDir, older, newer, newerDir } = await twoBuilds()
    await damage(newerDir)
    const { snapshot, rejected } = await openAndClose(indexDir)
    expect(snapshot?.buildId).toBe(older.buildId)
    expect(rejected).toHaveLength(1)
    expect(rejected[0]?.buildId).toBe(newer.buildId)
    expect(rejected[0]?.reason).toMatch(reason)
  })

  it('checks SHA-256 instead when the manifest lists no CRC-32', async () => {
    const { indexDir, older, newer, newerDir } = await twoBuilds()
    const manifest = JSON.parse(await readFile(join(newerDir, 'manifest.json'), 'utf8'))
    expect(manifest.files.every((file: { crc32?: number }) => typeof file.crc32 === 'number')).toBe(true)
    const files = manifest.files.map(({ crc32: _crc32, ...file }: { crc32?: number }) => file)
    await writeFile(join(newerDir, 'manifest.json'), JSON.stringify({ ...manifest, files }))
    expect((await openAndClose(indexDir)).snapshot?.buildId).toBe(newer.buildId)
    const data = await readFile(join(newerDir, 'docs.bin'))
    data[data.length >> 1] = (data[data.length >> 1] ?? 0) ^ 0x04
    await writeFile(join(newerDir, 'docs.bin'), data)
    const { snapshot, rejected } = await openAndClose(indexDir)
    expect(snapshot?.buildId).toBe(older.buildId)
    expect(rejected[0]?.reason).toMatch(/docs\.bin fails its checksum/)
  })

  it('refuses an index built by another analyzer version', async () => {
    const { indexDir, newer } = await twoBuilds()
    const other = { ...createDefaultAnalyzer(), version: 'other-p9' }
    await expect(loadBuild(indexDir, newer.buildId, other)).rejects.toThrow(IndexIncompatibleError)
    const { snapshot, rejected } = await openNewestUsable(indexDir, other)
    expect(snapshot).toBeUndefined()
    expect(rejected).toHaveLength(2)
  })

  it('reports no snapshot for an empty folder', async () => {
    const { snapshot, rejected } = await openAndClose(await tempDir())
    expect(snapshot).toBeUndefined()
    expect(rejected).toEqual([])
  })

  it('rejects an index whose document count disagrees with its manifest', async () => {
    const { indexDir, newer, newerDir } = await twoBuilds()
    const manifest = JSON.parse(await readFile(join(newerDir, 'manifest.json'), 'utf8'))
    await writeFile(join(newerDir, 'manifest.json'), JSON.stringify({ ...manifest, documentCount: 1 }))
    await expect(loadBuild(indexDir, newer.buildId, createDefaultAnalyzer())).rejects.toThrow(IndexLoadError)
  })
})
