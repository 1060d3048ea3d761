import { describe, expect, it } from 'vitest'
import { isCalendarDay, isValidTimeZone, readNewsDate } from '../../src/corpus/dates.js'
import { CorpusRecordError } from '../../src/errors.js'

function refusal (value: unknown, timeZone?: string): { reason: string, message: string } {
  try {
    readNewsDate(value, timeZone)
  } catch (error) {
    if (error instanceof CorpusRecordError) return { reason: error.reason, message: error.message }
    throw error
  }
  throw new Error(`«${String(value)}» was accepted`)
}

describe('readNewsDate', () => {
  it('reads ISO dates and times with offsets as instants', () => {
    expect(readNewsDate('2024-04-01T00:30+03:00')).toBe('2024-03-31T21:30:00.000Z')
    expect(readNewsDate('2024-04-01T00:30:00Z')).toBe('2024-04-01T00:30:00.000Z')
    expect(readNewsDate('2024-04-01T00:30:00.123+0300')).toBe('2024-03-31T21:30:00.123Z')
    expect(readNewsDate('2024-04-01')).toBe('2024-04-01')
  })

  it('reads a time without a zone in TIME_ZONE (Moscow by default), as the news CSVs write it', () => {
    expect(readNewsDate('2019-08-10 17:12:51')).toBe('2019-08-10T14:12:51.000Z')
    expect(readNewsDate('2019-08-10T17:12:51')).toBe('2019-08-10T14:12:51.000Z')
    expect(readNewsDate('2019-08-10 17:12:51', 'UTC')).toBe('2019-08-10T17:12:51.000Z')
    expect(readNewsDate('2019-08-10 17:12:51', 'Asia/Vladivostok')).toBe('2019-08-10T07:12:51.000Z')
    // Moscow was UTC+4 from 2011 to 2014: the zone's rules, not a fixed offset.
    expect(readNewsDate('2012-06-01 12:00')).toBe('2012-06-01T08:00:00.000Z')
  })

  it('reads DD.MM.YYYY as day first, with or without a time', () => {
    expect(readNewsDate('01.04.2024')).toBe('2024-04-01')
    expect(readNewsDate('1.4.2024')).toBe('2024-04-01')
    expect(readNewsDate('01.04.2024 14:30')).toBe('2024-04-01T11:30:00.000Z')
    expect(readNewsDate('01.04.2024, 14:30:15')).toBe('2024-04-01T11:30:15.000Z')
  })

  it('reads dates written in Russian words', () => {
    expect(readNewsDate('5 декабря 2026')).toBe('2026-12-05')
    expect(readNewsDate('5 декабря 2026 г.')).toBe('2026-12-05')
    expect(readNewsDate('5 декабря 2026 года')).toBe('2026-12-05')
    expect(readNewsDate('5 декабря 2026 г., 14:30')).toBe('2026-12-05T11:30:00.000Z')
    expect(readNewsDate('05 дек. 2026 в 09:05')).toBe('2026-12-05T06:05:00.000Z')
    expect(readNewsDate('1 Мая 2025')).toBe('2025-05-01')
  })

  it('reads Unix seconds (and milliseconds), as numbers or digit strings', () => {
    expect(readNewsDate(1565446371)).toBe('2019-08-10T14:12:51.000Z')
    expect(readNewsDate('1565446371')).toBe('2019-08-10T14:12:51.000Z')
    expect(readNewsDate(1565446371000)).toBe('2019-08-10T14:12:51.000Z')
  })

  it('reads RSS dates, which name their zone', () => {
    expect(readNewsDate('Sat, 10 Aug 2019 17:12:51 +0300')).toBe('2019-08-10T14:12:51.000Z')
  })

  it('refuses impossible dates instead of shifting them into the next month', () => {
    for (const value of ['2024-02-30', '30.02.2024', '31 февраля 2024', '2024-02-30T10:00:00Z', '2023-02-29 12:00']) {
      expect(refusal(value)).toMatchObject({ reason: 'invalid-date', message: expect.stringContaining('day') })
    }
    expect(refusal('01.13.2024')).toMatchObject({ reason: 'invalid-date', message: expect.stringContaining('month 13 is out of range') })
    expect(refusal('2024-04-01 25:00')).toMatchObject({ reason: 'invalid-date', message: expect.stringContaining('hour 25') })
    expect(readNewsDate('29.02.2024')).toBe('2024-02-29')
  })

  it('refuses what it cannot read, and other types', () => {
    for (const value of ['вчера', '1 мартобря 2024', '2024', 'April 1, 2024', '14:30', Number.NaN]) {
      expect(refusal(value).reason).toBe('invalid-date')
    }
    expect(refusal({ day: 1 }).reason).toBe('wrong-type')
    expect(refusal(1e15).reason).toBe('invalid-date') // milliseconds in the year 33658
  })

  it('treats an absent date as none', () => {
    expect(readNewsDate(undefined)).toBeUndefined()
    expect(readNewsDate(null)).toBeUndefined()
    expect(readNewsDate('  ')).toBeUndefined()
  })
})

describe('isCalendarDay and isValidTimeZone', () => {
  it('tell real days and zones from others', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true)
    expect(isCalendarDay('2024-02-30')).toBe(false)
    expect(isCalendarDay('2024-13-01')).toBe(false)
    expect(isValidTimeZone('Europe/Moscow')).toBe(true)
    expect(isValidTimeZone('UTC')).toBe(true)
    expect(isValidTimeZone('Europe/Moskva')).toBe(false)
    expect(isValidTimeZone('+03:00')).toBe(false)
  })
})
