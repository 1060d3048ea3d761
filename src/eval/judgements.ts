/**
 * The relevance judgements over rt.jsonl.gz: editor-tag queries (a tag and the articles
 * carrying it) and known-item queries (an article's headline and that article).
 */
import { readFile } from 'node:fs/promises'
import { crc32 } from 'node:zlib'

export interface Judgement {
  query: string
  relevant: Set<string>
}

/**
 * Each query's fixed half: ranking parameters are chosen on the tuning half and judged on
 * the held-out one, so a gain that only fits the queries it was tuned on shows. The half
 * follows from the query's text alone (its CRC-32's lowest bit), so it never changes as
 * judgements are added or reordered.
 */
export type Half = 'tuning' | 'held-out'
export const HALVES: readonly Half[] = ['tuning', 'held-out']

export function halfOf (query: string): Half {
  return (crc32(query) & 1) === 0 ? 'tuning' : 'held-out'
}

/** `tag \t id id id…` */
export async function readTagQueries (path: string): Promise<Judgement[]> {
  return (await readTsv(path)).map(([tag, ids]) => ({ query: tag, relevant: new Set(ids.split(/\s+/).filter(Boolean)) }))
}

/** `id \t headline` */
export async function readKnownItems (path: string): Promise<Judgement[]> {
  return (await readTsv(path)).map(([id, headline]) => ({ query: headline, relevant: new Set([id]) }))
}

async function readTsv (path: string): Promise<Array<[string, string]>> {
  const text = await readFile(path, 'utf8')
  return text.split('\n').filter(line => line.trim() !== '').map(line => {
    const tab = line.indexOf('\t')
    if (tab === -1) throw new Error(`${path}: a line without a tab: ${line.slice(0, 80)}`)
    return [line.slice(0, tab).trim(), line.slice(tab + 1).trim()]
  })
}
