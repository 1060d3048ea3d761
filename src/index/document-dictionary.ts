/**
 * The preset dictionary docs.bin's records are deflated against (`docs.dict`, index format 9).
 *
 * A record is one article, deflated on its own so that a hit is read and inflated alone. A
 * Lenta-sized article (about 5 KB of UTF-8) is too short for deflate to learn the language
 * from: most of its words appear once in it, and are coded as literals. A preset dictionary
 * is text deflate may refer back to as if it preceded every record; filled with the words
 * the archive uses most, it lets a record copy them instead. Measured on records outside
 * the training articles, against level 6 without a dictionary: the last 5,000 of the
 * 800,000 Lenta-shaped articles 0.384 → 0.303 of their size, rt's 6,717 0.338 → 0.295, at
 * the same compression time (level 4 with the dictionary: level 6 takes twice as long for
 * two hundredths more). Inflating takes as long with it as without.
 *
 * The dictionary is learnt from the build's own first articles (the corpus's language and
 * markup, no shipped word list): their words, the most frequent nearest the end (a nearer
 * copy is a shorter code), then the stored header of the last one (the JSON keys, the URL's
 * site). Records written before it is made are deflated without it; a flag in each record
 * says which (document-record.ts). A corpus of fewer articles than the training has no
 * dictionary, and its `docs.dict` is empty.
 */
import type { Article } from '../corpus/article.js'

export const DOCUMENTS_DICTIONARY_FILE = 'docs.dict'

/** Deflate refers back at most 32 KB: a longer dictionary's start is never used. */
export const MAX_DICTIONARY_BYTES = 32 * 1024
/** Articles whose words make the dictionary: ~2.5 MB of Lenta-sized text, enough for the frequent words to stand out. */
export const TRAINING_ARTICLES = 500
/** Words seen fewer times in the training articles are left out (names of one story, typos). */
const MIN_OCCURRENCES = 4
/** Shorter words cost deflate as much as a back-reference to them. */
const MIN_WORD_LENGTH = 3

export class DocumentDictionaryTrainer {
  private readonly counts = new Map<string, number>()
  private learnt = 0
  private lastHeader = ''
  private made: Buffer | undefined

  constructor (private readonly trainingArticles = TRAINING_ARTICLES) {}

  /** The dictionary, once the training articles have been seen; undefined before. */
  get dictionary (): Buffer | undefined {
    return this.made
  }

  /** Counts an article's words; the last training article makes the dictionary. */
  learn (article: Article): void {
    if (this.made !== undefined) return
    for (const word of `${article.title} ${article.body}`.split(/\s+/)) {
      if (word.length >= MIN_WORD_LENGTH) this.counts.set(word, (this.counts.get(word) ?? 0) + 1)
    }
    const { body, ...header } = article
    this.lastHeader = JSON.stringify(header)
    this.learnt += 1
    if (this.learnt >= this.trainingArticles) this.made = this.make()
  }

  private make (): Buffer {
    const frequent = [...this.counts]
      .filter(([, count]) => count >= MIN_OCCURRENCES)
      .sort(([wordA, countA], [wordB, countB]) => countB - countA || (wordA < wordB ? -1 : wordA > wordB ? 1 : 0))
    // Filled from its end: the header, then the words from the most frequent down.
    const parts = [Buffer.from(this.lastHeader, 'utf8')]
    let bytes = (parts[0] as Buffer).length
    for (const [word] of frequent) {
      const part = Buffer.from(`${word} `, 'utf8')
      if (bytes + part.length > MAX_DICTIONARY_BYTES) break
      parts.push(part)
      bytes += part.length
    }
    this.counts.clear()
    const dictionary = Buffer.concat(parts.reverse())
    return dictionary.subarray(Math.max(0, dictionary.length - MAX_DICTIONARY_BYTES))
  }
}
