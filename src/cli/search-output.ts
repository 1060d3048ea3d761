/**
 * `poisk search`: its filter flags read into the filters GET /search takes, and a response
 * printed for a terminal — the count, what was read differently from what was typed
 * (the corrections the search page shows as notices), then the hits.
 */
import { ConfigError } from '../errors.js'
import type { SortOrder } from '../search/rank.js'
import type { SearchRequest, SearchResponse } from '../search/search.js'
import type { OptionValues } from './arguments.js'
import type { COMMANDS } from './commands.js'

type SearchFlags = OptionValues<typeof COMMANDS['search']['options']>
type Filters = Pick<SearchRequest, 'tag' | 'source' | 'from' | 'to' | 'sort'>

const SORT_ORDERS: readonly SortOrder[] = ['relevance', 'date']

/** The flags' filters, checked as the HTTP route checks its query string. */
export function searchFilters (flags: SearchFlags): Filters {
  const from = flags.from === undefined ? undefined : day(flags.from, '--from')
  const to = flags.to === undefined ? undefined : day(flags.to, '--to')
  if (from !== undefined && to !== undefined && from > to) throw new ConfigError(`--from ${from} is after --to ${to}`)
  const sort = flags.sort === undefined ? undefined : SORT_ORDERS.find(order => order === flags.sort)
  if (flags.sort !== undefined && sort === undefined) throw new ConfigError(`--sort must be ${SORT_ORDERS.join(' or ')}, got «${flags.sort}»`)
  const tags = (flags.tag ?? []).map(tag => tag.trim()).filter(tag => tag !== '')
  return {
    ...(tags.length === 0 ? {} : { tag: tags }),
    ...(flags.source === undefined || flags.source.trim() === '' ? {} : { source: flags.source }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(sort === undefined ? {} : { sort })
  }
}

/** A calendar day as YYYY-MM-DD that exists (no 2025-02-30). */
function day (text: string, flag: string): string {
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) && new Date(text).toISOString().slice(0, 10) === text
  if (!valid) throw new ConfigError(`${flag} must be a day as YYYY-MM-DD, got «${text}»`)
  return text
}

export function formatHits (response: SearchResponse): string {
  const holdingAll = response.totalAllWords > 0 && response.totalAllWords !== response.total ? ` (${response.totalAllWords} with every word)` : ''
  const lines = [`${response.total} found for «${response.query}»${holdingAll} in ${response.tookMs} ms`, ...notices(response)]
  response.hits.forEach((hit, i) => {
    lines.push(`${i + 1}. ${hit.title}  [${hit.id}${hit.date === undefined ? '' : `, ${hit.date.slice(0, 10)}`}] score ${hit.score}`)
    lines.push(`   ${plainText(hit.snippet)}`)
  })
  return `${lines.join('\n')}\n`
}

/** What the search page says above the results, as plain lines. */
export type NoticeFields = Pick<SearchResponse, 'total' | 'corrections' | 'layoutFixed' | 'interpretedAs' | 'droppedPhrases' | 'phraseChecked' | 'allWordsMatched'>

export function notices (response: NoticeFields): string[] {
  const lines: string[] = []
  const corrections = response.corrections ?? []
  if (response.layoutFixed === true) lines.push(`searched «${response.interpretedAs ?? corrections.map(c => c.to).join(' ')}»: typed in the other keyboard layout`)
  for (const c of corrections) {
    if (c.kind === 'typo') lines.push(`corrected a typo: «${c.from}» → «${c.to}»`)
    if (c.kind === 'transliteration') lines.push(`also searched «${c.to}» for «${c.from}»`)
    if (c.kind === 'synonym') lines.push(`also searched «${c.to}», a synonym of «${c.from}»`)
    if (c.kind === 'layout' && response.layoutFixed !== true) lines.push(`read «${c.from}» as «${c.to}»: typed in the other keyboard layout`)
  }
  if (response.droppedPhrases !== undefined) lines.push(`quotes not applied to ${response.droppedPhrases.map(p => `«${p}»`).join(', ')}: searched as plain words`)
  else if (response.interpretedAs !== undefined && corrections.length === 0) lines.push(`searched as «${response.interpretedAs}»`)
  if (response.phraseChecked !== undefined) lines.push(`phrases checked in the best ${response.phraseChecked} candidates only: the count is a lower bound`)
  if (response.total > 0 && response.allWordsMatched === false) lines.push('no document holds every word: partial matches shown')
  return lines
}

function plainText (html: string): string {
  return html.replace(/<\/?mark>/g, '*').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}
