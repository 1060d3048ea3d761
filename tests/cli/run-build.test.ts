import { describe, expect, it } from 'vitest'
import { formatSummary } from '../../src/cli/run-build.js'

const summary = { seen: 7217, indexed: 7217, articles: 7217, headlines: 0, skipped: 0, skippedByReason: {}, mergedHeadlines: 0 }

describe('formatSummary', () => {
  it('counts the records indexed with a warning, by reason', () => {
    const text = formatSummary({ ...summary, warned: 1265, warnedByReason: { 'invalid-url': 1265 } }, 'b1', '/tmp/x/builds/b1', 1000)
    expect(text).toContain('indexed with warnings 1265 (invalid-url 1265): the field was stored as absent\n')
  })

  it('says nothing of warnings when there were none, or for an older summary without them', () => {
    expect(formatSummary({ ...summary, warned: 0, warnedByReason: {} }, 'b1', '/tmp/x', 1000)).not.toContain('warning')
    expect(formatSummary(summary, 'b1', '/tmp/x', 1000)).not.toContain('warning')
  })
})
