/**
 * The morphology evaluation as a Markdown section of docs/RELEVANCE.md, between markers so
 * it can be replaced without touching the rest of the file, with poisk's precision and
 * recall in a machine-readable comment that `eval-morph --check` compares a new run with.
 */
import { basename } from 'node:path'
import { ConfigError } from '../errors.js'
import { replaceSection as replaceMarkedSection, type SectionMarkers } from './doc-sections.js'
import { SAMPLED_UPOS, scores, type FalseMerge, type MergeDifference, type MorphEvaluation, type PairCounts, type Split } from './morph.js'
import type { MorphResult } from './run-morph.js'

export const SECTION_BEGIN = '<!-- poisk-eval-morph:begin -->'
export const SECTION_END = '<!-- poisk-eval-morph:end -->'
export const MORPH_SECTION: SectionMarkers = { begin: SECTION_BEGIN, end: SECTION_END }
const FIGURES_MARKER = /<!-- poisk-morph-figures (\{.*\}) -->/

/** poisk's pair precision and recall, in percent. */
export interface MorphFigures {
  precision: number
  recall: number
}

/** How far (in percentage points) poisk's precision or recall may fall below the recorded figures. */
export const ALLOWED_DROP = 0.5

export interface SectionOptions {
  command: string
  top: number
  date: string
}

export function formatMorphSection (result: MorphResult, options: SectionOptions): string {
  const poisk = result.systems.find(system => system.name === 'poisk')
  const lines = [
    SECTION_BEGIN,
    '## Morphology (UD Russian GSD)',
    '',
    `Measured by \`${options.command}\` on ${options.date} (Node ${process.version}).`,
    ...formatDefinitions(result),
    '',
    `| system | precision | recall | F1 | F1 by class: ${SAMPLED_UPOS.join(' / ')} | term-sharing pairs | wrong pairs |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.systems.map(formatRow),
    '',
    ...result.systems.map(system => `- **${system.name}**: ${result.descriptions.get(system.name) ?? ''}`),
    ''
  ]
  if (poisk !== undefined) {
    lines.push(...formatFalseMerges(poisk.falseMerges.slice(0, options.top)), ...formatSplits(poisk.splits.slice(0, options.top)))
  }
  if (result.difference !== undefined && result.systems.length >= 2) {
    const [first, second] = result.systems as [MorphEvaluation, MorphEvaluation]
    lines.push(...formatDifference(result.difference, first.name, second.name, options.top))
  }
  if (poisk !== undefined) lines.push(`<!-- poisk-morph-figures ${JSON.stringify(morphFigures(poisk))} -->`)
  lines.push(SECTION_END, '')
  return lines.join('\n')
}

function formatDefinitions (result: MorphResult): string[] {
  const perClass = SAMPLED_UPOS.map(upos => `${upos} ${result.types.filter(type => type.upos === upos).length}`).join(', ')
  const gold = result.systems[0]?.overall.gold ?? 0
  return [
    `Gold: ${result.files.map(file => `\`${basename(file)}\``).join(' + ')} (Universal Dependencies UD_Russian-GSD, CC BY-SA 4.0, read from \`--shared\`), ${result.words} syntactic words.`,
    '',
    `- **Sample**: the words with UPOS ${SAMPLED_UPOS.join(', ')} (not AUX, DET, PRON…) whose form is a Cyrillic word — letters of the Cyrillic script, hyphenated parts allowed; no digits, Latin letters, points or stress marks (${result.sampledWords} words). A **type** is a distinct (form, lemma), both normalised as the index normalises words (lowercase, ё→е): **${result.types.length} types** of ${result.lemmas} lemmas; a type's class is its most frequent UPOS (${perClass}).`,
    `- **Pairs**: unordered pairs of distinct types. Gold pairs have one lemma (${gold}); a system's pairs share an index term (their term sets intersect). **Precision**: of the term-sharing pairs, the share with one lemma; **recall**: of the gold pairs, the share that share a term; F1 their harmonic mean.`,
    '- **By class**: a pair counts in the class of each of its two types (a NOUN–ADJ pair in NOUN and in ADJ), so merges across classes (лучший ~ хорошо) weigh on both.',
    '- These definitions reproduce the issue\'s sample («Analysis that joins only what belongs together»: 8,813 types) and its figures to within a few tenths of a point; its Snowball is the `snowball` row, the stem of the whole word.',
    '- Two types with one form and two lemmas (стали: сталь, стать) share every term in any system: they are wrong pairs for all. A form with no terms (a stop word) shares none. UD lemmatises across some lines search may not mind (быстро ADV ≠ быстрый ADJ, participles under their verbs).'
  ]
}

function formatRow (system: MorphEvaluation): string {
  const overall = scores(system.overall)
  const byClass = SAMPLED_UPOS.map(upos => percent(scores(system.byClass.get(upos) as PairCounts).f1)).join(' / ')
  const { system: shared, correct } = system.overall
  return `| ${system.name} | ${percent(overall.precision)} | ${percent(overall.recall)} | ${percent(overall.f1)} | ${byClass} | ${shared} | ${shared - correct} |`
}

function formatFalseMerges (merges: readonly FalseMerge[]): string[] {
  return [
    '### poisk: largest false merges',
    '',
    'Terms shared by types of different lemmas; wrong pairs are the pairs of different lemmas among the term\'s types (a pair sharing two terms counts under each).',
    '',
    ...table(['| term | wrong pairs | lemmas that meet (types: forms) |', '| --- | ---: | --- |'],
      merges.map(merge => `| ${code(merge.term)} | ${merge.wrongPairs} | ${listLemmas(merge.lemmas)} |`)),
    ''
  ]
}

function listLemmas (lemmas: FalseMerge['lemmas']): string {
  const shown = lemmas.slice(0, 5).map(({ lemma, forms }) => `${lemma} (${forms.length}: ${abbreviate(forms, 4)})`)
  return [...shown, ...(lemmas.length > 5 ? [`+${lemmas.length - 5} more`] : [])].join(' · ')
}

function formatSplits (splits: readonly Split[]): string[] {
  return [
    '### poisk: largest splits',
    '',
    'Gold lemmas whose types fall into groups that share no term; missed pairs are the same-lemma pairs sharing no term.',
    '',
    ...table(['| lemma | types | missed pairs | groups (terms: forms) |', '| --- | ---: | ---: | --- |'],
      splits.map(split => `| ${split.lemma} | ${split.forms} | ${split.missedPairs} | ${listParts(split.parts)} |`)),
    ''
  ]
}

function listParts (parts: Split['parts']): string {
  const termless = parts.filter(part => part.terms.length === 0).flatMap(part => part.forms)
  const withTerms = parts.filter(part => part.terms.length > 0).map(part => `${code(part.terms.join('|'))}: ${abbreviate(part.forms, 5)}`)
  return [...withTerms, ...(termless.length > 0 ? [`no term (stop words): ${abbreviate(termless, 5)}`] : [])].join(' · ')
}

function formatDifference (difference: MergeDifference, first: string, second: string, top: number): string[] {
  return [
    `### Wrong merges ${first} makes that ${second} does not`,
    '',
    `${first} makes ${difference.onlyFirst} wrong term-sharing pairs (different lemmas) that ${second} does not, ${difference.onlyFirstHyphenated} of them with a hyphenated form (западный ~ северо-западный); ${second} makes ${difference.onlySecond} that ${first} does not. ${first}'s, grouped by the terms the pair shares:`,
    '',
    ...table([`| ${first} terms shared | wrong pairs | lemmas that meet (pairs: an example) |`, '| --- | ---: | --- |'],
      difference.groups.slice(0, top).map(group => `| ${code(group.terms)} | ${group.pairs} | ${listLemmaPairs(group.lemmaPairs)} |`)),
    ''
  ]
}

function listLemmaPairs (pairs: MergeDifference['groups'][number]['lemmaPairs']): string {
  const shown = pairs.slice(0, 4).map(entry => `${entry.lemmas.join(' ~ ')} (${entry.pairs}: ${entry.forms.join(' / ')})`)
  return [...shown, ...(pairs.length > 4 ? [`+${pairs.length - 4} more`] : [])].join(' · ')
}

export function morphFigures (poisk: MorphEvaluation): MorphFigures {
  const { precision, recall } = scores(poisk.overall)
  return { precision: round2((precision ?? 0) * 100), recall: round2((recall ?? 0) * 100) }
}

/** `document` with its morphology section replaced by `section`, or `section` appended when it has none. */
export function replaceSection (document: string, section: string): string {
  return replaceMarkedSection(document, MORPH_SECTION, section)
}

export function readMorphFigures (text: string, path: string): MorphFigures {
  const match = FIGURES_MARKER.exec(text)
  if (match?.[1] === undefined) throw new ConfigError(`${path} records no morphology figures (run npm run eval:morph)`)
  const figures = JSON.parse(match[1]) as Partial<MorphFigures>
  if (typeof figures.precision !== 'number' || typeof figures.recall !== 'number') {
    throw new ConfigError(`${path}: the morphology figures ${match[1]} lack precision or recall`)
  }
  return { precision: figures.precision, recall: figures.recall }
}

/** What fell more than `allowedDrop` points below the recorded figures; empty when nothing did. */
export function checkMorphFigures (measured: MorphFigures, recorded: MorphFigures, allowedDrop = ALLOWED_DROP): string[] {
  return (['precision', 'recall'] as const)
    // In hundredths of a point, so a drop of exactly `allowedDrop` passes whatever the float rounding.
    .filter(key => Math.round((recorded[key] - measured[key]) * 100) > Math.round(allowedDrop * 100))
    .map(key => `poisk's ${key} ${measured[key].toFixed(2)} is more than ${allowedDrop} point below the recorded ${recorded[key].toFixed(2)}`)
}

/** A table, or a word saying it is empty (a header alone renders as an odd empty grid). */
function table (header: string[], rows: string[]): string[] {
  return rows.length === 0 ? ['None.'] : [...header, ...rows]
}

function percent (value: number | undefined): string {
  return value === undefined ? '—' : (value * 100).toFixed(1)
}

function round2 (value: number): number {
  return Math.round(value * 100) / 100
}

function abbreviate (items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, …` : items.join(', ')
}

/** A code span in a table cell: GitHub's tables need the pipe escaped even there. */
function code (text: string): string {
  return `\`${text.replace(/\|/g, '\\|')}\``
}
