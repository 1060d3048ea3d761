/**
 * Schemas of the search features (filters, facets, query understanding) and of
 * GET /suggest, kept apart from the core schemas they extend.
 */
import { Type, type Static } from './schema-builder.js'

const Optional = Type.Optional
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })

/** Optional /search parameters: filters, order, facets, recency. */
export const SearchFeatureParams = {
  from: Optional({ ...Day, description: 'First day included, YYYY-MM-DD' }),
  to: Optional({ ...Day, description: 'Last day included, YYYY-MM-DD' }),
  tag: Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 10, description: 'Repeatable: every tag must be present' })),
  source: Optional(Type.String({ minLength: 1, maxLength: 200 })),
  sort: Optional(Type.Union([Type.Literal('relevance'), Type.Literal('date')], { default: 'relevance' })),
  facets: Optional(Type.Boolean({ description: 'Count the results by tag, source and month' })),
  recency: Optional(Type.Boolean({ description: 'Boost newer articles' }))
}

const FacetValues = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }))

/** Optional /search response fields. */
export const SearchFeatureFields = {
  corrections: Optional(Type.Array(Type.Object({
    from: Type.String(),
    to: Type.String(),
    kind: Type.Union([Type.Literal('layout'), Type.Literal('transliteration'), Type.Literal('typo'), Type.Literal('synonym')])
  }))),
  layoutFixed: Optional(Type.Boolean()),
  interpretedAs: Optional(Type.String()),
  allWordsMatched: Optional(Type.Boolean()),
  facets: Optional(Type.Object({ tags: FacetValues, sources: FacetValues, months: FacetValues }))
}

export const SuggestQuerystring = Type.Object({
  q: Type.String({ maxLength: 200, description: 'The query typed so far; its last word is completed' }),
  limit: Type.Integer({ minimum: 1, maximum: 20, default: 8 })
}, { additionalProperties: false })
export type SuggestQuerystring = Static<typeof SuggestQuerystring>

export const SuggestResponse = Type.Object({
  query: Type.String(),
  suggestions: Type.Array(Type.Object({
    text: Type.String({ description: 'The whole query with the last word completed (the word before it shown as written when they are a frequent pair)' }),
    word: Type.String({ description: 'The completed word as the corpus writes it (case and ё kept)' }),
    documents: Type.Integer({ description: 'Documents holding what is shown: the word form, the pair, or the word with the other query words' }),
    kind: Type.Optional(Type.Union([Type.Literal('word'), Type.Literal('phrase')], { description: 'word: a form of one word; phrase: a frequent pair with the word before' }))
  }))
})
