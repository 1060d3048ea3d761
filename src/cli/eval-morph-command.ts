/**
 * `poisk eval-morph`: how poisk's analysis groups word forms, against the gold lemmas of UD
 * Russian GSD (see src/eval/morph.ts). Prints the section, replaces it in docs/RELEVANCE.md
 * with --write, and with --check fails when poisk's pair precision or recall is more than
 * half a point below the figures recorded there.
 */
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { parsePositiveInteger } from '../config.js'
import { ConfigError } from '../errors.js'
import { writeSection } from '../eval/doc-sections.js'
import { checkMorphFigures, formatMorphSection, morphFigures, MORPH_SECTION, readMorphFigures } from '../eval/morph-report.js'
import { runMorphEvaluation, UD_GSD_FILES } from '../eval/run-morph.js'
import { parseCommandArgs } from './arguments.js'

const MAX_TOP = 1000

export async function evalMorphCommand (args: string[]): Promise<void> {
  const flags = parseCommandArgs('eval-morph', args).values
  const values = { ...flags, shared: flags.shared ?? process.env.POISK_SHARED_DIR ?? '../shared', top: flags.top ?? '20' }
  const top = parsePositiveInteger(values.top, '--top', MAX_TOP)
  const paths = await treebankPaths(values.shared)
  const result = await runMorphEvaluation(paths)
  const section = formatMorphSection(result, { command: 'npm run eval:morph', top, date: new Date().toISOString().slice(0, 10) })
  process.stdout.write(section)
  // Only the morphology section: the rest of the file is `npm run eval`'s and hand-written notes.
  if (values.write !== undefined) await writeSection(values.write, MORPH_SECTION, section)
  if (values.check === undefined) return
  const poisk = result.systems.find(system => system.name === 'poisk')
  if (poisk === undefined) throw new ConfigError('--check needs the poisk system')
  await checkAgainstRecorded(values.check, morphFigures(poisk))
}

async function treebankPaths (shared: string): Promise<string[]> {
  const paths = UD_GSD_FILES.map(file => join(shared, 'corpora', 'ud-russian-gsd', file))
  for (const path of paths) {
    const found = await stat(path).catch(() => undefined)
    if (found?.isFile() !== true) throw new ConfigError(`${path}: no such file (give --shared the folder holding corpora/ud-russian-gsd/, or set POISK_SHARED_DIR)`)
  }
  return paths
}

async function checkAgainstRecorded (path: string, measured: ReturnType<typeof morphFigures>): Promise<void> {
  const recorded = readMorphFigures(await readFile(path, 'utf8'), path)
  const failures = checkMorphFigures(measured, recorded)
  if (failures.length > 0) {
    process.stderr.write(`morphology check failed: ${failures.join('; ')}\n`)
    // Exit status 1: a measured regression, not the 2 that main gives a wrong invocation.
    process.exitCode = 1
    return
  }
  process.stderr.write(`morphology check passed: precision ${measured.precision.toFixed(2)} (recorded ${recorded.precision}), recall ${measured.recall.toFixed(2)} (recorded ${recorded.recall})\n`)
}
