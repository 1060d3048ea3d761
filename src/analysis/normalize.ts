/**
 * Character-level normalisation shared by documents and queries.
 *
 * Search must treat «ёлка» and «елка», «за́мок» and «замок», «ДУРОВ» and «дуров» as the
 * same word, and must ignore invisible characters pasted from web pages. The order matters:
 * NFC first so that a decomposed «й» (и + U+0306) is composed back and survives — we strip
 * only the stress accents (U+0300, U+0301), never every combining mark.
 */

/** Combining grave and acute: the stress marks of Russian dictionaries and textbooks. */
const STRESS_MARKS = /[\u0300\u0301]/g

/**
 * Format characters (soft hyphen, zero-width space/joiners, BOM, word joiner, bidi controls).
 * They are invisible, split nothing a reader can see, and break exact matching.
 */
const INVISIBLE = /\p{Cf}/gu

export function normalize (text: string): string {
  return text
    .normalize('NFC')
    .replace(STRESS_MARKS, '')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .replace(/ё/g, 'е')
}
