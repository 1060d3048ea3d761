import { describe, expect, it } from 'vitest'
import { DateTime } from 'luxon'
import fc from 'fast-check'
import { LocalDays } from '../../src/search/local-days.js'

describe('LocalDays', () => {
  it('gives a stored instant the day it had in the zone', () => {
    const moscow = new LocalDays('Europe/Moscow')
    expect(moscow.dayOf('2024-03-31T20:59:59.999Z')).toBe('2024-03-31')
    expect(moscow.dayOf('2024-03-31T21:00:00.000Z')).toBe('2024-04-01')
    expect(moscow.monthOf('2024-03-31T21:30:00.000Z')).toBe('2024-04')
    // UTC+4 in 2013: midnight was 20:00 UTC.
    expect(moscow.dayOf('2013-06-30T19:59:00.000Z')).toBe('2013-06-30')
    expect(moscow.dayOf('2013-06-30T20:00:00.000Z')).toBe('2013-07-01')
    expect(new LocalDays('UTC').dayOf('2024-03-31T21:30:00.000Z')).toBe('2024-03-31')
  })

  it('keeps a stored day as it is', () => {
    expect(new LocalDays('America/New_York').dayOf('2024-04-01')).toBe('2024-04-01')
  })

  it('agrees with luxon on any instant in any of several zones, across DST changes', () => {
    const zones = ['Europe/Moscow', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC']
    const days = new Map(zones.map(zone => [zone, new LocalDays(zone)]))
    fc.assert(fc.property(
      fc.constantFrom(...zones),
      fc.integer({ min: Date.UTC(2005, 0, 1), max: Date.UTC(2030, 0, 1) }),
      (zone, millis) => {
        const stored = new Date(millis).toISOString()
        expect(days.get(zone)?.dayOf(stored)).toBe(DateTime.fromMillis(millis, { zone }).toISODate())
      }
    ), { numRuns: 2000 })
  })
})
