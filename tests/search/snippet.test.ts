import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { escapeHtml, makeSnippet, markAll } from '../../src/search/snippet.js'

const analyzer = createDefaultAnalyzer()
const termsOf = (query: string): Set<string> => new Set(analyzer.analyzeWithOffsets(query).flatMap(token => token.terms))

describe('makeSnippet', () => {
  it('marks every inflected form of the query words', () => {
    const html = markAll('Дуров, Дурова и Дурову: Telegram', { terms: termsOf('дуров telegram'), analyzer })
    expect(html).toBe('<mark>Дуров</mark>, <mark>Дурова</mark> и <mark>Дурову</mark>: <mark>Telegram</mark>')
  })

  it('picks the passage with the most distinct query words', () => {
    const filler = 'Погода в регионе оставалась спокойной весь день. '.repeat(20)
    const text = `${filler}Бюджет обсуждали. ${filler}Министр финансов представил бюджет и дефицит. ${filler}`
    const html = makeSnippet(text, { terms: termsOf('бюджет дефицит'), analyzer }, { length: 160 })
    expect(html).toContain('<mark>бюджет</mark> и <mark>дефицит</mark>')
    expect(html.startsWith('…')).toBe(true)
    expect(html.endsWith('…')).toBe(true)
  })

  it('escapes HTML in the text and never marks inside a tag', () => {
    const html = markAll('<script>alert("Дуров")</script> & Дуров', { terms: termsOf('дуров'), analyzer })
    expect(html).toBe('&lt;script&gt;alert(&quot;<mark>Дуров</mark>&quot;)&lt;/script&gt; &amp; <mark>Дуров</mark>')
  })

  it('returns the start of the text when nothing matches', () => {
    const text = 'Слово '.repeat(100)
    expect(makeSnippet(text, { terms: termsOf('дуров'), analyzer }, { length: 50 })).toMatch(/^Слово Слово .*…$/)
  })

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })
})
