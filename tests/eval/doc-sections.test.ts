import { describe, expect, it } from 'vitest'
import { markedSection, replaceSection } from '../../src/eval/doc-sections.js'

const A = { begin: '<!-- a:begin -->', end: '<!-- a:end -->' }

describe('a generated section of a hand-kept document', () => {
  it('replaces only its own section, keeping what is before and after it', () => {
    const document = `# Notes\n\n${markedSection(A, 'old')}\n## Kept\n`
    expect(replaceSection(document, A, markedSection(A, 'new'))).toBe(`# Notes\n\n${markedSection(A, 'new')}\n## Kept\n`)
  })

  it('is added at the start or the end when the document has none', () => {
    expect(replaceSection('# Notes\n', A, markedSection(A, 'x'), 'start')).toBe(`${markedSection(A, 'x')}\n# Notes\n`)
    expect(replaceSection('# Notes\n', A, markedSection(A, 'x'))).toBe(`# Notes\n\n${markedSection(A, 'x')}`)
    expect(replaceSection('', A, markedSection(A, 'x'))).toBe(markedSection(A, 'x'))
  })
})
