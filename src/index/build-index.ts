/**
 * Builds an index from a corpus and publishes it: corpus → analysis → MiniSearch, with
 * the full documents written beside it for snippets. Shared by the CLI and the server.
 *
 * Every record is either indexed or counted as skipped with its reason (indexed + skipped
 * = seen). Headlines from feed lists are held back to the end: a headline that is also an
 * indexed article's title would only duplicate that article.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import MiniSearch from 'minisearch'
import type { Analyzer } from '../analysis/analyzer.js'
import { headlineArticle, type Article } from '../corpus/article.js'
import type { CorpusEvent } from '../corpus/corpus-event.js'
import { corpusDigest, listCorpusFiles } from '../corpus/corpus-files.js'
import { readCorpus } from '../corpus/read-corpus.js'
import { AppendWriter, writeFileDurably } from './durable-fs.js'
import { DOCUMENTS_FILE } from './document-store.js'
import { INDEX_FILE, writeIndexFile } from './index-file.js'
import { createTempBuild, newBuildId, publishBuild } from './index-directory.js'
import { INDEX_FORMAT_VERSION, MANIFEST_FILE, type CorpusSummary, type FileEntry, type Manifest } from './manifest.js'
import { miniSearchOptions, type IndexedDocument } from './minisearch-options.js'
import { minisearchVersion } from './versions.js'

export interface BuildProgress {
  bytesRead: number
  bytesTotal: number
  indexed: number
  skipped: number
}

export interface BuildOptions {
  corpusPaths: string[]
  indexDir: string
  analyzer: Analyzer
  onProgress?: (progress: BuildProgress) => void
  onSkip?: (event: Extract<CorpusEvent, { type: 'skip' }>) => void
  /** Progress is reported at most this often. */
  progressIntervalMs?: number
}

export interface BuildResult {
  buildId: string
  dir: string
  manifest: Manifest
}

export async function buildIndex (options: BuildOptions): Promise<BuildResult> {
  const files = await listCorpusFiles(options.corpusPaths)
  const digest = await corpusDigest(files)
  const buildId = newBuildId()
  const tempDir = await createTempBuild(options.indexDir, buildId)
  let collector: DocumentCollector | undefined
  try {
    const progress: BuildProgress = { bytesRead: 0, bytesTotal: sum(files.map(file => file.bytes)), indexed: 0, skipped: 0 }
    collector = await DocumentCollector.create(tempDir, options.analyzer)
    const report = throttle(() => options.onProgress?.(progress), options.progressIntervalMs ?? 200)
    for await (const event of readCorpus(files, bytes => { progress.bytesRead += bytes })) {
      if (event.type === 'skip') options.onSkip?.(event)
      await collector.accept(event)
      progress.indexed = collector.summary.indexed
      progress.skipped = collector.summary.skipped
      report()
    }
    const { miniSearch, summary, documentsFile } = await collector.finish()
    options.onProgress?.({ ...progress, indexed: summary.indexed, skipped: summary.skipped })
    const indexFile = await writeIndexFile(join(tempDir, INDEX_FILE), miniSearch.toJSON())
    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      buildId,
      createdAt: new Date().toISOString(),
      documentCount: miniSearch.documentCount,
      analyzerVersion: options.analyzer.version,
      corpusDigest: digest,
      corpusPaths: files.map(file => file.path),
      minisearchVersion,
      summary,
      files: [{ name: INDEX_FILE, ...indexFile }, { name: DOCUMENTS_FILE, ...documentsFile }]
    }
    await writeFileDurably(join(tempDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
    const dir = await publishBuild(options.indexDir, tempDir, buildId)
    return { buildId, dir, manifest }
  } catch (error) {
    await collector?.abandon()
    await rm(tempDir, { recursive: true, force: true })
    throw error
  }
}

/** Turns corpus events into indexed documents, counting everything it sees. */
class DocumentCollector {
  readonly summary: CorpusSummary = {
    seen: 0, indexed: 0, articles: 0, headlines: 0, skipped: 0, skippedByReason: {}, mergedHeadlines: 0
  }

  private readonly ids = new Set<string>()
  /** Headline ids of the indexed articles' titles: a feed headline equal to one is a repeat. */
  private readonly articleTitleIds = new Set<string>()
  private readonly pendingHeadlines = new Map<string, Article>()
  private finished = false

  private constructor (
    private readonly miniSearch: MiniSearch<IndexedDocument>,
    private readonly documents: AppendWriter
  ) {}

  static async create (dir: string, analyzer: Analyzer): Promise<DocumentCollector> {
    const documents = await AppendWriter.create(join(dir, DOCUMENTS_FILE))
    return new DocumentCollector(new MiniSearch(miniSearchOptions(analyzer)), documents)
  }

  async accept (event: CorpusEvent): Promise<void> {
    this.summary.seen += 1
    if (event.type === 'skip') return this.countSkip(event.reason)
    const { article } = event
    if (article.kind === 'headline') return this.holdHeadline(article)
    if (this.ids.has(article.id)) return this.countSkip('duplicate-id')
    await this.add(article)
    this.articleTitleIds.add(headlineArticle(article.title).id)
  }

  async finish (): Promise<{ miniSearch: MiniSearch<IndexedDocument>, summary: CorpusSummary, documentsFile: Omit<FileEntry, 'name'> }> {
    try {
      for (const headline of this.pendingHeadlines.values()) {
        if (this.articleTitleIds.has(headline.id) || this.ids.has(headline.id)) {
          this.summary.mergedHeadlines += 1
        } else {
          await this.add(headline)
        }
      }
    } catch (error) {
      await this.abandon()
      throw error
    }
    this.finished = true
    const documentsFile = await this.documents.close()
    return { miniSearch: this.miniSearch, summary: this.summary, documentsFile }
  }

  /** Closes the documents file after a failure; harmless once finished. */
  async abandon (): Promise<void> {
    if (this.finished) return
    this.finished = true
    await this.documents.abandon()
  }

  private holdHeadline (headline: Article): void {
    if (this.pendingHeadlines.has(headline.id)) {
      this.summary.mergedHeadlines += 1
    } else {
      this.pendingHeadlines.set(headline.id, headline)
    }
  }

  private async add (article: Article): Promise<void> {
    const location = await this.documents.append(`${JSON.stringify(article)}\n`)
    this.miniSearch.add(toIndexedDocument(article, location))
    this.ids.add(article.id)
    this.summary.indexed += 1
    if (article.kind === 'headline') this.summary.headlines += 1
    else this.summary.articles += 1
  }

  private countSkip (reason: keyof CorpusSummary['skippedByReason']): void {
    this.summary.skipped += 1
    this.summary.skippedByReason[reason] = (this.summary.skippedByReason[reason] ?? 0) + 1
  }
}

export function toIndexedDocument (article: Article, location: { offset: number, length: number }): IndexedDocument {
  const { id, kind, title, body, url, date, tags, source } = article
  return {
    id,
    kind,
    title,
    body,
    ...(url === undefined ? {} : { url }),
    ...(date === undefined ? {} : { date }),
    ...(tags.length === 0 ? {} : { tags }),
    ...(source === undefined ? {} : { source }),
    offset: location.offset,
    length: location.length
  }
}

function sum (values: number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

function throttle (fn: () => void, intervalMs: number): () => void {
  let last = 0
  return () => {
    const now = Date.now()
    if (now - last >= intervalMs) {
      last = now
      fn()
    }
  }
}
