/**
 * Splits raw text into word tokens with their offsets in the original string.
 *
 * Offsets refer to the raw text (before normalisation), so snippets can mark the very
 * characters a reader sees. A token is a run of Unicode letters, digits and marks; format
 * characters inside a word (a soft hyphen in «при\u00ADмер») are part of it and removed
 * later by `normalize`. Hyphens join words («Санкт-Петербург», «С-400»), and a comma or
 * point between digits joins a decimal number («14,5»). JavaScript's `\w` and `\b` are
 * ASCII-only, so only Unicode property classes are used.
 */

export interface Token {
  /** The token as it appears in the source text. */
  text: string
  /** Offset of the first character in the source text. */
  start: number
  /** Offset just past the last character. */
  end: number
}

const WORD_CHARS = '[\\p{L}\\p{N}\\p{M}\\p{Cf}]+'
const JOINER = '(?:[-\\u2010\\u2011]|(?<=\\p{N})[.,](?=\\p{N}))'
const TOKEN = new RegExp(`${WORD_CHARS}(?:${JOINER}${WORD_CHARS})*`, 'gu')
const HYPHENS = /[-\u2010\u2011]/

/** Longer tokens are noise (URLs, base64, hashes) and cost index space. */
export const MAX_TOKEN_LENGTH = 64

export function tokenize (text: string): Token[] {
  const tokens: Token[] = []
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index
    tokens.push({ text: match[0], start, end: start + match[0].length })
  }
  return tokens
}

/** The token strings alone: the shape MiniSearch's `tokenize` option expects. */
export function tokenizeToStrings (text: string): string[] {
  return text.match(TOKEN) ?? []
}

/** The parts of a hyphenated word, or an empty list for a simple word. */
export function hyphenParts (word: string): string[] {
  if (!HYPHENS.test(word)) return []
  return word.split(/[-\u2010\u2011]+/).filter(part => part.length > 0)
}
