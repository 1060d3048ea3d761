/**
 * An index written under another MiniSearch is refused like one of another analyzer
 * (beside open-index.test.ts's analyzer case): its file is MiniSearch's private state as
 * that version shaped it. The manifest's checksums cover index.bin and docs.bin, not the
 * manifest, so editing its minisearchVersion leaves the build otherwise whole.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { buildIndex } from '../../src/index/build-index.js'
import { buildPath } from '../../src/index/index-directory.js'
import { indexFreshness } from '../../src/index/index-freshness.js'
import { MANIFEST_FILE, type Manifest } from '../../src/index/manifest.js'
import { loadBuild, openNewestUsable } from '../../src/index/open-index.js'
import { minisearchVersion } from '../../src/index/versions.js'
import { IndexIncompatibleError } from '../../src/errors.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

const OTHER_VERSION = '7.1.0'

async function oneBuild () {
  const indexDir = await tempDir()
  const analyzer = createDefaultAnalyzer()
  const build = await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
  return { indexDir, analyzer, buildId: build.buildId, dir: buildPath(indexDir, build.buildId) }
}

async function editManifest (dir: string, change: (manifest: Manifest) => Manifest): Promise<void> {
  const path = join(dir, MANIFEST_FILE)
  await writeFile(path, JSON.stringify(change(JSON.parse(await readFile(path, 'utf8')) as Manifest), null, 1))
}

describe('an index written under another MiniSearch', () => {
  it('is what a build of this poisk is not: the manifest names the running MiniSearch, and its checksums leave the manifest out', async () => {
    const { indexDir, analyzer, buildId, dir } = await oneBuild()
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest
    expect(manifest.minisearchVersion).toBe(minisearchVersion)
    expect(minisearchVersion).not.toBe(OTHER_VERSION)
    expect(manifest.files.map(file => file.name)).not.toContain(MANIFEST_FILE)
    // Rewritten byte for byte otherwise (other spacing, same fields): still loads.
    await editManifest(dir, same => same)
    const snapshot = await loadBuild(indexDir, buildId, analyzer)
    await snapshot.documents.close()
  })

  it('is refused at load, naming both versions', async () => {
    const { indexDir, analyzer, buildId, dir } = await oneBuild()
    await editManifest(dir, manifest => ({ ...manifest, minisearchVersion: OTHER_VERSION }))
    const loading = loadBuild(indexDir, buildId, analyzer)
    await expect(loading).rejects.toThrow(IndexIncompatibleError)
    await expect(loading).rejects.toThrow(`written by MiniSearch ${OTHER_VERSION}, this poisk runs ${minisearchVersion}`)
    await expect(loading).rejects.toMatchObject({ code: 'POISK_INDEX_INCOMPATIBLE' })
  })

  it('is skipped for an older build of this MiniSearch, and leaves nothing to serve when it is the only one', async () => {
    const { indexDir, analyzer, buildId: older } = await oneBuild()
    const newer = await buildIndex({ corpusPaths: [FIXTURE_CORPUS], indexDir, analyzer })
    await editManifest(buildPath(indexDir, newer.buildId), manifest => ({ ...manifest, minisearchVersion: OTHER_VERSION }))
    const fallback = await openNewestUsable(indexDir, analyzer)
    await fallback.snapshot?.documents.close()
    expect(fallback.snapshot?.buildId).toBe(older)
    expect(fallback.rejected).toEqual([{ buildId: newer.buildId, reason: expect.stringContaining(`written by MiniSearch ${OTHER_VERSION}, this poisk runs ${minisearchVersion}`) }])

    await editManifest(buildPath(indexDir, older), manifest => ({ ...manifest, minisearchVersion: OTHER_VERSION }))
    const none = await openNewestUsable(indexDir, analyzer)
    expect(none.snapshot).toBeUndefined()
    expect(none.rejected.map(build => build.buildId)).toEqual([newer.buildId, older])
    for (const build of none.rejected) expect(build.reason).toMatch(/written by MiniSearch 7\.1\.0/)
  })

  it('is not fresh, so poisk start rebuilds it', async () => {
    const { indexDir, analyzer, dir } = await oneBuild()
    expect(await indexFreshness(indexDir, [FIXTURE_CORPUS], analyzer)).toMatchObject({ fresh: true })
    await editManifest(dir, manifest => ({ ...manifest, minisearchVersion: OTHER_VERSION }))
    expect(await indexFreshness(indexDir, [FIXTURE_CORPUS], analyzer)).toEqual({
      fresh: false,
      reason: `MiniSearch changed (${OTHER_VERSION} → ${minisearchVersion})`
    })
  })
})
