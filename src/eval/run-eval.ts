/**
 * The relevance evaluation: builds each system on rt (title + body for the tag queries,
 * bodies only for the known-item queries — never tags or summaries, which would leak the
 * answers), runs every judged query and computes the metrics, timings and the queries
 * where poisk loses most against Snowball.
 */
import { readJsonLines } from '../corpus/formats/json-lines.js'
import { halfOf, HALVES, readKnownItems, readTagQueries, type Half, type Judgement } from './judgements.js'
import { averagePrecisionAt, mean, ndcgAt, quantile, recallAt, reciprocalRankAt } from './metrics.js'
import type { EvalDocument, SearchSystem } from './systems.js'

export interface EvalPaths {
  corpus: string
  tagQueries: string
  knownItems: string
}

export interface QuerySetResult {
  /** Metric name → mean over the queries. */
  metrics: Record<string, number>
  /** The headline metric of every query, in judgement order (for loss reports). */
  perQuery: number[]
  /** The headline metric's mean over each half of the queries (judgements.ts: halfOf). */
  byHalf: Record<Half, number>
  buildMs: number
  queryMsP50: number
  queryMsP99: number
}

export interface SystemResult {
  name: string
  description: string
  tags: QuerySetResult
  knownItems: QuerySetResult
}

export interface EvalResult {
  documents: number
  tagQueries: Judgement[]
  knownItems: Judgement[]
  systems: SystemResult[]
}

export async function runEvaluation (paths: EvalPaths, systems: readonly SearchSystem[], log: (line: string) => void = () => {}): Promise<EvalResult> {
  const documents = await readEvalDocuments(paths.corpus)
  const bodiesOnly = documents.map(document => ({ ...document, title: '' }))
  const tagQueries = await readTagQueries(paths.tagQueries)
  const knownItems = await readKnownItems(paths.knownItems)
  const results: SystemResult[] = []
  for (const system of systems) {
    log(`${system.name}: tag queries…`)
    const tags = await evaluateQuerySet(system, documents, tagQueries, (ranked, relevant) => ({
      'nDCG@10': ndcgAt(10, ranked, relevant),
      'MAP@100': averagePrecisionAt(100, ranked, relevant),
      'Recall@100': recallAt(100, ranked, relevant)
    }), 'nDCG@10')
    log(`${system.name}: known-item queries…`)
    const known = await evaluateQuerySet(system, bodiesOnly, knownItems, (ranked, relevant) => ({
      'MRR@10': reciprocalRankAt(10, ranked, relevant),
      'Success@10': reciprocalRankAt(10, ranked, relevant) > 0 ? 1 : 0
    }), 'MRR@10')
    results.push({ name: system.name, description: system.description, tags, knownItems: known })
  }
  return { documents: documents.length, tagQueries, knownItems, systems: results }
}

type Scorer = (ranked: string[], relevant: ReadonlySet<string>) => Record<string, number>

async function evaluateQuerySet (system: SearchSystem, documents: readonly EvalDocument[], judgements: readonly Judgement[], score: Scorer, headline: string): Promise<QuerySetResult> {
  const buildStarted = performance.now()
  const searcher = system.index(documents)
  const buildMs = performance.now() - buildStarted
  const sums: Record<string, number[]> = {}
  const perQuery: number[] = []
  const timings: number[] = []
  for (const judgement of judgements) {
    const started = performance.now()
    const ranked = await searcher(judgement.query, 100)
    timings.push(performance.now() - started)
    const scores = score(ranked, judgement.relevant)
    for (const [name, value] of Object.entries(scores)) (sums[name] ??= []).push(value)
    perQuery.push(scores[headline] ?? 0)
  }
  const metrics = Object.fromEntries(Object.entries(sums).map(([name, values]) => [name, mean(values)]))
  const byHalf = Object.fromEntries(HALVES.map(half => [half, mean(perQuery.filter((_, i) => halfOf(judgements[i]?.query ?? '') === half))])) as Record<Half, number>
  return { metrics, perQuery, byHalf, buildMs, queryMsP50: quantile(timings, 0.5), queryMsP99: quantile(timings, 0.99) }
}

/** rt articles as evaluation documents: id, title and body only. */
export async function readEvalDocuments (corpus: string): Promise<EvalDocument[]> {
  const documents: EvalDocument[] = []
  for await (const event of readJsonLines(corpus)) {
    if (event.type === 'skip') throw new Error(`${corpus}:${event.location.line}: ${event.message}`)
    const { id, title, body } = event.article
    documents.push({ id, title, body })
  }
  return documents
}

export interface Loss {
  query: string
  system: number
  baseline: number
}

/** The queries where `system` scores furthest below `baseline`. */
export function largestLosses (judgements: readonly Judgement[], system: readonly number[], baseline: readonly number[], count: number): Loss[] {
  return judgements
    .map((judgement, i) => ({ query: judgement.query, system: system[i] ?? 0, baseline: baseline[i] ?? 0 }))
    .filter(loss => loss.system < loss.baseline)
    .sort((a, b) => (a.system - a.baseline) - (b.system - b.baseline))
    .slice(0, count)
}
