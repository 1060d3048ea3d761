/**
 * `npm run eval:suggest`: do suggestions offer what people would pick? For the most frequent
 * word families of rt's headlines, each cut to a prefix, is the word as headlines write it
 * among the first three suggestions?
 *
 * The list is derived from the corpus alone, reproducibly:
 * - each headline's words (scan-tokens.ts) are folded (lower case, ё as е) and grouped into
 *   families by the analyzer's first term; stop words (no term) and words under 4 letters
 *   are left out; families are ranked by the headlines holding one of their forms;
 * - a family's intended completion is its most frequent form in headlines, spelled as
 *   headlines write it in their middle (a headline's first word is capitalised whatever it is);
 * - the i-th family (from 0) is cut to 3 + i mod 3 letters (3, 4 or 5; at most its length - 1),
 *   and a family whose prefix an earlier one already has is skipped, until there are 100.
 *
 * Success: the intended completion, exactly (case and ё), is one of the first 3 suggestions'
 * `word`. The baseline is the same suggest without the suggestion table (the index's
 * vocabulary, in lower case without ё), credited when it matches after folding.
 *
 *   node dist/eval/run-suggest.js [--corpus FILE] [--index DIR] [--write docs/SUGGESTIONS.md]
 */
import { readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { Analyzer } from '../analysis/analyzer.js'
import { createDefaultAnalyzer } from '../analysis/default-analyzer.js'
import { normalize } from '../analysis/normalize.js'
import { scanTokens } from '../analysis/scan-tokens.js'
import { buildIndex } from '../index/build-index.js'
import { closeSnapshot, openNewestUsable, type Snapshot } from '../index/open-index.js'
import { suggest } from '../search/suggest.js'
import { readEvalDocuments } from './run-eval.js'

export interface PrefixCase {
  prefix: string
  /** The family's most frequent headline form, as headlines write it. */
  intended: string
  /** Headlines holding one of the family's forms. */
  headlines: number
  /** The family: the analyzer's first term of its forms. */
  family: string
}

export function prefixCases (titles: readonly string[], analyzer: Analyzer, count = 100): PrefixCase[] {
  const families = new Map<string, { headlines: number, forms: Map<string, number> }>()
  const spellings = new Map<string, Map<string, number>>()
  for (const title of titles) {
    const seen = new Set<string>()
    let first = true
    scanTokens(title, (start, end) => {
      const raw = title.slice(start, end)
      const folded = normalize(raw)
      const initial = first
      first = false
      if (!/\p{L}/u.test(raw) || [...folded].length < 4) return
      const term = analyzer.termsOf(folded)[0]
      if (term === undefined) return
      const family = families.get(term) ?? { headlines: 0, forms: new Map<string, number>() }
      families.set(term, family)
      if (!seen.has(term)) family.headlines += 1
      seen.add(term)
      family.forms.set(folded, (family.forms.get(folded) ?? 0) + 1)
      // A headline's first word is capitalised whatever it is: its case counts only when nothing else does.
      const written = spellings.get(folded) ?? new Map<string, number>()
      spellings.set(folded, written)
      written.set(raw, (written.get(raw) ?? 0) + (initial ? 1 : 1000))
    })
  }
  const ranked = [...families.entries()].sort((a, b) => b[1].headlines - a[1].headlines || compare(a[0], b[0]))
  const cases: PrefixCase[] = []
  const prefixes = new Set<string>()
  for (const [term, family] of ranked) {
    if (cases.length === count) break
    const folded = mostFrequent(family.forms)
    const letters = [...folded]
    const prefix = letters.slice(0, Math.min(3 + (cases.length % 3), letters.length - 1)).join('')
    if (prefixes.has(prefix)) continue
    prefixes.add(prefix)
    cases.push({ prefix, intended: mostFrequent(spellings.get(folded) as Map<string, number>), headlines: family.headlines, family: term })
  }
  return cases
}

function mostFrequent (counts: Map<string, number>): string {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))[0]?.[0] as string
}

function compare (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export interface CaseResult extends PrefixCase {
  /** The first three suggestions' words. */
  offered: string[]
  /** 1-based place of the intended completion, 0 when not in the top 3. */
  rank: number
  baselineOffered: string[]
  baselineRank: number
  /** Is a form of the intended word's family among the top 3 (any form)? */
  familyOffered: boolean
  baselineFamilyOffered: boolean
}

export function evaluateSuggestions (snapshot: Snapshot, cases: readonly PrefixCase[]): CaseResult[] {
  const withoutTable: Snapshot = { ...snapshot, suggestions: undefined }
  return cases.map(testCase => {
    const offered = suggest(snapshot, testCase.prefix, { limit: 3 }).suggestions.map(suggestion => suggestion.word)
    const baselineOffered = suggest(withoutTable, testCase.prefix, { limit: 3 }).suggestions.map(suggestion => suggestion.word)
    return {
      ...testCase,
      offered,
      rank: offered.indexOf(testCase.intended) + 1,
      baselineOffered,
      baselineRank: baselineOffered.map(normalize).indexOf(normalize(testCase.intended)) + 1,
      familyOffered: offered.some(word => snapshot.analyzer.termsOf(normalize(word))[0] === testCase.family),
      baselineFamilyOffered: baselineOffered.some(word => snapshot.analyzer.termsOf(normalize(word))[0] === testCase.family)
    }
  })
}

const BEGIN = '<!-- poisk-suggest-eval:begin -->'
const END = '<!-- poisk-suggest-eval:end -->'

export function reportSection (results: readonly CaseResult[], corpus: string, tableBytes: number | undefined): string {
  const hits = results.filter(result => result.rank > 0).length
  const baselineHits = results.filter(result => result.baselineRank > 0).length
  const lines = [
    BEGIN,
    `Generated by \`npm run eval:suggest\` on \`${corpus}\`: ${results.length} prefixes.`,
    '',
    `- **Intended completion in the top 3: ${hits} of ${results.length}** (exact spelling: case and ё).`,
    `- Baseline (no suggestion table: the index's vocabulary), matched after folding case and ё: ${baselineHits} of ${results.length}.`,
    `- The intended word in any of its forms in the top 3: ${results.filter(result => result.familyOffered).length} of ${results.length}; baseline ${results.filter(result => result.baselineFamilyOffered).length} of ${results.length}.`,
    ...(tableBytes === undefined ? [] : [`- suggest.bin of this build: ${(tableBytes / 1024 / 1024).toFixed(1)} MiB.`]),
    '',
    '| # | prefix | intended | headlines | top 3 | place | baseline top 3 |',
    '| ---: | --- | --- | ---: | --- | ---: | --- |',
    ...results.map((result, at) => `| ${at + 1} | ${result.prefix} | ${result.intended} | ${result.headlines} | ${result.offered.join(', ')} | ${result.rank === 0 ? '—' : result.rank} | ${result.baselineOffered.join(', ')} |`),
    END
  ]
  return lines.join('\n')
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: join(process.env.POISK_SHARED_DIR ?? '../shared', 'corpora', 'rt.jsonl.gz') },
      index: { type: 'string' },
      write: { type: 'string' }
    }
  })
  const corpus = values.corpus
  const analyzer = createDefaultAnalyzer()
  let indexDir = values.index
  const temporary = indexDir === undefined
  if (indexDir === undefined) {
    indexDir = join(tmpdir(), `poisk-eval-suggest-${process.pid}`)
    process.stderr.write(`building ${corpus} into ${indexDir}…\n`)
    await buildIndex({ corpusPaths: [corpus], indexDir, analyzer })
  }
  const { snapshot } = await openNewestUsable(indexDir, analyzer)
  if (snapshot === undefined) throw new Error(`no usable build in ${indexDir}`)
  const titles = (await readEvalDocuments(corpus)).map(document => document.title)
  const results = evaluateSuggestions(snapshot, prefixCases(titles, analyzer))
  const section = reportSection(results, corpus.replace(/^.*\/(shared\/)/, '../$1'), snapshot.suggestions?.byteLength)
  if (values.write === undefined) {
    process.stdout.write(`${section}\n`)
  } else {
    const text = await readFile(values.write, 'utf8')
    const from = text.indexOf(BEGIN)
    const to = text.indexOf(END)
    if (from < 0 || to < from) throw new Error(`${values.write} has no ${BEGIN} … ${END} section`)
    await writeFile(values.write, text.slice(0, from) + section + text.slice(to + END.length))
    process.stdout.write(section.split('\n').slice(3, 7).join('\n') + '\n')
  }
  await closeSnapshot(snapshot)
  if (temporary) await rm(indexDir, { recursive: true, force: true })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch(error => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
    process.exitCode = 1
  })
}
