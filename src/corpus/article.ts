/**
 * The article model every corpus format is read into, and the validation that turns an
 * untrusted record (a JSON object, a CSV row) into one. Validation happens before anything
 * reaches MiniSearch: its `add` is not atomic, so a bad field found half-way would leave a
 * half-indexed document behind.
 */
import { createHash } from 'node:crypto'
import { compile as compileHtmlToText } from 'html-to-text'
import { CorpusRecordError } from '../errors.js'
import { collapseSpace } from './collapse-space.js'

export type ArticleKind = 'article' | 'headline'

export interface Article {
  id: string
  /** A full article, or a headline known only from a feed list (title only). */
  kind: ArticleKind
  title: string
  body: string
  summary?: string
  /** ISO 8601: a date (`2019-06-26`) or a date and time (`2019-06-26T14:00:00.000Z`). */
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

/** Field names accepted for each article property, first match wins. */
const BODY_FIELDS = ['body', 'text', 'content'] as const
const LOOKS_LIKE_HTML = /<\/?[a-z][^>]*>/i

/** Builds an article from a parsed JSON object or CSV row; throws CorpusRecordError. */
export function articleFromRecord (record: unknown): Article {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new CorpusRecordError('wrong-type', 'record is not an object')
  }
  const fields = record as Record<string, unknown>
  const title = cleanText(requiredString(fields, 'title'))
  if (title === '') throw new CorpusRecordError('missing-title', 'title is empty')
  const body = cleanText(firstString(fields, BODY_FIELDS) ?? '')
  const url = optionalString(fields, 'url')
  const summary = optionalString(fields, 'summary')
  const article: Article = {
    id: recordId(fields, url, title, body),
    kind: 'article',
    title,
    body,
    tags: tagList(fields.tags),
    ...definedOnly({
      url,
      summary: summary === undefined ? undefined : cleanText(summary),
      date: isoDate(fields.date),
      source: optionalString(fields, 'source') ?? sourceFromUrl(url)
    })
  }
  return article
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

/** Accepts ISO dates, `YYYY-MM-DD HH:MM:SS`, `YYYY/MM/DD` and epoch seconds or milliseconds. */
function isoDate (value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number') return epochToIso(value)
  if (typeof value !== 'string') {
    throw new CorpusRecordError('wrong-type', `date must be a string or number, got ${typeName(value)}`)
  }
  const text = value.trim()
  const dayOnly = /^(\d{4})[-/.](\d{2})[-/.](\d{2})$/.exec(text)
  if (dayOnly !== null) return validDay(`${dayOnly[1]}-${dayOnly[2]}-${dayOnly[3]}`, value)
  const time = Date.parse(text.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2'))
  if (Number.isNaN(time)) throw new CorpusRecordError('invalid-date', `unreadable date «${value}»`)
  return new Date(time).toISOString()
}

function validDay (day: string, original: string): string {
  if (Number.isNaN(Date.parse(day))) throw new CorpusRecordError('invalid-date', `unreadable date «${original}»`)
  return day
}

function epochToIso (value: number): string {
  const millis = value < 1e11 ? value * 1000 : value
  const date = new Date(millis)
  if (!Number.isFinite(value) || Number.isNaN(date.getTime())) {
    throw new CorpusRecordError('invalid-date', `unreadable date ${value}`)
  }
  return date.toISOString()
}

function sourceFromUrl (url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  try {
    return new URL(url).hostname.replace(/^www\./, '')
  } catch {
    return undefined // not a URL: the record simply has no source
  }
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
