// @ts-check
/**
 * Turns measurements into the tables the issue asks for: per-system results at each scale,
 * the ratio table against the targets (met or not, as measured), the HTTP table, and the
 * Markdown page docs/BENCHMARKS.md.
 */

/** @typedef {Record<string, number | string | undefined>} Row */
/** @typedef {{ build?: Row, query?: Row, error?: string }} SystemResult */
/** @typedef {{ scale: number, documents: number, bytes: number, systems: Record<string, SystemResult> }} ScaleResult */
/** @typedef {import('./http.js').HttpResult} HttpResult */
/** @typedef {{ metric: string, value: number, target: string, met: boolean | undefined, detail: string }} Ratio */

export const LABELS = { poisk: 'poisk', minisearch: 'MiniSearch default', snowball: 'MiniSearch + Snowball', postgres: 'PostgreSQL russian FTS' }
const MB = 1024 * 1024

/** @param {ScaleResult[]} scales @param {HttpResult[]} http @param {number} workers @returns {Ratio[]} */
export function ratios (scales, http, workers) {
  /** @type {Ratio[]} */
  const out = []
  const base = scales.find(s => s.scale === 1) ?? scales[0]
  if (base === undefined) return out
  const get = (/** @type {string} */ system, /** @type {'build' | 'query'} */ part, /** @type {string} */ key) => {
    const value = base.systems[system]?.[part]?.[key]
    return typeof value === 'number' ? value : NaN
  }
  const ratio = (/** @type {string} */ metric, /** @type {number} */ a, /** @type {number} */ b, /** @type {'<=' | '>=' | 'none'} */ op, /** @type {number} */ limit, /** @type {string} */ detail) => {
    const value = a / b
    if (op === 'none') {
      out.push({ metric, value, target: 'none (reference)', met: undefined, detail })
      return
    }
    out.push({ metric, value, target: `${op === '<=' ? '≤' : '≥'} ${limit}`, met: Number.isFinite(value) ? (op === '<=' ? value <= limit : value >= limit) : undefined, detail })
  }
  const absolute = (/** @type {string} */ metric, /** @type {number} */ value, /** @type {number} */ limit, /** @type {string} */ unit) => {
    out.push({ metric, value, target: `≤ ${limit} ${unit}`, met: Number.isFinite(value) ? value <= limit : undefined, detail: `${round(value)} ${unit}` })
  }
  const ms = (/** @type {number} */ v) => `${round(v)} ms`
  const pb = get('poisk', 'build', 'buildMs')
  ratio('build time: poisk / MiniSearch default', pb, get('minisearch', 'build', 'buildMs'), '<=', 0.35, `${s(pb)} vs ${s(get('minisearch', 'build', 'buildMs'))}`)
  ratio('build time: poisk / MiniSearch + Snowball', pb, get('snowball', 'build', 'buildMs'), 'none', 0, `${s(pb)} vs ${s(get('snowball', 'build', 'buildMs'))}`)
  ratio('build time: poisk / PostgreSQL', pb, get('postgres', 'build', 'buildMs'), 'none', 0, `${s(pb)} vs ${s(get('postgres', 'build', 'buildMs'))}`)
  const ph = get('poisk', 'build', 'heapMb')
  ratio('heap after build: poisk / MiniSearch default', ph, get('minisearch', 'build', 'heapMb'), '<=', 0.5, `${round(ph)} MB vs ${round(get('minisearch', 'build', 'heapMb'))} MB`)
  absolute('saved index size: poisk (rt; document store apart)', get('poisk', 'build', 'indexBytes') / MB, 20, 'MB')
  const pl = get('poisk', 'query', 'loadMs')
  const documentsReady = get('poisk', 'query', 'documentsReadyMs')
  ratio('load time (until searchable): poisk / MiniSearch default loadJSON', pl, get('minisearch', 'query', 'loadMs'), '<=', 0.1, `${ms(pl)} vs ${ms(get('minisearch', 'query', 'loadMs'))}${Number.isFinite(documentsReady) ? `; documents file in memory at ${ms(documentsReady)}` : ''}`)
  absolute('longest event-loop stall during load (and the documents file\'s read into memory): poisk', get('poisk', 'query', 'loadStallMs'), 50, 'ms')
  const p99 = get('poisk', 'query', 'p99Ms')
  ratio('tag-query p99: poisk / MiniSearch + Snowball', p99, get('snowball', 'query', 'p99Ms'), '<=', 0.4, `${ms(p99)} vs ${ms(get('snowball', 'query', 'p99Ms'))}`)
  const p50 = get('poisk', 'query', 'p50Ms')
  ratio('tag-query p50: PostgreSQL / poisk (speed-up)', get('postgres', 'query', 'p50Ms'), p50, '>=', 10, `${ms(get('postgres', 'query', 'p50Ms'))} vs ${ms(p50)}`)
  const pageP50 = get('poisk', 'query', 'pageP50Ms')
  ratio('tag-query p50 with snippets (GET /search\'s page): poisk / MiniSearch + Snowball\'s top ten', pageP50, get('snowball', 'query', 'p50Ms'), 'none', 0, `${ms(pageP50)} vs ${ms(get('snowball', 'query', 'p50Ms'))}; p99 ${ms(get('poisk', 'query', 'pageP99Ms'))}`)
  if (http.length > 0) httpRatios(http, workers, ratio)
  const top = scales[scales.length - 1]
  if (top !== undefined && top !== base) {
    const perDoc = (/** @type {ScaleResult} */ r, /** @type {string} */ key) => {
      const value = r.systems.poisk?.build?.[key]
      return typeof value === 'number' ? value / r.documents : NaN
    }
    ratio(`scale: poisk build time per document, ×${top.scale} / ×${base.scale}`, perDoc(top, 'buildMs'), perDoc(base, 'buildMs'), '<=', 1.25, 'linear growth ≈ 1')
    ratio(`scale: poisk heap per document, ×${top.scale} / ×${base.scale}`, perDoc(top, 'heapMb'), perDoc(base, 'heapMb'), '<=', 1.25, 'linear growth ≈ 1')
  }
  return out
}

/**
 * @param {import('./http.js').HttpResult[]} http @param {number} workers
 * @param {(metric: string, value: number, base: number, op: '<=' | '>=' | 'none', limit: number, detail: string) => void} ratio
 */
function httpRatios (http, workers, ratio) {
  const maxConnections = Math.max(...http.map(h => h.connections))
  const rps = (/** @type {string} */ name, /** @type {number} */ w) => http.find(h => h.name === name && h.workers === w && h.connections === maxConnections)?.requestsPerS ?? NaN
  if (workers > 1) ratio(`HTTP req/s at ${maxConnections} connections: poisk ${workers} workers / 1 worker`, rps('poisk', workers), rps('poisk', 1), '>=', 1.7, `${round(rps('poisk', workers))} vs ${round(rps('poisk', 1))} req/s`)
  ratio(`HTTP req/s at ${maxConnections} connections: poisk (${workers} workers) / fastify + MiniSearch + Snowball`, rps('poisk', workers), rps('fastify + MiniSearch + Snowball', 1), '>=', 2, `${round(rps('poisk', workers))} vs ${round(rps('fastify + MiniSearch + Snowball', 1))} req/s`)
}

/** @param {ScaleResult[]} scales */
export function resultsTable (scales) {
  const header = ['scale', 'system', 'docs', 'build s', 'docs/s', 'MB/s', 'heap MB', 'peak heap MB', 'peak RSS MB', 'index MB', 'doc store MB', 'load ms', 'load stall ms', 'p50 ms', 'p95 ms', 'p99 ms', 'page p50 / p99 ms']
  const rows = []
  for (const scale of scales) {
    for (const [system, result] of Object.entries(scale.systems)) {
      const b = result.build ?? {}
      const q = result.query ?? {}
      const buildS = num(b.buildMs) / 1000
      rows.push([`×${scale.scale}`, LABELS[/** @type {keyof typeof LABELS} */ (system)] ?? system, String(scale.documents), f(buildS), f(scale.documents / buildS, 0), f(scale.bytes / MB / buildS), f(num(b.heapMb)), f(num(b.peakHeapMb)), f(num(b.peakRssMb)), f(num(b.indexBytes) / MB), f(num(b.storeBytes) / MB), f(num(q.loadMs), 0), f(num(q.loadStallMs), 0), f(num(q.p50Ms), 2), f(num(q.p95Ms), 2), f(num(q.p99Ms), 2), q.pageP50Ms === undefined ? '–' : `${f(num(q.pageP50Ms), 2)} / ${f(num(q.pageP99Ms), 2)}`])
      if (result.error !== undefined) rows.push([`×${scale.scale}`, `${system} error`, result.error])
      if (typeof b.saveError === 'string') rows.push([`×${scale.scale}`, `${system} save failed`, b.saveError])
    }
  }
  return { header, rows }
}

/** @param {HttpResult[]} http */
export function httpTable (http) {
  return {
    header: ['server', 'workers', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
    rows: http.map(h => [h.name, String(h.workers), String(h.connections), f(h.requestsPerS, 0), f(h.p50Ms, 1), f(h.p99Ms, 1), String(h.non2xx), String(h.errors)])
  }
}

/** @param {Ratio[]} list */
export function ratioTable (list) {
  return {
    header: ['measure', 'ratio / value', 'target', 'met', 'measured'],
    rows: list.map(r => [r.metric, f(r.value, 2), r.target, r.target.startsWith('none') ? '–' : r.met === undefined ? 'not measured' : r.met ? 'yes' : 'NO', r.detail])
  }
}

/** @param {{ header: string[], rows: string[][] }} table */
export function markdownTable ({ header, rows }) {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(row => `| ${row.join(' | ')} |`)].join('\n')
}

/** @param {{ header: string[], rows: string[][] }} table */
export function textTable ({ header, rows }) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(row => (row[i] ?? '').length)))
  const line = (/** @type {string[]} */ cells) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')
  return [line(header), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

function num (/** @type {unknown} */ value) {
  return typeof value === 'number' ? value : NaN
}

function f (/** @type {number} */ value, digits = 1) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–'
}

function round (/** @type {number} */ value) {
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : NaN
}

function s (/** @type {number} */ ms) {
  return `${round(ms / 1000)} s`
}
