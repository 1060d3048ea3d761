/**
 * Reads a whole corpus — files and folders in any mix of formats — as one stream of
 * articles and skip reports. A file that cannot be read at all is reported and the other
 * files are still read.
 */
import { basename } from 'node:path'
import type { ArticleOptions } from './article.js'
import { skipEvent, type CorpusEvent } from './corpus-event.js'
import type { CorpusFile, CorpusFormat } from './corpus-files.js'
import type { BytesListener } from './open-input.js'
import { readCsv } from './formats/csv.js'
import { readJsonLines } from './formats/json-lines.js'
import { readPageExport } from './formats/page-export.js'

type FormatReader = (file: string, onBytes?: BytesListener, options?: ArticleOptions) => AsyncGenerator<CorpusEvent>

const READERS: Record<CorpusFormat, FormatReader> = {
  'json-lines': readJsonLines,
  csv: readCsv,
  'page-export': readPageExport
}

/** `options.timeZone` (TIME_ZONE) is the zone of dates written without one. */
export async function * readCorpus (files: readonly CorpusFile[], onBytes?: BytesListener, options: ArticleOptions = {}): AsyncGenerator<CorpusEvent> {
  for (const file of files) {
    if (file.format === undefined) {
      onBytes?.(file.bytes)
      yield skipEvent(file.path, 0, 'unsupported-format', `${basename(file.path)}: not .jsonl, .json, .csv or .txt (optionally .gz)`)
      continue
    }
    try {
      yield * READERS[file.format](file.path, onBytes, options)
    } catch (error) {
      // A read or decompression failure ends this file, not the corpus.
      yield skipEvent(file.path, 0, 'unreadable-file', (error as Error).message)
    }
  }
}
