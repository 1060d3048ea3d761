/**
 * The article model every corpus format is read into, and the validation that turns an
 * untrusted record (a JSON object, a CSV row) into one. Validation happens before anything
 * reaches MiniSearch: its `add` is not atomic, so a bad field found half-way would leave a
 * half-indexed document behind.
 */
import { createHash } from 'node:crypto'
import { compile as compileHtmlToText } from 'html-to-text'
import { CorpusRecordError, type WarningReason } from '../errors.js'
import { collapseSpace } from './collapse-space.js'
import { DEFAULT_TIME_ZONE, readNewsDate } from './dates.js'
import { checkUrl } from './urls.js'

export type ArticleKind = 'article' | 'headline'

export interface Article {
  id: string
  /** A full article, or a headline known only from a feed list (title only). */
  kind: ArticleKind
  title: string
  body: string
  summary?: string
  /**
   * ISO 8601: a calendar day (`2019-06-26`) when the record named only a day, else the instant
   * in UTC (`2019-06-26T11:00:00.000Z`); days and months of instants are TIME_ZONE's (dates.ts).
   */
  date?: string
  url?: string
  tags: string[]
  source?: string
}

/** Where a record came from, for error reports. */
export interface RecordLocation {
  file: string
  line: number
}

/** How records are read. */
export interface ArticleOptions {
  /** IANA zone of times written without one (TIME_ZONE); Europe/Moscow by default. */
  timeZone?: string
}

/** Something wrong in a record that is still indexed (a bad URL is dropped, the article kept). */
export interface RecordWarning {
  reason: WarningReason
  message: string
}

export interface ReadArticle {
  article: Article
  warnings: RecordWarning[]
}

/** Field names accepted for each article property, first match wins. */
const BODY_FIELDS = ['body', 'text', 'content'] as const
const LOOKS_LIKE_HTML = /<\/?[a-z][^>]*>/i

/** Builds an article from a parsed JSON object or CSV row; throws CorpusRecordError. Warnings are dropped. */
export function articleFromRecord (record: unknown, options: ArticleOptions = {}): Article {
  return readArticle(record, options).article
}

/** Builds an article from a parsed JSON object or CSV row, with what was dropped from it; throws CorpusRecordError. */
export function readArticle (record: unknown, options: ArticleOptions = {}): ReadArticle {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new CorpusRecordError('wrong-type', 'record is not an object')
  }
  const fields = record as Record<string, unknown>
  const title = cleanText(requiredString(fields, 'title'))
  if (title === '') throw new CorpusRecordError('missing-title', 'title is empty')
  const body = cleanText(firstString(fields, BODY_FIELDS) ?? '')
  const rawUrl = optionalString(fields, 'url')
  const summary = optionalString(fields, 'summary')
  const warnings: RecordWarning[] = []
  const link = rawUrl === undefined ? undefined : checkUrl(rawUrl)
  if (link !== undefined && 'problem' in link) warnings.push({ reason: 'invalid-url', message: `${link.problem}: stored without a URL` })
  const valid = link !== undefined && 'url' in link ? link : undefined
  const article: Article = {
    // A record without an id is still named by its URL as written, valid or not, so its id is stable.
    id: recordId(fields, rawUrl, title, body),
    kind: 'article',
    title,
    body,
    tags: tagList(fields.tags),
    ...definedOnly({
      url: valid?.url,
      summary: summary === undefined ? undefined : cleanText(summary),
      date: readNewsDate(fields.date, options.timeZone ?? DEFAULT_TIME_ZONE),
      // The source facet shows a real host, never the «russian.rt.comhttps» of a doubled URL.
      source: optionalString(fields, 'source') ?? valid?.host
    })
  }
  return { article, warnings }
}

/** A headline seen in a feed list: its id is its normalised text, so repeats merge. */
export function headlineArticle (title: string, source?: string): Article {
  const text = cleanText(title)
  return {
    id: `h-${contentHash(text.toLowerCase().replace(/ё/g, 'е'))}`,
    kind: 'headline',
    title: text,
    body: '',
    tags: [],
    ...definedOnly({ source })
  }
}

export function contentHash (text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16)
}

function recordId (fields: Record<string, unknown>, url: string | undefined, title: string, body: string): string {
  const id = fields.id
  if (typeof id === 'string' && id.trim() !== '') return id.trim()
  if (typeof id === 'number' && Number.isFinite(id)) return String(id)
  if (id !== undefined && id !== null && id !== '') {
    throw new CorpusRecordError('wrong-type', `id must be a string or number, got ${typeName(id)}`)
  }
  return url ?? `c-${contentHash(`${title}\n${body}`)}`
}

function requiredString (fields: Record<string, unknown>, name: string): string {
  const value = fields[name]
  if (value === undefined || value === null) throw new CorpusRecordError('missing-title', `no ${name}`)
  if (typeof value !== 'string') {
    throw new CorpusRecordError('wrong-type', `${name} must be a string, got ${typeName(value)}`)
  }
  return value
}

function optionalString (fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') {
    throw new CorpusRecordError('wrong-type', `${name} must be a string, got ${typeName(value)}`)
  }
  return value.trim() === '' ? undefined : value.trim()
}

function firstString (fields: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = optionalString(fields, name)
    if (value !== undefined) return value
  }
  return undefined
}

/** Tags arrive as a JSON array or as a CSV cell such as «Политика, Общество». */
function tagList (value: unknown): string[] {
  if (value === undefined || value === null || value === '') return []
  const raw = typeof value === 'string' ? value.split(/[,;|]/) : value
  if (!Array.isArray(raw) || !raw.every(tag => typeof tag === 'string')) {
    throw new CorpusRecordError('wrong-type', 'tags must be a list of strings')
  }
  const tags = raw.map(tag => tag.trim().toLowerCase()).filter(tag => tag !== '' && tag !== 'все')
  return [...new Set(tags)]
}

// Compiled once: html-to-text's `convert` compiles its options again on every call.
const htmlToText = compileHtmlToText({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' }
  ]
})

/** Strips HTML when the text is HTML (RIA exports), and collapses runs of blank space. */
function cleanText (text: string): string {
  return collapseSpace(LOOKS_LIKE_HTML.test(text) ? htmlToText(text) : text)
}

function typeName (value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value
}

/** Drops undefined properties, so optional fields are absent rather than `undefined`. */
function definedOnly<T extends Record<string, unknown>> (fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>
}
