/**
 * Builds an index from a corpus and publishes it: corpus → analysis → MiniSearch, with
 * the full documents written beside it for snippets. Shared by the CLI and the server.
 *
 * Every record is either indexed or counted as skipped with its reason (indexed + skipped
 * = seen). Headlines from feed lists are held back to the end: a headline that is also an
 * indexed article's title would only duplicate that article.
 */
import { mkdir, rm } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import type MiniSearch from 'minisearch'
import { analyzerForVersion } from '../analysis/analyzer-registry.js'
import type { Analyzer } from '../analysis/analyzer.js'
import { headlineArticle, type Article, type RecordLocation, type RecordWarning } from '../corpus/article.js'
import { skipEvent, type CorpusEvent, type SkipEvent } from '../corpus/corpus-event.js'
import { DEFAULT_TIME_ZONE } from '../corpus/dates.js'
import { corpusDigest, listCorpusFiles, type CorpusFile } from '../corpus/corpus-files.js'
import { readCorpus } from '../corpus/read-corpus.js'
import { readCorpusInWorker } from '../corpus/read-corpus-in-worker.js'
import { databaseSourceOf, describeSource, readDatabaseCorpus, sourceBytes, sourceDigest, type DatabaseSource } from '../corpus/postgres-source.js'
import { BuildAbortedError } from '../errors.js'
import { acquireBuildLock } from './build-lock.js'
import { readChangeLog, type DocumentChange } from './change-records.js'
import { AnalysisPool } from './analysis-pool.js'
import { TermCounter, type AnalysedBatch, type DocumentFields } from './document-terms.js'
import { AppendWriter, writeDigestedFile, writeFileDurably } from './durable-fs.js'
import { DOCUMENTS_FILE } from './document-store.js'
import { encodeDocument } from './document-record.js'
import { DocumentDictionaryTrainer, DOCUMENTS_DICTIONARY_FILE } from './document-dictionary.js'
import { DUPLICATES_FILE, writeDuplicatesFile } from './duplicate-file.js'
import { inlineSuggestSink, workerSuggestSink, type SuggestSink } from './suggest-sink.js'
import { SUGGEST_FILE, writeSuggestFile } from './suggest-table.js'
import { DuplicateIndex, signatureOfText } from './duplicate-index.js'
import { SIGNATURE_BINS } from './near-duplicates.js'
import { SignatureTable } from './signature-table.js'
import { SpillFile } from './spill-file.js'
import type { FormCollector } from './form-table.js'
import { INDEX_FILE, writeIndexFile, type TermTreeSource } from './index-file.js'
import { createTempBuild, newBuildId, publishBuild, removeTempBuilds } from './index-directory.js'
import { INDEX_FORMAT_VERSION, MANIFEST_FILE, type CorpusSummary, type FileEntry, type Manifest } from './manifest.js'
import { IndexBuilder } from './index-builder.js'
import { putDocument } from './put-document.js'
import { leadOf, miniSearchOptions, SEARCH_FIELDS, searchFieldTexts, SHARED_STORED_FIELDS, SIGNATURE_FIELD, type IndexedDocument } from './minisearch-options.js'
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
  /** Each skipped record, with its file and line (a repeated id too). */
  onSkip?: (event: SkipEvent) => void
  /** Each indexed record stored with something dropped (a bad URL), with its file and line. */
  onWarning?: (location: RecordLocation, warning: RecordWarning) => void
  /** TIME_ZONE: the zone of dates written without one; Europe/Moscow by default. Recorded in the manifest. */
  timeZone?: string
  /** Progress is reported at most this often. */
  progressIntervalMs?: number
  /** The id to publish under (the server names a build before it starts); a fresh one by default. */
  buildId?: string
  /** Stops the build between records; the temporary folder is removed. */
  signal?: AbortSignal
  /** Called as each stage of writing is reached: for logs, and for crash tests. */
  onStage?: (stage: BuildStage) => void
  /**
   * Worker threads analysing documents; 0 analyses on the main thread. By default, one per
   * core but one (at least one) for corpora of at least `PARALLEL_FROM_BYTES` (a worker costs
   * about a second to start and load the dictionaries, which a small corpus does not repay),
   * else 0. Workers analyse only never-seen tokens (analysis-pool.ts), each once; on two
   * shared cores, two workers cost more CPU than one (each loads the dictionaries) for no speed.
   */
  analysisWorkers?: number
  /**
   * Reads the corpus (gunzip, decoding, parsing, validation) in a worker thread of its own
   * (read-corpus-in-worker.ts), off the main thread, which scans and counts. By default for
   * corpora of at least `PARALLEL_FROM_BYTES`.
   */
  readInWorker?: boolean
}

/** Corpora smaller than this are analysed on the main thread by default. */
export const PARALLEL_FROM_BYTES = 4 * 1024 * 1024

/** The points a build passes, in order. `renamed` is after the build folder is in place, before CURRENT names it. */
export type BuildStage = 'locked' | 'corpus-read' | 'documents-written' | 'index-written' | 'manifest-written' | 'renamed' | 'published'

export interface BuildResult {
  buildId: string
  dir: string
  manifest: Manifest
}

/**
 * Builds under the index folder's build lock (one build at a time per folder, across
 * processes), then folds the change log into the new build.
 */
export async function buildIndex (options: BuildOptions): Promise<BuildResult> {
  // A postgresql:// corpus (postgres-source.ts) is read from the database; its digest names the rows' source.
  const database = databaseSourceOf(options.corpusPaths)
  const files = database === undefined ? await listCorpusFiles(options.corpusPaths) : []
  const digest = database === undefined ? await corpusDigest(files) : sourceDigest(database)
  const buildId = options.buildId ?? newBuildId()
  await mkdir(options.indexDir, { recursive: true })
  const lock = await acquireBuildLock(options.indexDir)
  try {
    // Holding the lock, no other build is running: any temporary folder is a dead one's.
    await removeTempBuilds(options.indexDir)
    options.onStage?.('locked')
    return await buildLocked(options, files, digest, buildId, database)
  } finally {
    await lock.release()
  }
}

async function buildLocked (options: BuildOptions, files: CorpusFile[], digest: string, buildId: string, database?: DatabaseSource): Promise<BuildResult> {
  const stage = (name: BuildStage): void => options.onStage?.(name)
  const tempDir = await createTempBuild(options.indexDir, buildId)
  let collector: DocumentCollector | undefined
  try {
    const bytesTotal = database === undefined ? sum(files.map(file => file.bytes)) : await sourceBytes(database) ?? PARALLEL_FROM_BYTES
    const progress: BuildProgress = { bytesRead: 0, bytesTotal, indexed: 0, skipped: 0 }
    collector = await DocumentCollector.create(tempDir, options.analyzer, analysisWorkers(options, progress.bytesTotal), {
      onSkip: event => options.onSkip?.(event),
      onWarning: (location, warning) => options.onWarning?.(location, warning)
    })
    const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE
    const report = throttle(() => options.onProgress?.(progress), options.progressIntervalMs ?? 200)
    const onBytes = (bytes: number): void => { progress.bytesRead += bytes }
    let sourcePosition: string | undefined
    const events = database !== undefined
      ? readDatabaseCorpus(database, {
        article: { timeZone },
        onBytes: (read, total) => { progress.bytesRead = read; progress.bytesTotal = total },
        onPosition: position => { sourcePosition = position }
      })
      : (options.readInWorker ?? progress.bytesTotal >= PARALLEL_FROM_BYTES)
          ? readCorpusInWorker(files, onBytes, { timeZone })
          : readCorpus(files, onBytes, { timeZone })
    for await (const event of events) {
      checkAborted(options.signal)
      if (event.type === 'skip') options.onSkip?.(event)
      await collector.accept(event)
      progress.indexed = collector.summary.indexed
      progress.skipped = collector.summary.skipped
      report()
    }
    stage('corpus-read')
    // Changes logged up to now are folded in; later ones are replayed over this build when it is loaded.
    const { changes } = await readChangeLog(options.indexDir)
    const { miniSearch, terms, forms, summary, documentsFile, dictionaryFile, duplicatesFile, suggestFile } = await collector.finish(changes)
    options.onProgress?.({ ...progress, indexed: summary.indexed, skipped: summary.skipped })
    stage('documents-written')
    checkAborted(options.signal)
    const indexFile = await writeIndexFile(join(tempDir, INDEX_FILE), miniSearch, forms, terms)
    // Written: its postings are no longer read from the scratch files, which must not be published.
    await collector.removeScratch()
    stage('index-written')
    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      buildId,
      createdAt: new Date().toISOString(),
      documentCount: miniSearch.documentCount,
      analyzerVersion: options.analyzer.version,
      corpusDigest: digest,
      corpusPaths: database === undefined ? files.map(file => file.path) : [describeSource(database)],
      ...(sourcePosition === undefined ? {} : { sourcePosition }),
      minisearchVersion,
      summary,
      timeZone,
      changesApplied: changes.at(-1)?.seq ?? 0,
      files: [{ name: INDEX_FILE, ...indexFile }, { name: DOCUMENTS_FILE, ...documentsFile }, { name: DOCUMENTS_DICTIONARY_FILE, ...dictionaryFile }, { name: DUPLICATES_FILE, ...duplicatesFile }, { name: SUGGEST_FILE, ...suggestFile }]
    }
    await writeFileDurably(join(tempDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
    stage('manifest-written')
    checkAborted(options.signal)
    const dir = await publishBuild(options.indexDir, tempDir, buildId, { onRenamed: () => stage('renamed') })
    stage('published')
    return { buildId, dir, manifest }
  } catch (error) {
    await collector?.abandon()
    await rm(tempDir, { recursive: true, force: true })
    throw error
  }
}

/** The signatures' scratch file in the build's temporary folder (spill-file.ts). */
const SIGNATURES_SCRATCH = 'signatures.scratch'

/** Documents handed to the analysis workers in one message. */
const BATCH_DOCUMENTS = 64
/**
 * Batches in flight per worker: enough to keep every worker busy, few enough to bound memory.
 * Early batches are mostly new words, analysed in the workers; a deep queue lets the main
 * thread read and scan ahead meanwhile (16 × 64 rt articles hold ≈15 MB of text).
 */
const BATCHES_PER_WORKER = 16

/** A logged change once its text is stored (`document`, undefined for a delete), waiting for the index. */
interface RecordedChange {
  id: string
  document?: IndexedDocument
}

interface PendingBatch {
  documents: IndexedDocument[]
  analysed: Promise<AnalysedBatch>
}

/** What the collector finds itself: repeated ids (skips) and indexed records' warnings, each with its file and line. */
interface CollectorReports {
  onSkip: (event: SkipEvent) => void
  onWarning: (location: RecordLocation, warning: RecordWarning) => void
}

/**
 * Turns corpus events into indexed documents, counting everything it sees. Documents are
 * analysed in worker threads when a pool is given (in batches, a bounded number in
 * flight, merged in corpus order), else on the main thread.
 */
class DocumentCollector {
  readonly summary: CorpusSummary = {
    seen: 0, indexed: 0, articles: 0, headlines: 0, skipped: 0, skippedByReason: {}, mergedHeadlines: 0, warned: 0, warnedByReason: {}
  }

  private readonly ids = new Set<string>()
  private readonly pendingHeadlines = new Map<string, Article>()
  /** Each indexed document's near-duplicate signature (those too short for one left out), in index order; kept in the build's folder until grouped. */
  private readonly signatures: SignatureTable
  /** Learns docs.dict from the first articles; the records after them are deflated against it. */
  private readonly dictionary = new DocumentDictionaryTrainer()
  private readonly builder: IndexBuilder<IndexedDocument>
  /** Counts a batch's terms: in the analysis workers, or on this thread for a small corpus. */
  private readonly analyseTexts: (texts: DocumentFields[]) => Promise<AnalysedBatch>
  private batch: IndexedDocument[] = []
  private readonly inFlight: PendingBatch[] = []
  private finished = false
  /** Batches analysed or being analysed but not merged yet; on the main thread each is merged at once. */
  private readonly maxInFlight: number

  private constructor (
    private readonly analyzer: Analyzer,
    private readonly dir: string,
    private readonly documents: AppendWriter,
    private readonly pool: AnalysisPool | undefined,
    private readonly reports: CollectorReports,
    /** The suggestion table's counts of every document's words as written (suggest-table.ts). */
    private readonly suggestions: SuggestSink
  ) {
    // Its postings are kept in the build's folder rather than in memory, until the index is written.
    this.builder = new IndexBuilder(miniSearchOptions(analyzer), dir, undefined, SHARED_STORED_FIELDS)
    this.signatures = new SignatureTable(SpillFile.create(join(dir, SIGNATURES_SCRATCH)))
    this.maxInFlight = pool === undefined ? 1 : pool.size * BATCHES_PER_WORKER
    if (pool !== undefined) {
      this.analyseTexts = async texts => await pool.analyse(texts, SEARCH_FIELDS.length)
    } else {
      // One counter for the whole build, as the pool keeps one: a token is analysed once, not once per batch.
      const counter = new TermCounter(analyzer, 0, SIGNATURE_FIELD)
      this.analyseTexts = async texts => counter.analyse(texts, SEARCH_FIELDS.length)
    }
  }

  static async create (dir: string, analyzer: Analyzer, workers: number, reports: CollectorReports): Promise<DocumentCollector> {
    const documents = await AppendWriter.create(join(dir, DOCUMENTS_FILE))
    const pool = workers > 0 ? new AnalysisPool(workers, analyzer.version, SIGNATURE_FIELD) : undefined
    // A large corpus (one with analysis workers) has its words counted for suggestions in a thread of their own.
    const suggestions = pool === undefined ? inlineSuggestSink() : workerSuggestSink(dir)
    return new DocumentCollector(analyzer, dir, documents, pool, reports, suggestions)
  }

  async accept (event: CorpusEvent): Promise<void> {
    this.summary.seen += 1
    if (event.type === 'skip') return this.countSkip(event.reason)
    const { article, location } = event
    if (article.kind === 'headline') return this.holdHeadline(article)
    if (this.ids.has(article.id)) {
      // Found here, not by the reader: reported with its file and line like every other skip.
      this.reports.onSkip(skipEvent(location.file, location.line, 'duplicate-id', `id «${article.id}» was already indexed from an earlier record`))
      return this.countSkip('duplicate-id')
    }
    this.countWarnings(location, event.warnings ?? [])
    await this.add(article)
  }

  /**
   * The built index and the rest of the build. `terms` is where the index's term tree is
   * written from, when it is not in `miniSearch` (see index-builder.ts's `BuiltIndex`).
   */
  async finish (changes: readonly DocumentChange[] = []): Promise<{ miniSearch: MiniSearch<IndexedDocument>, terms?: TermTreeSource, forms: FormCollector, summary: CorpusSummary, documentsFile: Omit<FileEntry, 'name'>, dictionaryFile: Omit<FileEntry, 'name'>, duplicatesFile: Omit<FileEntry, 'name'>, suggestFile: Omit<FileEntry, 'name'> }> {
    let miniSearch: MiniSearch<IndexedDocument>
    let terms: TermTreeSource | undefined
    let suggestFile: Omit<FileEntry, 'name'>
    let duplicatesFile: Omit<FileEntry, 'name'>
    try {
      const articleTitleIds = await this.articleTitleIds()
      for (const headline of this.pendingHeadlines.values()) {
        if (articleTitleIds.has(headline.id) || this.ids.has(headline.id)) {
          this.summary.mergedHeadlines += 1
        } else {
          await this.add(headline)
        }
      }
      this.sendBatch()
      while (this.inFlight.length > 0) await this.mergeOldestBatch()
      await this.pool?.close()
      const recorded: RecordedChange[] = []
      for (const change of changes) recorded.push(await this.recordChange(change))
      // The rest is done, and its files written, before the postings are encoded and the index
      // file is written, so that none of it is held meanwhile: the suggestion worker's counts
      // (given back when it exits), the table, the signatures and the grouping's working arrays.
      suggestFile = await this.writeSuggestions()
      duplicatesFile = await this.writeDuplicates()
      const built = this.builder.finish()
      if (recorded.length === 0) {
        // Written straight from the builder's trie: MiniSearch's tree of every term is never made.
        miniSearch = built.miniSearch
        terms = built
      } else {
        // Logged changes go through MiniSearch's own add and discard, on its tree.
        miniSearch = built.withTerms()
        for (const change of recorded) this.indexChange(miniSearch, change)
        // Replaced and removed documents leave dirt in the index; the saved form holds none.
        if (miniSearch.dirtCount > 0) await miniSearch.vacuum()
      }
    } catch (error) {
      await this.abandon()
      throw error
    }
    this.finished = true
    const documentsFile = await this.documents.close()
    const dictionaryFile = await writeDigestedFile(join(this.dir, DOCUMENTS_DICTIONARY_FILE), this.dictionary.dictionary ?? Buffer.alloc(0))
    return { miniSearch, terms, forms: this.builder.forms, summary: this.summary, documentsFile, dictionaryFile, duplicatesFile, suggestFile }
  }

  /** suggest.bin, written as soon as the table is made: the table (77 MB at 800,000 documents) is not held while the index is. */
  private async writeSuggestions (): Promise<Omit<FileEntry, 'name'>> {
    return await writeSuggestFile(join(this.dir, SUGGEST_FILE), await this.suggestions.finish())
  }

  /** duplicates.bin, written as soon as the signatures are grouped: they (205 MB at 800,000 documents) are not held while the index is. */
  private async writeDuplicates (): Promise<Omit<FileEntry, 'name'>> {
    const duplicates = DuplicateIndex.group(this.signatures.entries())
    this.signatures.clear()
    return await writeDuplicatesFile(join(this.dir, DUPLICATES_FILE), duplicates)
  }

  /**
   * Headline ids of the indexed articles' titles, once every article is in the index: a feed
   * headline equal to one is a repeat. Made only when there are feed headlines, from the
   * stored titles: kept as articles came, they were 800,000 strings and a Set through the
   * build's peak of a corpus without any.
   */
  private async articleTitleIds (): Promise<Set<string>> {
    const ids = new Set<string>()
    if (this.pendingHeadlines.size === 0) return ids
    this.sendBatch()
    while (this.inFlight.length > 0) await this.mergeOldestBatch()
    for (const title of this.builder.storedValues('title')) if (typeof title === 'string') ids.add(headlineArticle(title).id)
    return ids
  }

  /** Deletes the builder's scratch files, once the index file is written. */
  async removeScratch (): Promise<void> {
    await this.builder.removeScratch()
    await this.signatures.removeScratch()
  }

  /** Closes the documents file and stops the workers after a failure; harmless once finished. */
  async abandon (): Promise<void> {
    await this.removeScratch()
    if (this.finished) return
    this.finished = true
    await this.pool?.close()
    await this.suggestions.abandon()
    await this.documents.abandon()
  }

  /**
   * A logged change overrides the corpus, the newest version of a document winning: here its
   * text is stored, signed and counted for suggestions, before the index is made; `indexChange`
   * puts it into the index after.
   */
  private async recordChange (change: DocumentChange): Promise<RecordedChange> {
    this.signatures.delete(change.id)
    if (change.op === 'delete') return { id: change.id }
    const signature = signatureOfText(this.analyzer, change.article.body)
    if (signature !== undefined) this.signatures.set(change.id, signature)
    await this.suggestions.add(change.article.title, change.article.body)
    const location = await this.documents.appendOwned(this.encode(change.article))
    this.ids.add(change.id)
    return { id: change.id, document: toIndexedDocument(change.article, location) }
  }

  private indexChange (miniSearch: MiniSearch<IndexedDocument>, { id, document }: RecordedChange): void {
    if (document !== undefined) putDocument(miniSearch, this.builder.forms, this.analyzer, document)
    else if (miniSearch.has(id)) miniSearch.discard(id)
  }

  /** The article's docs.bin record: against the dictionary once it is learnt, before that teaching it. */
  private encode (article: Article): Buffer {
    const dictionary = this.dictionary.dictionary
    if (dictionary === undefined) this.dictionary.learn(article)
    return encodeDocument(article, dictionary)
  }

  private holdHeadline (headline: Article): void {
    if (this.pendingHeadlines.has(headline.id)) {
      this.summary.mergedHeadlines += 1
    } else {
      this.pendingHeadlines.set(headline.id, headline)
    }
  }

  private async add (article: Article): Promise<void> {
    await this.suggestions.add(article.title, article.body)
    const location = await this.documents.appendOwned(this.encode(article))
    const document = toIndexedDocument(article, location)
    this.ids.add(article.id)
    this.summary.indexed += 1
    if (article.kind === 'headline') this.summary.headlines += 1
    else this.summary.articles += 1
    this.batch.push(document)
    if (this.batch.length >= BATCH_DOCUMENTS) this.sendBatch()
    // Back-pressure: the corpus is read no faster than the workers analyse it.
    while (this.inFlight.length > 0 && this.inFlight.length >= this.maxInFlight) await this.mergeOldestBatch()
  }

  private sendBatch (): void {
    if (this.batch.length === 0) return
    const documents = this.batch
    this.batch = []
    const texts = documents.map(searchFieldTexts)
    const analysed = this.analyseTexts(texts)
    // Awaited in order by mergeOldestBatch; a failure meanwhile must not count as unhandled.
    analysed.catch(() => {})
    // The texts are scanned by now; the merge needs only ids and stored fields, so the
    // bodies can be collected young rather than promoted while the batch waits.
    this.inFlight.push({ documents: documents.map(withoutTexts), analysed })
  }

  private async mergeOldestBatch (): Promise<void> {
    const oldest = this.inFlight.shift()
    if (oldest === undefined) return
    const analysed = await oldest.analysed
    this.builder.addBatch(oldest.documents, analysed)
    const { signatures, signed } = analysed
    if (signatures === undefined || signed === undefined) return
    oldest.documents.forEach((document, at) => {
      if (signed[at] === 1) this.signatures.set(document.id, signatures, at * SIGNATURE_BINS)
    })
  }

  private countWarnings (location: RecordLocation, warnings: readonly RecordWarning[]): void {
    if (warnings.length === 0) return
    this.summary.warned = (this.summary.warned ?? 0) + 1
    const byReason = this.summary.warnedByReason ??= {}
    for (const warning of warnings) {
      byReason[warning.reason] = (byReason[warning.reason] ?? 0) + 1
      this.reports.onWarning(location, warning)
    }
  }

  private countSkip (reason: keyof CorpusSummary['skippedByReason']): void {
    this.summary.skipped += 1
    this.summary.skippedByReason[reason] = (this.summary.skippedByReason[reason] ?? 0) + 1
  }
}

function withoutTexts (document: IndexedDocument): IndexedDocument {
  return { ...document, lead: '', body: '' }
}

function analysisWorkers (options: BuildOptions, corpusBytes: number): number {
  if (analyzerForVersion(options.analyzer.version) === undefined) return 0
  if (options.analysisWorkers !== undefined) return options.analysisWorkers
  // The main thread is busy too (reading, parsing, merging): one worker per remaining core.
  return corpusBytes >= PARALLEL_FROM_BYTES ? Math.max(1, availableParallelism() - 1) : 0
}

export function toIndexedDocument (article: Article, location: { offset: number, length: number }): IndexedDocument {
  const { id, kind, title, body, url, date, tags, source } = article
  return {
    id,
    kind,
    title,
    lead: leadOf(body),
    body,
    ...(url === undefined ? {} : { url }),
    ...(date === undefined ? {} : { date }),
    ...(tags.length === 0 ? {} : { tags }),
    ...(source === undefined ? {} : { source }),
    offset: location.offset,
    length: location.length
  }
}

function checkAborted (signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new BuildAbortedError()
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
