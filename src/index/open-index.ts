/**
 * Loads a published build into a searchable snapshot, after checking that it is whole
 * (sizes and CRC-32 of every file — SHA-256 for builds listing no CRC-32, see
 * file-checksum.ts), of this index format, built by this analyzer and written under this
 * MiniSearch (its private state is read straight into memory: minisearch-internals.ts).
 * `openNewestUsable` falls back from the live build to older ones, so a corrupt or foreign
 * build is reported and skipped, never served and never fatal.
 */
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type MiniSearch from 'minisearch'
import type { Analyzer } from '../analysis/analyzer.js'
import { IndexIncompatibleError, IndexLoadError } from '../errors.js'
import { defaultDocumentStoreOptions, DOCUMENTS_FILE, DocumentStore, type DocumentStoreOptions } from './document-store.js'
import { DOCUMENTS_DICTIONARY_FILE, MAX_DICTIONARY_BYTES } from './document-dictionary.js'
import { DUPLICATES_FILE, readDuplicatesFile } from './duplicate-file.js'
import { readSuggestFile, SUGGEST_FILE, type SuggestTable } from './suggest-table.js'
import type { DuplicateIndex } from './duplicate-index.js'
import type { FormTable } from './form-table.js'
import { INDEX_FILE, readIndexFile, type LoadedIndex } from './index-file.js'
import { buildPath, listBuilds, readCurrentBuildId } from './index-directory.js'
import { fileCrc32, fileSha256 } from './file-checksum.js'
import { READABLE_FORMAT_VERSIONS, readManifest, type Manifest } from './manifest.js'
import { miniSearchOptions, type IndexedDocument } from './minisearch-options.js'
import { minisearchVersion } from './versions.js'

export interface Snapshot {
  readonly buildId: string
  readonly manifest: Manifest
  readonly miniSearch: MiniSearch<IndexedDocument>
  readonly documents: DocumentStore
  readonly analyzer: Analyzer
  /** Each term's word forms, complete for every document in `miniSearch` (live changes add theirs). */
  readonly forms: FormTable
  /** Near-duplicate groups (search collapses them), kept current by live changes. */
  readonly duplicates: DuplicateIndex
  /** The build's word forms and pairs as written, for /suggest (suggest-table.ts); a live change does not update it. Absent in snapshots held only in memory (the evaluation's). */
  readonly suggestions?: SuggestTable
  /** index.bin, which the term tree, postings, word forms and stored texts are read from (index-file.ts). Absent in snapshots held only in memory. */
  readonly termFile?: { close: () => Promise<void> }
}

/** Closes a snapshot's files (its documents and its index file): once no request can still read it. */
export async function closeSnapshot (snapshot: Snapshot): Promise<void> {
  try {
    await snapshot.documents.close()
  } finally {
    await Promise.all([snapshot.termFile?.close(), snapshot.duplicates.close()])
  }
}

/** The files a build of `formatVersion` lists in its manifest: docs.dict since format 9. */
function expectedFiles (formatVersion: number): ReadonlySet<string> {
  const files = [INDEX_FILE, DOCUMENTS_FILE, DUPLICATES_FILE, SUGGEST_FILE]
  return new Set(formatVersion >= 9 ? [...files, DOCUMENTS_DICTIONARY_FILE] : files)
}

export async function loadBuild (indexDir: string, buildId: string, analyzer: Analyzer, documents: DocumentStoreOptions = defaultDocumentStoreOptions): Promise<Snapshot> {
  const dir = buildPath(indexDir, buildId)
  const manifest = await loadManifest(dir)
  checkCompatible(dir, manifest, analyzer)
  await checkSizes(dir, manifest)
  // Checksums are computed while the index is read (its reads wait on the disk while the
  // index is parsed); a checksum failure is reported before a read failure it may have caused.
  const checksums = verifyChecksums(dir, manifest)
  checksums.catch(() => {})
  let loaded: LoadedIndex<IndexedDocument>
  try {
    loaded = await readIndexFile(join(dir, INDEX_FILE), miniSearchOptions(analyzer))
  } catch (error) {
    await checksums
    throw new IndexLoadError(dir, `cannot read ${INDEX_FILE}: ${(error as Error).message}`, { cause: error })
  }
  try {
    await checksums
    return await loadRestOfBuild(dir, buildId, manifest, analyzer, loaded, documents)
  } catch (error) {
    await loaded.termFile.close()
    throw error
  }
}

/** The build's other files, once its index file is loaded. */
async function loadRestOfBuild (dir: string, buildId: string, manifest: Manifest, analyzer: Analyzer, loaded: LoadedIndex<IndexedDocument>, documents: DocumentStoreOptions): Promise<Snapshot> {
  const { miniSearch, forms, termFile } = loaded
  if (miniSearch.documentCount !== manifest.documentCount) {
    throw new IndexLoadError(dir, `holds ${miniSearch.documentCount} documents, the manifest says ${manifest.documentCount}`)
  }
  let duplicates: DuplicateIndex
  try {
    duplicates = await readDuplicatesFile(join(dir, DUPLICATES_FILE))
  } catch (error) {
    throw new IndexLoadError(dir, `cannot read ${DUPLICATES_FILE}: ${(error as Error).message}`, { cause: error })
  }
  try {
    const suggestions = await readSuggestFile(join(dir, SUGGEST_FILE)).catch((error: unknown) => {
      throw new IndexLoadError(dir, `cannot read ${SUGGEST_FILE}: ${(error as Error).message}`, { cause: error })
    })
    const dictionary = manifest.formatVersion >= 9 ? await readDictionary(dir) : undefined
    const store = await DocumentStore.open(join(dir, DOCUMENTS_FILE), { ...documents, encoding: manifest.formatVersion < 8 ? 'utf16le' : 'deflate', dictionary })
    return { buildId, manifest, miniSearch, documents: store, analyzer, forms, duplicates, suggestions, termFile }
  } catch (error) {
    await duplicates.close()
    throw error
  }
}

/** The build's docs.dict (checked with the other files); empty when the corpus was too small to learn one. */
async function readDictionary (dir: string): Promise<Buffer | undefined> {
  const dictionary = await readFile(join(dir, DOCUMENTS_DICTIONARY_FILE)).catch((error: unknown) => {
    throw new IndexLoadError(dir, `cannot read ${DOCUMENTS_DICTIONARY_FILE}: ${(error as Error).message}`, { cause: error })
  })
  if (dictionary.length > MAX_DICTIONARY_BYTES) throw new IndexLoadError(dir, `${DOCUMENTS_DICTIONARY_FILE} holds ${dictionary.length} bytes, more than a dictionary can (${MAX_DICTIONARY_BYTES})`)
  return dictionary.length === 0 ? undefined : dictionary
}

export interface RejectedBuild {
  buildId: string
  reason: string
}

export interface OpenResult {
  snapshot: Snapshot | undefined
  /** Builds tried and refused, newest first, with why. */
  rejected: RejectedBuild[]
}

/** The live build if it is usable, else the newest usable older build. */
export async function openNewestUsable (indexDir: string, analyzer: Analyzer, documents: DocumentStoreOptions = defaultDocumentStoreOptions): Promise<OpenResult> {
  const current = await readCurrentBuildId(indexDir)
  const candidates = [...new Set([...(current === undefined ? [] : [current]), ...await listBuilds(indexDir)])]
  const rejected: RejectedBuild[] = []
  for (const buildId of candidates) {
    try {
      return { snapshot: await loadBuild(indexDir, buildId, analyzer, documents), rejected }
    } catch (error) {
      if (!(error instanceof IndexLoadError) && !(error instanceof IndexIncompatibleError)) throw error
      rejected.push({ buildId, reason: error.message })
    }
  }
  return { snapshot: undefined, rejected }
}

async function loadManifest (dir: string): Promise<Manifest> {
  try {
    return await readManifest(dir)
  } catch (error) {
    throw new IndexLoadError(dir, `unreadable manifest: ${(error as Error).message}`, { cause: error })
  }
}

function checkCompatible (dir: string, manifest: Manifest, analyzer: Analyzer): void {
  if (!READABLE_FORMAT_VERSIONS.has(manifest.formatVersion)) {
    throw new IndexIncompatibleError(dir, `index format ${String(manifest.formatVersion)}, this poisk reads ${[...READABLE_FORMAT_VERSIONS].join(', ')}`)
  }
  if (manifest.analyzerVersion !== analyzer.version) {
    throw new IndexIncompatibleError(dir, `built by analyzer ${manifest.analyzerVersion}, this poisk uses ${analyzer.version}`)
  }
  // index.bin is MiniSearch's private maps and tree as they were; another version may shape them otherwise.
  if (manifest.minisearchVersion !== minisearchVersion) {
    throw new IndexIncompatibleError(dir, `written by MiniSearch ${String(manifest.minisearchVersion)}, this poisk runs ${minisearchVersion}`)
  }
}

async function checkSizes (dir: string, manifest: Manifest): Promise<void> {
  const names = new Set((manifest.files ?? []).map(file => file.name))
  const expected = expectedFiles(manifest.formatVersion)
  for (const name of expected) {
    if (!names.has(name)) throw new IndexLoadError(dir, `the manifest lists no ${name}`)
  }
  for (const file of manifest.files) {
    if (!expected.has(file.name)) throw new IndexLoadError(dir, `unexpected file ${file.name} in the manifest`)
    const path = join(dir, file.name)
    const size = await stat(path).then(info => info.size, () => undefined)
    if (size === undefined) throw new IndexLoadError(dir, `${file.name} is missing`)
    if (size !== file.bytes) throw new IndexLoadError(dir, `${file.name} has ${size} bytes, the manifest says ${file.bytes}`)
  }
}

async function verifyChecksums (dir: string, manifest: Manifest): Promise<void> {
  const results = await Promise.all(manifest.files.map(async file => {
    try {
      const path = join(dir, file.name)
      if (file.crc32 !== undefined) return await fileCrc32(path) === file.crc32
      return await fileSha256(path, file.bytes) === file.sha256
    } catch (error) {
      throw new IndexLoadError(dir, `cannot read ${file.name}: ${(error as Error).message}`, { cause: error })
    }
  }))
  const failed = manifest.files.find((_file, at) => results[at] !== true)
  if (failed !== undefined) throw new IndexLoadError(dir, `${failed.name} fails its checksum`)
}
