/**
 * Reads the words of a CoNLL-U treebank (Universal Dependencies), plain or gzipped: one
 * (form, lemma, UPOS) per syntactic word. Comment lines and sentence breaks are skipped,
 * and so are multiword-token lines (`1-2`: the surface token whose parts follow as words
 * of their own) and empty nodes (`1.1`: inserted elided words that are not in the text).
 */
import { openInput } from '../corpus/open-input.js'
import { readLines } from '../corpus/read-lines.js'
import { PoiskError } from '../errors.js'

export interface TreebankWord {
  form: string
  lemma: string
  upos: string
}

/** A treebank line that is not CoNLL-U: the evaluation would silently count the wrong words. */
export class ConlluFormatError extends PoiskError {
  constructor (readonly path: string, readonly line: number, message: string) {
    super('POISK_CONLLU_FORMAT', `${path}:${line}: ${message}`)
  }
}

const COLUMNS = 10
const WORD_ID = /^[1-9]\d*$/
const RANGE_OR_EMPTY_ID = /^\d+(-\d+|\.\d+)$/

export async function * readConllu (path: string): AsyncGenerator<TreebankWord> {
  for await (const line of readLines(await openInput(path))) {
    if ('error' in line) throw new ConlluFormatError(path, line.number, 'invalid UTF-8')
    const word = parseConlluLine(line.text, path, line.number)
    if (word !== undefined) yield word
  }
}

/** The word on one line, or undefined for a line that carries none (comment, break, range, empty node). */
export function parseConlluLine (text: string, path: string, number: number): TreebankWord | undefined {
  if (text.trim() === '' || text.startsWith('#')) return undefined
  const columns = text.split('\t')
  if (columns.length !== COLUMNS) throw new ConlluFormatError(path, number, `${columns.length} columns, CoNLL-U has ${COLUMNS}`)
  const [id, form, lemma, upos] = columns as [string, string, string, string]
  if (RANGE_OR_EMPTY_ID.test(id)) return undefined
  if (!WORD_ID.test(id)) throw new ConlluFormatError(path, number, `word id «${id}» is neither N, N-M nor N.M`)
  return { form, lemma, upos }
}
