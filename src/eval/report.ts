/**
 * Formats an evaluation as Markdown (printed, and written to docs/RELEVANCE.md) and reads
 * back the recorded poisk figures, so CI can fail when quality slides.
 */
import { readFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { halfOf } from './judgements.js'
import { largestLosses, type EvalResult, type QuerySetResult, type SystemResult } from './run-eval.js'

export interface RecordedFigures {
  tagNdcg10: number
  knownItemMrr10: number
  /** The held-out half's (judgements.ts: halfOf), which CI checks; absent in figures recorded before the split. */
  heldOutTagNdcg10?: number
  heldOutKnownItemMrr10?: number
}

const FIGURES_MARKER = /<!-- poisk-eval-figures (\{.*\}) -->/

export function formatReport (result: EvalResult, command: string): string {
  const lines = [
    '# Relevance',
    '',
    `Measured by \`${command}\` on ${new Date().toISOString().slice(0, 10)} (${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}).`,
    `Corpus: rt.jsonl.gz, ${result.documents} articles, title and body only (never tags or summary). Queries OR-ed, no recency factor.`,
    `Tag queries: ${result.tagQueries.length} editor tags against title + body. Known-item queries: ${result.knownItems.length} headlines against bodies only.`,
    '',
    '| system | tag nDCG@10 | tag MAP@100 | tag Recall@100 | known-item MRR@10 | known-item Success@10 | build (tag index) | build (body index) | query p50 / p99 (tags) | query p50 / p99 (known-item) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.systems.map(formatRow),
    '',
    '### Tuning and held-out halves',
    '',
    `Every query belongs to a fixed half by its text (the lowest bit of its CRC-32, \`halfOf\` in src/eval/judgements.ts): ${halfCounts(result.tagQueries)} tag queries and ${halfCounts(result.knownItems)} known-item queries (tuning / held-out). Ranking parameters are chosen on the tuning half; CI checks the held-out half (\`npm run eval:check\`).`,
    '',
    '| system | tag nDCG@10 tuning | tag nDCG@10 held-out | known-item MRR@10 tuning | known-item MRR@10 held-out |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...result.systems.map(system => `| ${system.name} | ${fixed(system.tags.byHalf.tuning)} | ${fixed(system.tags.byHalf['held-out'])} | ${fixed(system.knownItems.byHalf.tuning)} | ${fixed(system.knownItems.byHalf['held-out'])} |`),
    '',
    ...result.systems.map(system => `- **${system.name}**: ${system.description}`),
    ''
  ]
  const baseline = result.systems.find(system => system.name === 'snowball')
  const poisk = result.systems.find(system => system.name === 'poisk')
  if (baseline !== undefined && poisk !== undefined) {
    lines.push(...formatLosses('Largest tag-query losses against Snowball (nDCG@10)', result.tagQueries, poisk.tags, baseline.tags))
    lines.push(...formatLosses('Largest known-item losses against Snowball (reciprocal rank)', result.knownItems, poisk.knownItems, baseline.knownItems))
  }
  if (poisk !== undefined) {
    const figures: RecordedFigures = {
      tagNdcg10: round(poisk.tags.metrics['nDCG@10']),
      knownItemMrr10: round(poisk.knownItems.metrics['MRR@10']),
      heldOutTagNdcg10: round(poisk.tags.byHalf['held-out']),
      heldOutKnownItemMrr10: round(poisk.knownItems.byHalf['held-out'])
    }
    lines.push(`<!-- poisk-eval-figures ${JSON.stringify(figures)} -->`, '')
  }
  return lines.join('\n')
}

function halfCounts (judgements: EvalResult['tagQueries']): string {
  const tuning = judgements.filter(judgement => halfOf(judgement.query) === 'tuning').length
  return `${tuning} / ${judgements.length - tuning}`
}

function formatRow (system: SystemResult): string {
  const { tags, knownItems } = system
  return `| ${system.name} | ${fixed(tags.metrics['nDCG@10'])} | ${fixed(tags.metrics['MAP@100'])} | ${fixed(tags.metrics['Recall@100'])} | ${fixed(knownItems.metrics['MRR@10'])} | ${fixed(knownItems.metrics['Success@10'])} | ${seconds(tags.buildMs)} | ${seconds(knownItems.buildMs)} | ${ms(tags)} | ${ms(knownItems)} |`
}

function formatLosses (title: string, judgements: EvalResult['tagQueries'], system: QuerySetResult, baseline: QuerySetResult): string[] {
  const losses = largestLosses(judgements, system.perQuery, baseline.perQuery, 10)
  const wins = system.perQuery.filter((value, i) => value > (baseline.perQuery[i] ?? 0)).length
  const lost = system.perQuery.filter((value, i) => value < (baseline.perQuery[i] ?? 0)).length
  return [
    `## ${title}`,
    '',
    `poisk better on ${wins} queries, worse on ${lost}, equal on ${system.perQuery.length - wins - lost}.`,
    '',
    '| query | poisk | snowball |',
    '| --- | ---: | ---: |',
    ...losses.map(loss => `| ${loss.query.replace(/\|/g, '\\|')} | ${fixed(loss.system)} | ${fixed(loss.baseline)} |`),
    ''
  ]
}

export async function readRecordedFigures (path: string): Promise<RecordedFigures> {
  const match = FIGURES_MARKER.exec(await readFile(path, 'utf8'))
  if (match?.[1] === undefined) throw new Error(`${path} records no poisk figures (run npm run eval)`)
  return JSON.parse(match[1]) as RecordedFigures
}

function fixed (value: number | undefined): string {
  return (value ?? 0).toFixed(3)
}

function round (value: number | undefined): number {
  return Math.round((value ?? 0) * 1000) / 1000
}

function seconds (value: number): string {
  return `${(value / 1000).toFixed(1)} s`
}

function ms (set: QuerySetResult): string {
  return `${set.queryMsP50.toFixed(2)} / ${set.queryMsP99.toFixed(1)} ms`
}
