/**
 * Collapses blank space in an article's text: a run of white space holding a line break
 * becomes one line break, any other run of spaces, tabs and no-break spaces one space,
 * and the ends are trimmed. It gives what
 * `text.replace(/[ \t\u00a0]+/g, ' ').replace(/\s*\n\s*\/g, '\n').trim()` gives (the tests
 * hold it to that), in one pass that copies only around the runs it changes: the two
 * regular expressions matched at every space of every article and were a large part of
 * reading a corpus.
 */

/** JavaScript's `\s` (white space and line terminators), which `trim` also removes. */
export function isSpace (code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || (code >= 0x1680 && isWideSpace(code))
}

function isWideSpace (code: number): boolean {
  return code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
}

const NEWLINE = 10

export function collapseSpace (text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isSpace(text.charCodeAt(start))) start += 1
  while (end > start && isSpace(text.charCodeAt(end - 1))) end -= 1
  let out = ''
  let copied = start
  for (let at = start; at < end; at += 1) {
    const code = text.charCodeAt(at)
    if (!isSpace(code)) continue
    let runEnd = at + 1
    let newline = code === NEWLINE
    for (let next = 0; runEnd < end && isSpace(next = text.charCodeAt(runEnd)); runEnd += 1) if (next === NEWLINE) newline = true
    // A lone space, the common case, stays as it is.
    if (runEnd === at + 1 && code === 32) continue
    const run = text.slice(at, runEnd)
    const replacement = newline ? '\n' : collapseBlanks(run)
    if (replacement !== run) {
      out += text.slice(copied, at) + replacement
      copied = runEnd
    }
    at = runEnd - 1
  }
  return copied === start ? text.slice(start, end) : out + text.slice(copied, end)
}

/** A run of white space without a line break: each stretch of spaces, tabs and no-break spaces as one space. */
function collapseBlanks (run: string): string {
  let out = ''
  let inBlank = false
  for (let at = 0; at < run.length; at += 1) {
    const code = run.charCodeAt(at)
    const blank = code === 32 || code === 9 || code === 0xa0
    if (!blank) out += run[at] as string
    else if (!inBlank) out += ' '
    inBlank = blank
  }
  return out
}
