/**
 * JSON schemas for every route's input and output (TypeBox). Fastify validates and
 * coerces input with them and serialises output through them, which also keeps internal
 * fields from leaking into responses.
 */
import { Type, type Static } from './schema-builder.js'
import { SearchFeatureFields, SearchFeatureParams } from './feature-schemas.js'

export const MAX_QUERY_LENGTH = 500
export const MAX_LIMIT = 100
export const MAX_OFFSET = 10_000

export const SearchQuerystring = Type.Object({
  q: Type.String({ minLength: 1, maxLength: MAX_QUERY_LENGTH, description: 'Keywords, in any case form' }),
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: 10 }),
  offset: Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 }),
  collapse: Type.Optional(Type.Boolean({ description: 'Show near-duplicates once per group, as the best-ranked copy with `duplicates` (default true); false lists every copy' })),
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
  snippet: Type.String({ description: 'HTML-escaped passage with matched words in <mark>' }),
  duplicates: Optional(Type.Object({
    count: Type.Integer({ description: 'How many near-duplicates of this hit matched too and are not listed' }),
    ids: Type.Array(Type.String(), { description: 'Their ids (collapse=false lists them)' })
  }, { description: 'Near-duplicates of this hit (the same text edited, retitled or from another source) collapsed under it' }))
})

export const SearchResponse = Type.Object({
  query: Type.String(),
  total: Type.Integer({ description: 'Matching documents, every near-duplicate counted' }),
  totalGroups: Optional(Type.Integer({ description: 'With copies collapsed (the default): the results with each group of near-duplicates counted once, what offset pages through' })),
  tookMs: Type.Number(),
  hits: Type.Array(SearchHit),
  totalAllWords: Type.Integer({ description: 'Of total, the results holding every query word (for each word, one of its readings)' }),
  facetsOver: Optional(Type.Union([Type.Literal('allWords'), Type.Literal('all')], {
    description: 'What facets counts: allWords, the results holding every query word, or all, every result (when none holds them all)'
  })),
  droppedPhrases: Optional(Type.Array(Type.String(), { description: 'Quoted phrases searched as plain words instead (see interpretedAs): no result held them, or the query is long (a pasted headline), where quotes are not a demand' })),
  phraseChecked: Optional(Type.Integer({ description: 'Only this many best candidates were checked for the phrases: total is a lower bound' })),
  timeZone: Optional(Type.String({ description: 'TIME_ZONE (IANA name): from, to and the month facets are days and months of this zone; show hits\' dates in it' })),
  corpusHasDates: Optional(Type.Boolean({ description: 'Whether any document in the index has a date (false: sorting by date and date filters do nothing)' })),
  onlyStopWords: Optional(Type.Boolean({ description: 'Set when nothing was found because every word of the query is a stop word («и», «в», «на») or too short to be searched' })),
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

export const RelatedQuerystring = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 5, description: 'Related articles returned' })
}, { additionalProperties: false })
export type RelatedQuerystring = Static<typeof RelatedQuerystring>

export const RelatedResponse = Type.Object({
  id: Type.String(),
  hits: Type.Array(Type.Object({
    id: Type.String(),
    title: Type.String(),
    date: Optional(Type.String()),
    url: Optional(Type.String()),
    source: Optional(Type.String()),
    score: Type.Number()
  })),
  terms: Type.Array(Type.String(), { description: 'The distinctive terms of the article the related ones were found by' })
})
