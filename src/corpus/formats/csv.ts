/**
 * News CSV exports with a header row: the Lenta.ru dump (`url,title,text,topic,tags[,date]`)
 * and the many-column Russian news sets (`date,url,edition,topics,authors,title,text,…`).
 * Columns are matched by name, so column order and extra columns do not matter. Streams
 * through csv-parse; a syntactically broken row is reported and skipped.
 */
import { parse, type CsvError, type Info } from 'csv-parse'
import { CorpusRecordError } from '../../errors.js'
import { readArticle, type ArticleOptions } from '../article.js'
import { articleEvent, skipEvent, type CorpusEvent } from '../corpus-event.js'
import { openInput, type BytesListener } from '../open-input.js'

type Row = Record<string, string | undefined>

const REPLACEMENT_CHARACTER = '\uFFFD'
/** Lenta.ru URLs carry the date: https://lenta.ru/news/2018/12/14/cancer/ */
const DATE_IN_URL = /\/(\d{4})\/(\d{2})\/(\d{2})\//

export async function * readCsv (file: string, onBytes?: BytesListener, options: ArticleOptions = {}): AsyncGenerator<CorpusEvent> {
  const skipped: CorpusEvent[] = []
  const parser = (await openInput(file, onBytes)).pipe(parse({
    columns: (header: string[]) => header.map(name => name.trim().toLowerCase()),
    bom: true,
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true
  }))
  parser.on('skip', (error: CsvError) => {
    skipped.push(skipEvent(file, Number(error.lines ?? 0), 'csv-syntax', error.message))
  })
  for await (const { record, info } of parser as AsyncIterable<{ record: Row, info: Info }>) {
    yield * skipped.splice(0)
    yield rowToEvent(file, info.lines, record, options)
  }
  yield * skipped.splice(0)
}

function rowToEvent (file: string, line: number, row: Row, options: ArticleOptions): CorpusEvent {
  if (Object.values(row).some(value => value?.includes(REPLACEMENT_CHARACTER))) {
    return skipEvent(file, line, 'invalid-utf8', 'row is not valid UTF-8')
  }
  try {
    return articleEvent(file, line, readArticle(rowToRecord(row), options))
  } catch (error) {
    if (error instanceof CorpusRecordError) return skipEvent(file, line, error.reason, error.message)
    throw error
  }
}

function rowToRecord (row: Row): Record<string, unknown> {
  const tags = [row.topic, row.topics, row.tags].filter(cell => cell !== undefined && cell.trim() !== '').join(',')
  const edition = row.edition?.trim()
  return {
    id: row.id,
    title: row.title,
    body: row.text ?? row.body ?? row.content,
    url: row.url,
    date: row.date ?? dateFromUrl(row.url),
    tags,
    source: edition !== undefined && edition !== '-' && edition !== '' ? edition : row.source
  }
}

function dateFromUrl (url: string | undefined): string | undefined {
  const match = url === undefined ? null : DATE_IN_URL.exec(url)
  return match === null ? undefined : `${match[1]}-${match[2]}-${match[3]}`
}
