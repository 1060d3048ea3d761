/**
 * One scoring path whatever the live changes: after replaces, deletes and additions made
 * through the live path, every query is still scored by the flat scorer (never MiniSearch's
 * own execution), and ranks exactly as a fresh build of the same documents does.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import { articleFromRecord } from '../../src/corpus/article.js'
import { buildIndex } from '../../src/index/build-index.js'
import { loadBuild, type Snapshot } from '../../src/index/open-index.js'
import { applyChange } from '../../src/live/apply-change.js'
import { search, type SearchResponse } from '../../src/search/search.js'
import { tempDir } from '../helpers/temp-dir.js'

const analyzer = createDefaultAnalyzer()
/** Topics of their own words: a document replaced by one on another topic leaves its old terms untouched (still encoded, with a stale posting). */
const TOPICS = [
  ['президент', 'правительства', 'министр', 'заявил', 'Кремль', 'Путин', 'Трамп', 'переговоры'],
  ['санкции', 'против', 'России', 'Европа', 'газ', 'поставки', 'нефть', 'цены', 'выросли'],
  ['выборы', 'губернатора', 'суд', 'арестовал', 'бюджет', 'регионов', 'реформа'],
  ['банк', 'ставку', 'снизил', 'пенсии', 'зарплаты', 'учителя', 'школы'],
  ['футбол', 'чемпионат', 'сборная', 'победила', 'погода', 'морозы'],
  ['Украина', 'армия', 'ракеты', 'спутник', 'запуск', 'Москва']
]
const QUERIES = ['санкции против России', 'нефть', 'цены на нефть', 'Путин', 'Трамп Путин переговоры', 'ставку банк', 'Путин нефть морозы',
  'выборы губернатора', 'суд арестовал министра', 'чемпионат по футболу', 'морозы', 'газ Европа', 'запуск спутника',
  'пенсии зарплаты учителя', 'президент заявил', 'бюджет регионов', 'армия', 'Кремль заявил', 'реформа школы']

/** A deterministic stream of numbers in [0, 1). */
function random (seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

function article (id: string, next: () => number) {
  const topic = TOPICS[Math.floor(next() * TOPICS.length)] as string[]
  const words = (count: number): string => Array.from({ length: count }, () => topic[Math.floor(next() * topic.length)] as string).join(' ')
  const day = 1 + Math.floor(next() * 28)
  return articleFromRecord({ id, title: words(3 + Math.floor(next() * 4)), body: `${words(10 + Math.floor(next() * 60))}.`, date: `2026-03-${String(day).padStart(2, '0')}` })
}

async function load (indexDir: string, buildId: string): Promise<Snapshot> {
  const snapshot = await loadBuild(indexDir, buildId, analyzer, { maxInMemoryBytes: 0 })
  onTestFinished(async () => await snapshot.documents.close())
  return snapshot
}

/** Builds `articles` from a corpus file into a fresh index and loads it. */
async function freshBuild (articles: Iterable<ReturnType<typeof article>>): Promise<Snapshot> {
  const dir = await tempDir()
  const corpus = join(dir, 'news.jsonl')
  await writeFile(corpus, [...articles].map(a => JSON.stringify(a)).join('\n') + '\n')
  const indexDir = join(dir, 'index')
  const { buildId } = await buildIndex({ corpusPaths: [corpus], indexDir, analyzer })
  return await load(indexDir, buildId)
}

/**
 * The ranking as a comparable value: every score shown in order, and the ids of the hits
 * above the lowest score shown, equal scores ordered by id (ties fall either way, and the
 * page may cut a group of equal scores anywhere).
 */
function ranking (response: SearchResponse): { scores: number[], ids: Array<[string, number]> } {
  const rounded = response.hits.map(hit => [hit.id, Math.round(hit.score * 1e6) / 1e6] as [string, number])
  const lowest = rounded.at(-1)?.[1] ?? 0
  return {
    scores: rounded.map(([, score]) => score),
    ids: rounded.filter(([, score]) => score > lowest).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  }
}

async function searchAll (snapshot: Snapshot, fallbacks: string[]): Promise<Map<string, SearchResponse>> {
  const answers = new Map<string, SearchResponse>()
  for (const q of QUERIES) {
    answers.set(q, await search(snapshot, { q, limit: 30, offset: 0, facets: true }, undefined, undefined, { onScoringFallback: reason => fallbacks.push(`${q}: ${reason}`) }))
  }
  return answers
}

describe('ranking after live changes', () => {
  // Deletions alone touch no term (discard is lazy): every posting list stays encoded, stale postings and all.
  it.each([[60, 'deletions', 1], [40, 'replaces, deletions and additions', 0], [1000, 'replaces, deletions and additions', 0]])('after %i live %s: the flat scorer ranks as a fresh build of the same documents', async (changes, _kind, onlyDeletes) => {
    const next = random(7)
    const documents = new Map<string, ReturnType<typeof article>>()
    for (let i = 0; i < 400; i += 1) documents.set(`d${i}`, article(`d${i}`, next))
    const live = await freshBuild(documents.values())

    let added = 0
    for (let i = 0; i < changes; i += 1) {
      const ids = [...documents.keys()]
      const roll = onlyDeletes === 1 ? 0.6 : next()
      if (roll < 0.5 || ids.length < 50) {
        const id = ids[Math.floor(next() * ids.length)] as string
        documents.set(id, article(id, next))
        applyChange(live, { op: 'put', id, article: documents.get(id) as ReturnType<typeof article>, seq: i + 1, at: '' })
      } else if (roll < 0.75) {
        const id = ids[Math.floor(next() * ids.length)] as string
        documents.delete(id)
        applyChange(live, { op: 'delete', id, seq: i + 1, at: '' })
      } else {
        const id = `new${added++}`
        documents.set(id, article(id, next))
        applyChange(live, { op: 'put', id, article: documents.get(id) as ReturnType<typeof article>, seq: i + 1, at: '' })
      }
    }
    // Discarded documents' postings are still in the index (vacuum runs later, if at all).
    expect(live.miniSearch.dirtCount).toBeGreaterThan(0)

    const fallbacks: string[] = []
    const churned = await searchAll(live, fallbacks)
    const fresh = await searchAll(await freshBuild(documents.values()), [])
    expect(fallbacks).toEqual([])
    for (const q of QUERIES) {
      const [after, before] = [churned.get(q) as SearchResponse, fresh.get(q) as SearchResponse]
      expect(after.total, q).toBe(before.total)
      expect(after.total, q).toBeGreaterThan(0)
      expect(ranking(after), q).toEqual(ranking(before))
      expect(after.facets, q).toEqual(before.facets)
    }
  }, 60_000)
})
