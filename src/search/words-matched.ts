/**
 * How many of the query's words a match holds (coordination), from the query terms it
 * matched: one bit per word, looked up per term, instead of a Set and a scan of every word's
 * terms for each of thousands of matches.
 */

/** Bits of a 32-bit integer usable as word flags. */
const MAX_MASK_WORDS = 31

export function wordsMatchedCounter (words: ReadonlyArray<{ terms: ReadonlyMap<string, number> }>): (queryTerms: readonly string[]) => number {
  if (words.length > MAX_MASK_WORDS) {
    return queryTerms => words.filter(word => queryTerms.some(term => word.terms.has(term))).length
  }
  const masks = new Map<string, number>()
  words.forEach((word, at) => {
    for (const term of word.terms.keys()) masks.set(term, (masks.get(term) ?? 0) | (1 << at))
  })
  return queryTerms => {
    let mask = 0
    for (const term of queryTerms) mask |= masks.get(term) ?? 0
    return bitCount(mask)
  }
}

function bitCount (mask: number): number {
  let count = 0
  for (let rest = mask; rest !== 0; rest &= rest - 1) count += 1
  return count
}
