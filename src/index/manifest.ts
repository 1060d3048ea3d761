/**
 * A build's manifest: what was built, from what, by which analyzer, and a checksum per
 * file, so a truncated, bit-flipped or foreign build is detected before it is served.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SkipReason, WarningReason } from '../errors.js'

export const MANIFEST_FILE = 'manifest.json'
/**
 * The one version of a build's files: index.bin, docs.bin and this manifest have none of
 * their own. Bump it when the folder layout, any file's bytes or the indexed fields change;
 * a server meeting a build of another version refuses it and rebuilds (open-index.ts).
 *
 * | version | what changed |
 * | --- | --- |
 * | 1 | MiniSearch's JSON |
 * | 2 | the binary index file |
 * | 3 | the lead field (the body's opening, indexed again) |
 * | 4 | the term tree in postorder, read lazily |
 * | 5 | docs.bin: one record per document, read by offset |
 * | 6 | the form table (each term's word forms, for snippets). index.bin's header held a `serializationVersion` of its own (4) until December 2026; it is no longer written nor read |
 * | 7 | duplicates.bin: near-duplicate signatures and groups (duplicate-file.ts); suggest.bin: word forms as written and frequent word pairs, for /suggest (suggest-table.ts) |
 * | 8 | docs.bin records deflated, the body UTF-8 (document-record.ts). Builds of format 7 are still read |
 * | 9 | docs.dict: the preset dictionary docs.bin's records are deflated against, once the build has learnt it (document-dictionary.ts). Builds of formats 7 and 8 are still read |
 */
export const INDEX_FORMAT_VERSION = 9

/** Formats this poisk reads: the current one, and 7 and 8 (whose docs.bin differs only in its records' encoding). */
export const READABLE_FORMAT_VERSIONS: ReadonlySet<number> = new Set([7, 8, INDEX_FORMAT_VERSION])

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
  /** Indexed records stored with something dropped (a bad URL); absent in older builds' manifests. */
  warned?: number
  warnedByReason?: Partial<Record<WarningReason, number>>
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
  /** TIME_ZONE the corpus was read in (times written without a zone); absent in older builds: Europe/Moscow. */
  timeZone?: string
  /** A postgresql:// corpus: the newest `updated_at` of the rows read, as the database printed it (where `serve --follow` starts). */
  sourcePosition?: string
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
