/**
 * `npm run eval:related`: are the articles «Читайте также» offers on the same subject? On rt,
 * for every tenth article with editor tags, the share of its top 5 related articles
 * (search/related.ts) that share at least one tag with it. Tags are not indexed: the index
 * is built from id, title and body only (the relevance evaluation's rule, run-eval.ts), so
 * the tags judge without leaking into the query. The baseline is MiniSearch with its default
 * options (eval/systems.ts) searching the source's headline; both leave out the source, its
 * near-duplicates and documents with the same headline.
 *
 *   node dist/eval/run-related.js [--corpus FILE] [--every N]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { createDefaultAnalyzer } from '../analysis/default-analyzer.js'
import { normalize } from '../analysis/normalize.js'
import type { Article } from '../corpus/article.js'
import { readJsonLines } from '../corpus/formats/json-lines.js'
import { buildIndex } from '../index/build-index.js'
import { closeSnapshot, loadBuild, type Snapshot } from '../index/open-index.js'
import { related, type RelatedOptions } from '../search/related.js'
import { SYSTEMS } from './systems.js'

export interface RelatedMeasure {
  sources: number
  /** Per system: related articles sharing a tag with their source, over all related articles offered… */
  anyTag: Record<SystemName, number>
  /** …and sharing a specific tag (one held by at most `specificShare` of the articles), over the sources that have one. */
  specificTag: Record<SystemName, number>
  specificSources: number
  /** Sources for which nothing was offered. */
  empty: Record<SystemName, number>
  /** Mean time of one `related` call, in ms. */
  poiskMs: number
}

export type SystemName = 'poisk' | 'minisearch' | 'random'
const SYSTEM_NAMES: readonly SystemName[] = ['poisk', 'minisearch', 'random']

/** Tags held by more than this share of the articles («сша», «россия», «спорт») say little of a subject. */
export const SPECIFIC_TAG_SHARE = 0.05

/** How many of `offered` hold one of `tags` (each offered article counts once). */
export function sharedTagCounts (tags: readonly string[], offered: readonly string[], tagsOf: (id: string) => readonly string[]): { shared: number, offered: number } {
  const wanted = new Set(tags)
  return { shared: offered.filter(id => tagsOf(id).some(tag => wanted.has(tag))).length, offered: offered.length }
}

export async function measureRelated (snapshot: Snapshot, articles: readonly Article[], every: number, options: Partial<RelatedOptions> = {}): Promise<RelatedMeasure> {
  const byId = new Map(articles.map(article => [article.id, article]))
  const tagsOf = (id: string): readonly string[] => byId.get(id)?.tags ?? []
  const tagCounts = new Map<string, number>()
  for (const article of articles) for (const tag of new Set(article.tags)) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1)
  const specific = (tags: readonly string[]): string[] => tags.filter(tag => (tagCounts.get(tag) ?? 0) <= SPECIFIC_TAG_SHARE * articles.length)
  const minisearchDefault = SYSTEMS.find(system => system.name === 'minisearch-default')
  if (minisearchDefault === undefined) throw new Error('the evaluation has no minisearch-default system')
  const search = minisearchDefault.index(articles.map(({ id, title, body }) => ({ id, title, body })))
  const random = seededRandom(1)
  const sources = articles.filter(article => article.tags.length > 0).filter((_, at) => at % every === 0)
  const any = counters()
  const narrow = counters()
  const empty = { poisk: 0, minisearch: 0, random: 0 }
  let specificSources = 0
  let poiskMs = 0
  for (const source of sources) {
    const copies = new Set([source.id, ...(snapshot.duplicates?.membersOf(source.id) ?? [])])
    const title = normalize(source.title)
    const eligible = (id: string): boolean => !copies.has(id) && normalize(byId.get(id)?.title ?? '') !== title
    const started = performance.now()
    const found = await related(snapshot, source.id, { ...options, limit: 5 })
    poiskMs += performance.now() - started
    const offered: Record<SystemName, string[]> = {
      poisk: found?.hits.map(hit => hit.id) ?? [],
      minisearch: (await search(source.title, 30)).filter(eligible).slice(0, 5),
      random: Array.from({ length: 5 }, () => (articles[Math.floor(random() * articles.length)] as Article).id).filter(eligible)
    }
    const sourceSpecific = specific(source.tags)
    if (sourceSpecific.length > 0) specificSources += 1
    for (const name of SYSTEM_NAMES) {
      add(any[name], sharedTagCounts(source.tags, offered[name], tagsOf))
      if (sourceSpecific.length > 0) add(narrow[name], sharedTagCounts(sourceSpecific, offered[name], tagsOf))
      if (offered[name].length === 0) empty[name] += 1
    }
  }
  return { sources: sources.length, anyTag: shares(any), specificTag: shares(narrow), specificSources, empty, poiskMs: poiskMs / Math.max(1, sources.length) }
}

type Counts = Record<SystemName, { shared: number, offered: number }>

function counters (): Counts {
  return { poisk: { shared: 0, offered: 0 }, minisearch: { shared: 0, offered: 0 }, random: { shared: 0, offered: 0 } }
}

function shares (counts: Counts): Record<SystemName, number> {
  const share = (name: SystemName): number => counts[name].shared / Math.max(1, counts[name].offered)
  return { poisk: share('poisk'), minisearch: share('minisearch'), random: share('random') }
}

function add (total: { shared: number, offered: number }, counts: { shared: number, offered: number }): void {
  total.shared += counts.shared
  total.offered += counts.offered
}

/** mulberry32: the same «random» articles on every run. */
function seededRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: join(process.env.POISK_SHARED_DIR ?? '../shared', 'corpora', 'rt.jsonl.gz') },
      every: { type: 'string', default: '10' }
    }
  })
  const every = Number(values.every)
  if (!Number.isInteger(every) || every < 1) throw new Error('--every takes a whole number of at least 1')
  const articles: Article[] = []
  for await (const event of readJsonLines(values.corpus)) {
    if (event.type === 'skip') throw new Error(`${values.corpus}:${event.location.line}: ${event.message}`)
    articles.push(event.article)
  }
  const work = await mkdtemp(join(tmpdir(), 'poisk-eval-related-'))
  try {
    // Title and body only: the tags that judge, and the summary, stay out of the index.
    const corpus = join(work, 'articles.jsonl.gz')
    await writeFile(corpus, gzipSync(articles.map(({ id, title, body }) => JSON.stringify({ id, title, body })).join('\n') + '\n'))
    const analyzer = createDefaultAnalyzer()
    const indexDir = join(work, 'index')
    process.stderr.write(`building ${articles.length} articles (title and body) into ${indexDir}…\n`)
    const { buildId } = await buildIndex({ corpusPaths: [corpus], indexDir, analyzer })
    const snapshot = await loadBuild(indexDir, buildId, analyzer)
    const measure = await measureRelated(snapshot, articles, every)
    await closeSnapshot(snapshot)
    const row = (label: string, values: Record<SystemName, number>): string => `| ${label} | ${values.poisk.toFixed(3)} | ${values.minisearch.toFixed(3)} | ${values.random.toFixed(3)} |`
    process.stdout.write([
      `sources: ${measure.sources} (every ${every}th rt article with tags); ${measure.specificSources} of them have a specific tag (held by at most ${SPECIFIC_TAG_SHARE * 100}% of the articles)`,
      '',
      '| top-5 related sharing with the source | poisk related | MiniSearch on the headline | 5 random articles |',
      '| --- | ---: | ---: | ---: |',
      row('any editor tag', measure.anyTag),
      row('a specific tag', measure.specificTag),
      '',
      `sources with nothing offered: poisk ${measure.empty.poisk}, MiniSearch ${measure.empty.minisearch}`,
      `poisk related: ${measure.poiskMs.toFixed(1)} ms per article (mean)`
    ].join('\n') + '\n')
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}


if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch(error => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
    process.exitCode = 1
  })
}
