/**
 * The Snowball Russian stemmer (the algorithm Elasticsearch's and PostgreSQL's `russian`
 * configurations use), wrapped so the rest of poisk has one import point for it.
 *
 * Only Cyrillic words are stemmed: Latin brand names («Telegram») and numbers are kept as
 * written, since a Russian suffix rule would only damage them.
 */
import { stemmer as snowballRussian } from '@orama/stemmers/russian'

const CYRILLIC = /\p{Script=Cyrillic}/u

export function snowballStem (normalizedWord: string): string {
  return CYRILLIC.test(normalizedWord) ? snowballRussian(normalizedWord) : normalizedWord
}

/**
 * Snowball reads a final «-ов/-ев/-ин/-ын» as a plural genitive ending, so the surname
 * «Дуров» becomes «дур» while «Дурова», «Дурову», «Дуровым» become «дуров». Indexing the
 * whole word as a second term for such words lets every case form meet.
 */
const POSSESSIVE_SUFFIX = /(ов|ев|ин|ын)$/

export function snowballWithNames (normalizedWord: string): string[] {
  const stem = snowballStem(normalizedWord)
  return stem !== normalizedWord && POSSESSIVE_SUFFIX.test(normalizedWord) ? [stem, normalizedWord] : [stem]
}
