/**
 * Prometheus metrics for one serving process: requests and latency by route, the live
 * index's size, index builds (duration, failures) and the event loop's lag (prom-client's
 * default process metrics). The registry is a value, so tests get a fresh one per app;
 * the process-wide one (`processMetrics`) is what `poisk serve` exposes and what build
 * code reports to through `recordBuild`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { IndexStore } from '../live/index-store.js'

export interface Metrics {
  readonly registry: Registry
  /** One answered HTTP request; `route` is the route pattern, never the raw URL. */
  recordRequest: (method: string, route: string, statusCode: number, durationMs: number) => void
  /** One index build, finished (`ok`) or failed, and how long it ran. */
  recordBuild: (durationMs: number, ok: boolean) => void
  /** Reports the document count and build of whatever `store` serves at scrape time. */
  watchStore: (store: IndexStore) => void
}

const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
const BUILD_BUCKETS_S = [1, 5, 10, 30, 60, 120, 300, 600, 1800]

export function createMetrics (): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 })
  const requests = new Counter({
    name: 'poisk_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry]
  })
  const latency = new Histogram({
    name: 'poisk_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS_S,
    registers: [registry]
  })
  const buildDuration = new Histogram({
    name: 'poisk_index_build_duration_seconds',
    help: 'Wall time of index builds, by result',
    labelNames: ['result'] as const,
    buckets: BUILD_BUCKETS_S,
    registers: [registry]
  })
  const buildFailures = new Counter({
    name: 'poisk_index_build_failures_total',
    help: 'Index builds (and rebuilds) that failed',
    registers: [registry]
  })
  const stores: IndexStore[] = []
  // Read at scrape time, so a swapped index is reported without anyone having to tell us.
  new Gauge({ // eslint-disable-line no-new
    name: 'poisk_index_documents',
    help: 'Documents in the index being served',
    registers: [registry],
    collect () { this.set(sum(stores.map(store => store.current()?.manifest.documentCount ?? 0))) }
  })
  new Gauge({ // eslint-disable-line no-new
    name: 'poisk_index_loaded',
    help: '1 while an index is loaded and served, 0 before',
    registers: [registry],
    collect () { this.set(stores.some(store => store.current() !== undefined) ? 1 : 0) }
  })
  return {
    registry,
    recordRequest (method, route, statusCode, durationMs) {
      requests.inc({ method, route, status_code: String(statusCode) })
      latency.observe({ method, route }, durationMs / 1000)
    },
    recordBuild (durationMs, ok) {
      buildDuration.observe({ result: ok ? 'ok' : 'failed' }, durationMs / 1000)
      if (!ok) buildFailures.inc()
    },
    watchStore (store) {
      if (!stores.includes(store)) stores.push(store)
    }
  }
}

let shared: Metrics | undefined

/** The metrics of this process: what `poisk serve` exposes at /metrics. */
export function processMetrics (): Metrics {
  shared ??= createMetrics()
  return shared
}

/** Records an index build in the process's metrics (for the CLI and the rebuild code). */
export function recordBuild (durationMs: number, ok: boolean): void {
  processMetrics().recordBuild(durationMs, ok)
}

function sum (values: number[]): number {
  return values.reduce((total, value) => total + value, 0)
}
