/**
 * Synonyms (SYNONYMS_FILE) in the Solr/Elasticsearch format, applied at query time, so a
 * changed file needs no rebuild: `POST /admin/reload` re-reads it. A line is a comment (`#`),
 * blank, an equivalence (`ЦБ, Центробанк, Банк России`: each entry is searched as any of them)
 * or a mapping (`РФ => Россия`: the left entries are searched as the right ones only). Entries
 * are compared by analysed terms, so «цб» and «Банка России» match; an entry may be several words.
 */
import { readFileSync } from 'node:fs'
import type { Analyzer } from '../analysis/analyzer.js'
import { ConfigError } from '../errors.js'

export interface SynonymRule {
  /** Entries a query matches. */
  from: string[]
  /** What a match is searched as: every entry of an equivalence, the right side of a mapping. */
  to: string[]
  line: number
}

export interface Synonyms {
  file: string
  rules: SynonymRule[]
}

/**
 * What the search route reads per request: `POST /admin/reload` swaps `current` for the file's
 * new rules, or leaves it as it was when the file no longer reads.
 */
export class SynonymsSource {
  constructor (public current: Synonyms) {}

  /**
   * Throws the file's `ConfigError` (file:line) and keeps the old rules. Read synchronously, like
   * at start: a list of names is a few kilobytes, and an admin request is rare.
   */
  reload (): Synonyms {
    this.current = readSynonymsFile(this.current.file)
    return this.current
  }
}

/** Throws a `ConfigError` naming the file, and the line for a malformed one. */
export function readSynonymsFile (file: string): Synonyms {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`SYNONYMS_FILE ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  return { file, rules: parseSynonyms(text, file) }
}

export function parseSynonyms (text: string, file: string): SynonymRule[] {
  const rules: SynonymRule[] = []
  text.split(/\r?\n/).forEach((raw, at) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    rules.push(parseLine(line, at + 1, file))
  })
  return rules
}

function parseLine (line: string, number: number, file: string): SynonymRule {
  const fail = (why: string): ConfigError => new ConfigError(`${file}:${number}: ${why}: «${line}»`)
  const sides = line.split('=>')
  if (sides.length > 2) throw fail('more than one «=>»')
  const [left, right] = sides.map(side => entriesOf(side))
  if ((left ?? []).some(entry => entry === '') || (right ?? []).some(entry => entry === '')) throw fail('an empty entry')
  if (right !== undefined) return { from: left as string[], to: right, line: number }
  if ((left as string[]).length < 2) throw fail('an equivalence needs two entries or more, separated by commas (or «a => b»)')
  return { from: left as string[], to: left as string[], line: number }
}

function entriesOf (side: string): string[] {
  return side.split(',').map(entry => entry.trim().replace(/\s+/g, ' '))
}

/** An entry as analysed: each word's terms (words without terms, stop words, left out). */
interface Entry { text: string, words: string[][] }
interface CompiledRule { from: Entry[], to: Entry[] }

export interface SynonymMatch {
  /** How many query words, from the match's first, the entry covers. */
  length: number
  /** The entries the words are searched as. */
  to: Entry[]
}

const compiled = new WeakMap<Synonyms, { analyzer: Analyzer, rules: CompiledRule[] }>()

/** The rules analysed once per file and analyzer, not per query. */
function compile (synonyms: Synonyms, analyzer: Analyzer): CompiledRule[] {
  const cached = compiled.get(synonyms)
  if (cached?.analyzer === analyzer) return cached.rules
  const entry = (text: string): Entry => ({ text, words: analyzer.analyzeWithOffsets(text).map(token => token.terms).filter(terms => terms.length > 0) })
  const rules = synonyms.rules.map(rule => ({ from: rule.from.map(entry), to: rule.to.map(entry) }))
  compiled.set(synonyms, { analyzer, rules })
  return rules
}

/**
 * Where the query's words match an entry: query word index → the longest match starting there.
 * `words` holds each query word's terms, or undefined for one a synonym must not take (an
 * exclusion, a phrase's or an OR group's word).
 */
export function matchSynonyms (words: ReadonlyArray<string[] | undefined>, synonyms: Synonyms, analyzer: Analyzer): Map<number, SynonymMatch> {
  const rules = compile(synonyms, analyzer)
  const matches = new Map<number, SynonymMatch>()
  for (let at = 0; at < words.length; at++) {
    let best: SynonymMatch | undefined
    for (const rule of rules) {
      for (const entry of rule.from) {
        const length = entry.words.length
        if (length > (best?.length ?? 0) && entryAt(entry, words, at)) best = { length, to: rule.to }
      }
    }
    if (best === undefined) continue
    matches.set(at, best)
    at += best.length - 1
  }
  return matches
}

function entryAt (entry: Entry, words: ReadonlyArray<string[] | undefined>, at: number): boolean {
  if (entry.words.length === 0) return false
  return entry.words.every((terms, offset) => words[at + offset]?.some(term => terms.includes(term)) === true)
}

/**
 * A match searched as query words: as many as its longest entry has words, the k-th holding
 * each entry's k-th word (or its last), so a document holding any entry holds every one of
 * them, and one holding only part of a long entry («России» of «Банк России») ranks below it.
 */
export function synonymWords (match: SynonymMatch): string[][] {
  const count = Math.max(...match.to.map(entry => entry.words.length))
  const words: string[][] = []
  for (let k = 0; k < count; k++) {
    const terms = new Set<string>()
    for (const entry of match.to) for (const term of entry.words[Math.min(k, entry.words.length - 1)] ?? []) terms.add(term)
    words.push([...terms])
  }
  return words
}

/** «ЦБ OR Центробанк OR «Банк России»»: what `interpretedAs` and the correction say. */
export function synonymText (match: SynonymMatch): string {
  return match.to.map(entry => entry.text.includes(' ') ? `«${entry.text}»` : entry.text).join(' OR ')
}
