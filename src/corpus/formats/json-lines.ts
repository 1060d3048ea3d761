/**
 * JSON Lines: one article object a line (`id`, `title`, `body`|`text`|`content`, and
 * optional `date`, `url`, `tags`, `summary`, `source`). Streams, so a file of any size
 * costs memory for one line at a time.
 */
import { CorpusRecordError } from '../../errors.js'
import { readArticle, type ArticleOptions } from '../article.js'
import { articleEvent, skipEvent, type CorpusEvent } from '../corpus-event.js'
import { openInput, type BytesListener } from '../open-input.js'
import { readLines } from '../read-lines.js'

export async function * readJsonLines (file: string, onBytes?: BytesListener, options: ArticleOptions = {}): AsyncGenerator<CorpusEvent> {
  for await (const line of readLines(await openInput(file, onBytes))) {
    if ('error' in line) {
      yield skipEvent(file, line.number, 'invalid-utf8', 'line is not valid UTF-8')
      continue
    }
    if (line.text.trim() === '') continue
    yield parseLine(file, line.number, line.text, options)
  }
}

function parseLine (file: string, line: number, text: string, options: ArticleOptions): CorpusEvent {
  let record: unknown
  try {
    record = JSON.parse(text)
  } catch (error) {
    return skipEvent(file, line, 'invalid-json', (error as Error).message)
  }
  try {
    return articleEvent(file, line, readArticle(record, options))
  } catch (error) {
    if (error instanceof CorpusRecordError) return skipEvent(file, line, error.reason, error.message)
    throw error
  }
}
