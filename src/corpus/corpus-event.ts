/** What a corpus reader yields: an article ready to index, or a record it had to skip. */
import type { SkipReason } from '../errors.js'
import type { Article, ReadArticle, RecordLocation, RecordWarning } from './article.js'

export type CorpusEvent =
  /** `warnings`: what was dropped from the record (a bad URL); absent when nothing was. */
  | { type: 'article', article: Article, location: RecordLocation, warnings?: RecordWarning[] }
  | { type: 'skip', location: RecordLocation, reason: SkipReason, message: string }

export function articleEvent (file: string, line: number, { article, warnings }: ReadArticle): CorpusEvent {
  return { type: 'article', article, location: { file, line }, ...(warnings.length === 0 ? {} : { warnings }) }
}

export type SkipEvent = Extract<CorpusEvent, { type: 'skip' }>

export function skipEvent (file: string, line: number, reason: SkipReason, message: string): SkipEvent {
  return { type: 'skip', location: { file, line }, reason, message }
}
