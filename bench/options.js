// @ts-check
/**
 * Bench options from flags and environment, with every default in one place. `--quick`
 * is the reduced run for a check on a shared machine; the full run is the issue's
 * (rt ×1/×4/×8, medians of 3, every baseline, autocannon at 10 and 50 connections).
 */
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'

export const SYSTEMS = ['poisk', 'minisearch', 'snowball', 'postgres']

/** @typedef {{ shared: string, corpus: string, queries: string, scales: number[], baselineScales: number[] | undefined, section: string, repeats: number, systems: string[], http: boolean, httpSystems: string[], connections: number[], durationS: number, workers: number, workDir: string, out: string, plot: string, quick: boolean, keep: boolean, shape: 'rt' | 'lenta', docs: number[], swap: boolean }} BenchOptions */

const FULL = { scales: [1, 4, 8], repeats: 3, connections: [10, 50], durationS: 10 }
const QUICK = { scales: [1], repeats: 1, connections: [10, 50], durationS: 5 }

/** @param {string[]} argv @param {NodeJS.ProcessEnv} env @returns {BenchOptions} */
export function benchOptions (argv, env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: env.BENCH_QUICK === '1' },
      shared: { type: 'string', default: env.SHARED_DIR ?? '../shared' },
      corpus: { type: 'string', default: env.BENCH_CORPUS },
      queries: { type: 'string', default: env.BENCH_QUERIES },
      scales: { type: 'string', default: env.BENCH_SCALES },
      // The baselines only at these scales (default: every scale): poisk alone at the largest.
      'baseline-scales': { type: 'string', default: env.BENCH_BASELINE_SCALES },
      // Writes its own section of the page (e.g. a scale-curve run beside the main one).
      section: { type: 'string', default: env.BENCH_SECTION ?? '' },
      repeats: { type: 'string', default: env.BENCH_REPEATS },
      systems: { type: 'string', default: env.BENCH_SYSTEMS ?? SYSTEMS.join(',') },
      'no-http': { type: 'boolean', default: env.BENCH_HTTP === '0' },
      connections: { type: 'string', default: env.BENCH_CONNECTIONS },
      duration: { type: 'string', default: env.BENCH_DURATION_S },
      workers: { type: 'string', default: env.BENCH_WORKERS ?? String(Math.min(2, availableParallelism())) },
      'work-dir': { type: 'string', default: env.BENCH_WORK_DIR ?? '.tmp/bench' },
      out: { type: 'string', default: env.BENCH_OUT ?? 'docs/BENCHMARKS.md' },
      plot: { type: 'string', default: env.BENCH_PLOT },
      keep: { type: 'boolean', default: false },
      // The Lenta-shaped archive (bench/lenta-shape.js) at these sizes instead of the scale curve.
      shape: { type: 'string', default: env.BENCH_SHAPE ?? 'rt' },
      docs: { type: 'string', default: env.BENCH_DOCS ?? '200000,400000,800000' },
      // With --shape lenta: POST /admin/reindex at the largest size while 16 clients search.
      swap: { type: 'boolean', default: false }
    }
  })
  const base = values.quick ? QUICK : FULL
  const shared = resolve(values.shared)
  const systems = list(values.systems)
  for (const system of systems) if (!SYSTEMS.includes(system)) throw new Error(`unknown system «${system}»; choose from ${SYSTEMS.join(', ')}`)
  if (values.shape !== 'rt' && values.shape !== 'lenta') throw new Error(`unknown shape «${values.shape}»; choose rt or lenta`)
  return {
    shape: values.shape,
    docs: list(values.docs).map(positive),
    swap: values.swap,
    shared,
    corpus: resolve(values.corpus ?? `${shared}/corpora/rt.jsonl.gz`),
    queries: resolve(values.queries ?? `${shared}/eval/rt-tag-queries.tsv`),
    scales: values.scales === undefined ? base.scales : list(values.scales).map(positive),
    baselineScales: values['baseline-scales'] === undefined ? undefined : list(values['baseline-scales']).map(positive),
    // The Lenta-shaped run writes a section of its own, never over the main bench's.
    section: values.section === '' && values.shape === 'lenta' ? 'lenta shape' : values.section,
    repeats: values.repeats === undefined ? base.repeats : positive(values.repeats),
    systems,
    http: !values['no-http'],
    httpSystems: systems.filter(system => system === 'poisk' || system === 'snowball'),
    connections: values.connections === undefined ? base.connections : list(values.connections).map(positive),
    durationS: values.duration === undefined ? base.durationS : positive(values.duration),
    workers: positive(values.workers),
    workDir: resolve(values['work-dir']),
    out: resolve(values.out),
    plot: resolve(values.plot ?? (values.shape === 'lenta' ? 'docs/bench-lenta.svg' : 'docs/bench-scale.svg')),
    quick: values.quick,
    keep: values.keep
  }
}

/** @param {string} text */
function list (text) {
  return text.split(',').map(item => item.trim()).filter(Boolean)
}

/** @param {string} text */
function positive (text) {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) throw new Error(`expected a positive integer, got «${text}»`)
  return value
}
