/**
 * The calendar day of a stored date in TIME_ZONE, for day filters and month facets: an
 * article stored as `2024-03-31T21:30:00.000Z` appeared on 1 April in Moscow, and `from=2024-04-01`
 * must include it. A stored day (`2024-04-01`) is that day in every zone.
 *
 * Facets and filters look at every match's date, so the zone arithmetic is done once per UTC
 * day, not per document: within one UTC day the zone's day changes at most at one instant
 * (its midnight), which is found once and cached; a document's day is then one string
 * comparison. Stored instants are `toISOString()`'s fixed-width form, so strings compare as times.
 */
import { DateTime } from 'luxon'
import { DEFAULT_TIME_ZONE } from '../corpus/dates.js'

const DAY_LENGTH = 10
/** `YYYY-MM-DDTHH:MM:SS.sssZ`, as stored (dates.ts, `toISOString`). */
const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** One UTC day seen from the zone: its day before `changesAt`, and from it on. */
interface UtcDayInZone {
  before: string
  after: string
  /** The zone's midnight within this UTC day, as a stored instant; undefined when the day does not change. */
  changesAt?: string
  /** More than one change in the day (a zone shifting by hours at midnight): each instant is converted. */
  irregular?: boolean
}

export class LocalDays {
  private readonly utcDays = new Map<string, UtcDayInZone>()

  constructor (readonly timeZone: string) {}

  /** `YYYY-MM-DD` in the zone, or undefined for a date that is not one. */
  dayOf (date: string): string | undefined {
    if (date.length === DAY_LENGTH) return date
    if (!STORED_INSTANT.test(date)) return this.convert(date)
    const utcDay = date.slice(0, DAY_LENGTH)
    let seen = this.utcDays.get(utcDay)
    if (seen === undefined) this.utcDays.set(utcDay, seen = this.inspect(utcDay))
    if (seen.irregular === true) return this.convert(date)
    return seen.changesAt === undefined || date < seen.changesAt ? seen.before : seen.after
  }

  /** `YYYY-MM` in the zone. */
  monthOf (date: string): string | undefined {
    return this.dayOf(date)?.slice(0, 7)
  }

  private inspect (utcDay: string): UtcDayInZone {
    const start = DateTime.fromISO(`${utcDay}T00:00:00.000Z`, { zone: this.timeZone })
    const end = DateTime.fromISO(`${utcDay}T23:59:59.999Z`, { zone: this.timeZone })
    const before = start.toISODate() ?? utcDay
    const after = end.toISODate() ?? utcDay
    if (before === after) return { before, after }
    const midnight = DateTime.fromISO(after, { zone: this.timeZone }).startOf('day')
    const irregular = start.plus({ days: 1 }).toISODate() !== after
    return { before, after, changesAt: midnight.toUTC().toISO() ?? undefined, ...(irregular ? { irregular } : {}) }
  }

  private convert (date: string): string | undefined {
    const parsed = DateTime.fromISO(date, { zone: this.timeZone })
    return parsed.isValid ? (parsed.toISODate() ?? undefined) : undefined
  }
}

const byZone = new Map<string, LocalDays>()

/** One shared instance per zone, so its cache of UTC days lasts across queries. */
export function localDays (timeZone: string = DEFAULT_TIME_ZONE): LocalDays {
  let days = byZone.get(timeZone)
  if (days === undefined) byZone.set(timeZone, days = new LocalDays(timeZone))
  return days
}
