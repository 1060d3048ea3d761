/**
 * JSON schemas for every route's input and output (TypeBox). Fastify validates and
 * coerces input with them and serialises output through them, which also keeps internal
 * fields from leaking into responses.
 */
import { Type, type Static } from 'typebox'
import { SearchFeatureFields, SearchFeatureParams } from './feature-schemas.js'

export const MAX_QUERY_LENGTH = 500
export const MAX_LIMIT = 100
export const MAX_OFFSET = 10_000

export const SearchQuerystring = Type.Object({
  q: Type.String({ minLength: 1, maxLength: MAX_QUERY_LENGTH, description: 'Keywords, in any case form' }),
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: 10 }),
  offset: Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 }),
  ...SearchFeatureParams
}, { additionalProperties: false })
export type SearchQuerystring = Static<typeof SearchQuerystring>

const Optional = Type.Optional

export const SearchHit = Type.Object({
  id: Type.String(),
  title: Type.String(),
  titleHtml: Type.String({ description: 'HTML-escaped headline with matched words in <mark>' }),
  kind: Type.Union([Type.Literal('article'), Type.Literal('headline')]),
  url: Optional(Type.String()),
  date: Optional(Type.String()),
  source: Optional(Type.String()),
  tags: Optional(Type.Array(Type.String())),
  score: Type.Number(),
  snippet: Type.String({ description: 'HTML-escaped passage with matched words in <mark>' })
})

export const SearchResponse = Type.Object({
  query: Type.String(),
  total: Type.Integer(),
  tookMs: Type.Number(),
  hits: Type.Array(SearchHit),
  totalAllWords: Type.Integer({ description: 'Of total, the results holding every query word (for each word, one of its readings)' }),
  facetsOver: Optional(Type.Union([Type.Literal('allWords'), Type.Literal('all')], {
    description: 'What facets counts: allWords, the results holding every query word, or all, every result (when none holds them all)'
  })),
  droppedPhrases: Optional(Type.Array(Type.String(), { description: 'Quoted phrases searched as plain words instead (see interpretedAs): no result held them, or the query is long (a pasted headline), where quotes are not a demand' })),
  phraseChecked: Optional(Type.Integer({ description: 'Only this many best candidates were checked for the phrases: total is a lower bound' })),
  ...SearchFeatureFields
})

export const DocumentParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 512 })
})
export type DocumentParams = Static<typeof DocumentParams>

export const Document = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('article'), Type.Literal('headline')]),
  title: Type.String(),
  body: Type.String(),
  summary: Optional(Type.String()),
  date: Optional(Type.String()),
  url: Optional(Type.String()),
  tags: Type.Array(Type.String()),
  source: Optional(Type.String())
})

export const Health = Type.Object({
  status: Type.String(),
  documents: Type.Integer(),
  buildId: Type.Union([Type.String(), Type.Null()]),
  /** Whether live changes can be logged now; false while the disk is full (searches go on). */
  writable: Type.Boolean(),
  writeError: Type.Optional(Type.Object({ code: Type.String(), message: Type.String(), since: Type.String() })),
  /** Why no index is served (503 only). */
  reason: Type.Optional(Type.String())
})

export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  code: Optional(Type.String())
})
