/**
 * `poisk eval`: the relevance evaluation on rt (see src/eval). Prints the table, writes it
 * to docs/RELEVANCE.md with --write, and with --check fails when poisk's nDCG@10 or MRR@10
 * is more than 0.01 below the figures recorded there.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError } from '../errors.js'
import { markedSection, replaceSection, type SectionMarkers } from '../eval/doc-sections.js'
import { MORPH_SECTION } from '../eval/morph-report.js'
import { formatReport, readRecordedFigures, type RecordedFigures } from '../eval/report.js'
import { runEvaluation } from '../eval/run-eval.js'
import { poiskSystem, SYSTEMS } from '../eval/systems.js'
import type { RankingConfig } from '../search/ranking.js'
import { parseCommandArgs } from './arguments.js'

const ALLOWED_DROP = 0.01

export async function evalCommand (args: string[]): Promise<void> {
  const flags = parseCommandArgs('eval', args).values
  const values = {
    ...flags,
    shared: flags.shared ?? process.env.POISK_SHARED_DIR ?? '../shared',
    systems: flags.systems ?? SYSTEMS.map(system => system.name).join(',')
  }
  const names = values.systems.split(',').map(name => name.trim())
  const systems = names.flatMap(name => {
    const system = SYSTEMS.find(candidate => candidate.name === name)
    if (system === undefined) throw new ConfigError(`unknown system «${name}»; known: ${SYSTEMS.map(s => s.name).join(', ')}`)
    if (name !== 'poisk' || values.ranking === undefined) return [system]
    // --ranking '[{"wordCoordination":1}, …]' tries other ranking options over one index (tuning runs).
    const overrides = JSON.parse(values.ranking) as unknown
    return (Array.isArray(overrides) ? overrides : [overrides]).map(override => poiskSystem(override as Partial<RankingConfig>))
  })
  const paths = {
    corpus: values.corpus ?? join(values.shared, 'corpora', 'rt.jsonl.gz'),
    tagQueries: join(values.shared, 'eval', 'rt-tag-queries.tsv'),
    knownItems: join(values.shared, 'eval', 'rt-known-item.tsv')
  }
  const result = await runEvaluation(paths, systems, line => process.stderr.write(`${line}\n`))
  const report = formatReport(result, `npm run eval${values.systems === SYSTEMS.map(s => s.name).join(',') ? '' : ` -- --systems ${values.systems}`}`)
  process.stdout.write(report)
  if (values.write !== undefined) await writeReport(values.write, report)
  if (values.check !== undefined) await checkAgainstRecorded(values.check, result.systems.find(system => system.name === 'poisk'))
}

/** Where the report goes in docs/RELEVANCE.md: the file's first section, the rest (morphology, notes) kept. */
const EVAL_SECTION: SectionMarkers = { begin: '<!-- poisk-eval:begin -->', end: '<!-- poisk-eval:end -->' }

async function writeReport (path: string, report: string): Promise<void> {
  const existing = await readFile(path, 'utf8').catch(() => '')
  // A file written before the markers was the report alone, but for the morphology section.
  const kept = existing.includes(EVAL_SECTION.begin) ? existing : morphologyOf(existing)
  await writeFile(path, replaceSection(kept, EVAL_SECTION, markedSection(EVAL_SECTION, report), 'start'))
}

function morphologyOf (document: string): string {
  const begin = document.indexOf(MORPH_SECTION.begin)
  const end = document.indexOf(MORPH_SECTION.end, begin)
  return begin === -1 || end === -1 ? '' : document.slice(begin, end + MORPH_SECTION.end.length) + '\n'
}

async function checkAgainstRecorded (path: string, poisk: Awaited<ReturnType<typeof runEvaluation>>['systems'][number] | undefined): Promise<void> {
  if (poisk === undefined) throw new ConfigError('--check needs the poisk system in --systems')
  const recorded = await readRecordedFigures(path)
  const measured: Required<RecordedFigures> = {
    tagNdcg10: poisk.tags.metrics['nDCG@10'] ?? 0,
    knownItemMrr10: poisk.knownItems.metrics['MRR@10'] ?? 0,
    heldOutTagNdcg10: poisk.tags.byHalf['held-out'],
    heldOutKnownItemMrr10: poisk.knownItems.byHalf['held-out']
  }
  // The held-out half is what a ranking change must not lose; the whole set is checked too, as before the split.
  const keys = (Object.keys(measured) as Array<keyof RecordedFigures>).filter(key => recorded[key] !== undefined)
  const failures = keys
    .filter(key => measured[key] < (recorded[key] as number) - ALLOWED_DROP)
    .map(key => `${key} ${measured[key].toFixed(3)} is more than ${ALLOWED_DROP} below the recorded ${String(recorded[key])}`)
  if (failures.length > 0) throw new QualityRegressionError(failures.join('; '))
  process.stderr.write(`quality check passed: ${keys.map(key => `${key} ${measured[key].toFixed(3)} (recorded ${String(recorded[key])})`).join(', ')}\n`)
}

class QualityRegressionError extends ConfigError {}
