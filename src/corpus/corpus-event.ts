/** What a corpus reader yields: an article ready to index, or a record it had to skip. */
import type { SkipReason } from '../errors.js'
import type { Article, RecordLocation } from './article.js'

export type CorpusEvent =
  | { type: 'article', article: Article, location: RecordLocation }
  | { type: 'skip', location: RecordLocation, reason: SkipReason, message: string }

export function skipEvent (file: string, line: number, reason: SkipReason, message: string): CorpusEvent {
  return { type: 'skip', location: { file, line }, reason, message }
}
