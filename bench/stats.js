// @ts-check
/** Percentiles and medians, the only statistics the bench reports. */

/** @param {number[]} values @param {number} p 0–100 */
export function percentile (values, p) {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length) - 1
  return /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.max(0, rank))])
}

/** @param {number[]} values */
export function median (values) {
  return percentile(values, 50)
}

/**
 * The median of each numeric field over repeated runs (runs are objects of the same shape).
 * @template {Record<string, unknown>} T @param {T[]} runs @returns {T}
 */
export function medianOf (runs) {
  const first = /** @type {T} */ (runs[0])
  /** @type {Record<string, unknown>} */
  const out = { ...first }
  for (const [key, value] of Object.entries(first)) {
    if (typeof value === 'number') out[key] = median(runs.map(run => /** @type {number} */ (run[key])))
  }
  return /** @type {T} */ (out)
}

/** Calls `fn` on every tick while watching how late ticks come: the longest event-loop stall. */
export function stallMonitor (intervalMs = 1) {
  let last = performance.now()
  let longest = 0
  const timer = setInterval(() => {
    const now = performance.now()
    longest = Math.max(longest, now - last - intervalMs)
    last = now
  }, intervalMs)
  return {
    stop () {
      clearInterval(timer)
      longest = Math.max(longest, performance.now() - last - intervalMs)
      return Math.max(0, longest)
    }
  }
}

/** Timed passes over the queries after the warm-up pass. */
export const TIMED_PASSES = 3

/**
 * Latency over a query set: one warm-up pass, then `TIMED_PASSES` timed passes; a query's
 * latency is the median of its passes, so a pass the shared machine's scheduler interrupted
 * does not become the tail, then percentiles over the queries.
 * @param {string[]} queries @param {(q: string) => Promise<unknown>} run
 */
export async function queryLatency (queries, run) {
  for (const q of queries) await run(q)
  /** @type {number[][]} */
  const passes = []
  for (let pass = 0; pass < TIMED_PASSES; pass++) {
    const times = []
    for (const q of queries) {
      const started = performance.now()
      await run(q)
      times.push(performance.now() - started)
    }
    passes.push(times)
  }
  const perQuery = queries.map((_, at) => median(passes.map(times => /** @type {number} */ (times[at]))))
  return { queries: perQuery.length, p50Ms: percentile(perQuery, 50), p95Ms: percentile(perQuery, 95), p99Ms: percentile(perQuery, 99) }
}
