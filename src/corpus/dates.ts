/**
 * Dates as Russian news sources write them, read into what an article stores: an absolute
 * instant (`2024-03-31T21:30:00.000Z`) when the input names a time, or a calendar day
 * (`2024-04-01`) when it names only a day. A time written without a zone is a wall-clock time
 * in TIME_ZONE (the news CSVs' `2019-08-10 17:12:51` is Moscow time). A day alone stays a day:
 * it is not an instant, and making it the zone's midnight would shift it to the previous UTC
 * day for every reader that does not know the zone.
 *
 * An impossible date (30 February, month 13, 25:00) is an error, never a date shifted into
 * the next month. Calendar and zone arithmetic is luxon's.
 */
import { DateTime, IANAZone } from 'luxon'
import { CorpusRecordError } from '../errors.js'

/** Where poisk's news comes from: the zone of times written without one, and of days shown and filtered. */
export const DEFAULT_TIME_ZONE = 'Europe/Moscow'

export function isValidTimeZone (name: string): boolean {
  return IANAZone.isValidZone(name)
}

/** Stored dates keep four-digit years, so they sort and compare as strings. */
const MIN_YEAR = 1000
const MAX_YEAR = 9999

/** Genitive month names and their usual abbreviations («5 дек. 2026»), lowercase, ё as е. */
const RUSSIAN_MONTHS: ReadonlyArray<readonly string[]> = [
  ['января', 'янв'], ['февраля', 'фев', 'февр'], ['марта', 'мар', 'март'], ['апреля', 'апр'], ['мая', 'май'],
  ['июня', 'июн'], ['июля', 'июл'], ['августа', 'авг'], ['сентября', 'сен', 'сент'], ['октября', 'окт'],
  ['ноября', 'ноя', 'нояб'], ['декабря', 'дек']
]
const MONTH_BY_NAME = new Map(RUSSIAN_MONTHS.flatMap((names, index) => names.map(name => [name, index + 1] as const)))

/** `, 14:30`, ` в 14:30`, ` 14:30:05` after a day. */
const TIME_TAIL = String.raw`(?:[,\s]+(?:в\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?)?`
const YEAR_FIRST_DAY = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/
const DAY_FIRST = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})${TIME_TAIL}$`)
const RUSSIAN_WORDS = new RegExp(String.raw`^(\d{1,2})\s+([а-яё]+)\.?\s+(\d{4})(?:\s*(?:г\.?|года?)(?=[,\s]|$))?${TIME_TAIL}$`, 'iu')
/** ISO 8601 date and time, or the SQL form with a space (`2019-08-10 17:12:51`), with an optional offset. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i
const EPOCH_DIGITS = /^\d{9,13}$/

/**
 * A record's date as stored: `YYYY-MM-DD`, an ISO instant in UTC, or undefined when absent.
 * Throws CorpusRecordError `invalid-date` for a date it cannot read or that does not exist.
 */
export function readNewsDate (value: unknown, timeZone: string = DEFAULT_TIME_ZONE): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number') return fromEpoch(value, String(value))
  if (typeof value !== 'string') {
    throw new CorpusRecordError('wrong-type', `date must be a string or number, got ${Array.isArray(value) ? 'array' : typeof value}`)
  }
  const text = value.trim().replace(/\s+/g, ' ')
  if (text === '') return undefined
  const date = readText(text, timeZone, value)
  if (date === undefined) throw new CorpusRecordError('invalid-date', `unreadable date «${value}»`)
  return date
}

function readText (text: string, timeZone: string, original: string): string | undefined {
  if (EPOCH_DIGITS.test(text)) return fromEpoch(Number(text), original)
  const yearFirst = YEAR_FIRST_DAY.exec(text)
  if (yearFirst !== null) return calendarDay(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]), original)
  const dayFirst = DAY_FIRST.exec(text)
  if (dayFirst !== null) return dayAndTime([dayFirst[3], dayFirst[2], dayFirst[1]].map(Number) as DayParts, dayFirst.slice(4, 7), timeZone, original)
  const words = RUSSIAN_WORDS.exec(text)
  if (words !== null) {
    const month = MONTH_BY_NAME.get((words[2] ?? '').toLowerCase().replaceAll('ё', 'е'))
    if (month === undefined) return undefined
    return dayAndTime([Number(words[3]), month, Number(words[1])], words.slice(4, 7), timeZone, original)
  }
  const iso = ISO_DATE_TIME.exec(text)
  if (iso !== null) return isoInstant(iso, timeZone, original)
  // RSS feeds: «Sat, 10 Aug 2019 17:12:51 +0300»; they always name the zone.
  const rfc2822 = DateTime.fromRFC2822(text, { zone: timeZone })
  return rfc2822.isValid ? checkedInstant(rfc2822, original) : undefined
}

type DayParts = [year: number, month: number, day: number]

function dayAndTime ([year, month, day]: DayParts, time: Array<string | undefined>, timeZone: string, original: string): string {
  const [hour, minute, second] = time
  if (hour === undefined) return calendarDay(year, month, day, original)
  const instant = DateTime.fromObject(
    { year, month, day, hour: Number(hour), minute: Number(minute), second: Number(second ?? 0) },
    { zone: timeZone }
  )
  return checkedInstant(instant, original)
}

function calendarDay (year: number, month: number, day: number, original: string): string {
  const date = DateTime.fromObject({ year, month, day }, { zone: 'utc' })
  checkedInstant(date, original)
  return date.toISODate() as string
}

function isoInstant (match: RegExpExecArray, timeZone: string, original: string): string {
  const [, year, month, day, time, offset] = match
  const zone = offset === undefined ? '' : offset.toUpperCase() === 'Z' ? 'Z' : offset
  // luxon takes an ISO string in the zone given when it names none: the wall-clock time in TIME_ZONE.
  return checkedInstant(DateTime.fromISO(`${year}-${month}-${day}T${(time ?? '').replace(',', '.')}${zone}`, { zone: timeZone }), original)
}

function fromEpoch (value: number, original: string): string {
  if (!Number.isFinite(value)) throw new CorpusRecordError('invalid-date', `unreadable date ${original}`)
  // Seconds below 1e11 (until the year 5138); milliseconds above.
  return checkedInstant(DateTime.fromMillis(value < 1e11 ? value * 1000 : value, { zone: 'utc' }), original)
}

/** The instant in UTC, or `invalid-date` with luxon's reason (30 February: «day out of range»). */
function checkedInstant (date: DateTime, original: string): string {
  if (!date.isValid) {
    throw new CorpusRecordError('invalid-date', `no such date «${original}» (${invalidWhy(date)})`)
  }
  const utc = date.toUTC()
  if (utc.year < MIN_YEAR || utc.year > MAX_YEAR) {
    throw new CorpusRecordError('invalid-date', `date «${original}» is outside the years ${MIN_YEAR}–${MAX_YEAR}`)
  }
  return utc.toISO() as string
}

/** luxon's «you specified 30 (of type number) as a day, which is invalid» as «day 30 is out of range». */
function invalidWhy (date: DateTime): string {
  const explanation = date.invalidExplanation ?? date.invalidReason ?? 'not a date'
  const unit = /you specified (\S+) \(of type \S+\) as an? (\w+)/.exec(explanation)
  return unit === null ? explanation : `${unit[2] ?? ''} ${unit[1] ?? ''} is out of range`
}

/** Whether `YYYY-MM-DD` names a day that exists (`Date.parse` takes 2024-02-30 for 1 March). */
export function isCalendarDay (text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  return match !== null && DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }, { zone: 'utc' }).isValid
}
