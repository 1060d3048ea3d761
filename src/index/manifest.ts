/**
 * A build's manifest: what was built, from what, by which analyzer, and a checksum per
 * file, so a truncated, bit-flipped or foreign build is detected before it is served.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SkipReason } from '../errors.js'

export const MANIFEST_FILE = 'manifest.json'
/**
 * Bump when the folder layout, a file's format or the indexed fields change (2: binary index
 * file; 3: the lead field; 4: the term tree in postorder, read lazily; 5: docs.bin records).
 */
export const INDEX_FORMAT_VERSION = 6

export interface FileEntry {
  name: string
  bytes: number
  sha256: string
  /** zlib's CRC-32 of the file, checked at load (absent in manifests of older builds: SHA-256 is checked then). */
  crc32?: number
}

export interface CorpusSummary {
  /** Records read, whether indexed or skipped. */
  seen: number
  indexed: number
  articles: number
  headlines: number
  skipped: number
  skippedByReason: Partial<Record<SkipReason, number>>
  /** Repeats of a headline already indexed: merged, not errors. */
  mergedHeadlines: number
}

export interface Manifest {
  formatVersion: number
  buildId: string
  createdAt: string
  documentCount: number
  analyzerVersion: string
  corpusDigest: string
  corpusPaths: string[]
  minisearchVersion: string
  summary: CorpusSummary
  /** The last change-log sequence number folded into this build (0 or absent: none). */
  changesApplied?: number
  files: FileEntry[]
}

export async function readManifest (dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest
}

export async function sha256File (path: string): Promise<string> {
  const hash = createHash('sha256')
  // 1 MiB reads: a few ms of hashing each, and 16× fewer event-loop turns than the default 64 KiB.
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
