// @ts-check
/**
 * A Lenta-shaped archive made from rt, for `npm run bench -- --shape lenta --docs N`: rt's
 * bodies cut into articles of about 2,400 characters (Lenta.ru's typical length), each
 * headed by its first sentence, repeated with new ids and a growing vocabulary (in copy c,
 * every fifth word of six or more letters gets a copy-specific tail, as in the scale curve)
 * until N documents. Deterministic: the same rt gives the same file, byte for byte, and the
 * first N documents of a larger archive are the archive of N. The file is cached outside
 * the repository (BENCH_CACHE_DIR, by default /tmp/poisk-bench-cache).
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { readDocs, varyText } from './corpus.js'

/** Lenta.ru's articles are about this long. */
export const ARTICLE_CHARS = 2400
/** A headline longer than this is cut at a word. */
const TITLE_MAX_CHARS = 160

export const defaultCacheDir = () => process.env.BENCH_CACHE_DIR ?? join(tmpdir(), 'poisk-bench-cache')

/**
 * rt's articles cut at sentence ends into pieces of about ARTICLE_CHARS characters (the last
 * piece of an article joins the one before when it would be shorter than half of that).
 * @param {string} body @returns {string[]}
 */
export function cutIntoArticles (body) {
  const sentences = body.replace(/\s+/g, ' ').trim().match(/[^.!?…]+(?:[.!?…]+["»”)]*\s*|$)/gu) ?? []
  /** @type {string[]} */
  const pieces = []
  let piece = ''
  for (const sentence of sentences) {
    if (piece.length > 0 && piece.length + sentence.length > ARTICLE_CHARS) {
      pieces.push(piece.trim())
      piece = ''
    }
    piece += sentence
  }
  const rest = piece.trim()
  if (rest !== '') {
    if (rest.length < ARTICLE_CHARS / 2 && pieces.length > 0) pieces[pieces.length - 1] += ` ${rest}`
    else pieces.push(rest)
  }
  return pieces.filter(text => text.length >= 200)
}

/** The first sentence of an article, as its headline. @param {string} text */
export function headline (text) {
  const first = (text.match(/^[^.!?…]+[.!?…]?/u)?.[0] ?? text).trim()
  if (first.length <= TITLE_MAX_CHARS) return first.replace(/[.]$/u, '')
  const cut = first.slice(0, TITLE_MAX_CHARS)
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), 40)).trim()
}

/**
 * The Lenta-shaped archive of `documents` articles as JSON lines; reuses a cached file.
 * @param {string} source rt.jsonl(.gz) @param {number} documents @param {string} [cacheDir]
 * @returns {Promise<{ path: string, documents: number, bytes: number }>}
 */
export async function lentaCorpus (source, documents, cacheDir = defaultCacheDir()) {
  const path = join(cacheDir, `lenta-shape-${documents}.jsonl`)
  const meta = `${path}.count`
  const existing = await stat(path).catch(() => undefined)
  if (existing !== undefined && Number(await readFile(meta, 'utf8').catch(() => 'NaN')) === documents) {
    return { path, documents, bytes: existing.size }
  }
  await mkdir(cacheDir, { recursive: true })
  const larger = await largerCached(cacheDir, documents)
  if (larger !== undefined) return await writePrefix(larger, path, documents)
  // Cut once; each copy only varies the words and ids.
  /** @type {{ id: string, url?: string, tags?: string[], texts: string[] }[]} */
  const sources = []
  for await (const doc of readDocs(source)) {
    const texts = cutIntoArticles(doc.body)
    if (texts.length > 0) sources.push({ id: doc.id, url: doc.url, tags: doc.tags, texts })
  }
  const partial = `${path}.partial`
  const out = createWriteStream(partial)
  let written = 0
  for (let copy = 0; written < documents; copy += 1) {
    for (const doc of sources) {
      for (let part = 0; part < doc.texts.length && written < documents; part += 1) {
        const body = varyText(/** @type {string} */ (doc.texts[part]), copy)
        const article = {
          id: `lenta-${copy}-${doc.id}-${part}`,
          ...(doc.url === undefined ? {} : { url: `${doc.url}#copy-${copy}-part-${part}` }),
          title: headline(body),
          body,
          ...(doc.tags === undefined ? {} : { tags: doc.tags })
        }
        if (!out.write(`${JSON.stringify(article)}\n`)) await new Promise(resolve => out.once('drain', resolve))
        written += 1
      }
      if (written >= documents) break
    }
  }
  await new Promise((resolve, reject) => out.end(/** @type {() => void} */ (err) => err ? reject(err) : resolve(undefined)))
  await rename(partial, path)
  await writeFile(meta, String(written))
  return { path, documents: written, bytes: (await stat(path)).size }
}

/** A cached archive of more than `documents` articles, whose first lines are the one asked for. */
async function largerCached (/** @type {string} */ cacheDir, /** @type {number} */ documents) {
  const names = await readdir(cacheDir).catch(() => /** @type {string[]} */ ([]))
  const sizes = names.map(name => Number(/^lenta-shape-(\d+)\.jsonl$/.exec(name)?.[1] ?? NaN)).filter(n => n > documents)
  for (const size of sizes.sort((a, b) => a - b)) {
    const path = join(cacheDir, `lenta-shape-${size}.jsonl`)
    if (Number(await readFile(`${path}.count`, 'utf8').catch(() => 'NaN')) === size) return path
  }
  return undefined
}

/** The first `documents` lines of `source` into `path`. */
async function writePrefix (/** @type {string} */ source, /** @type {string} */ path, /** @type {number} */ documents) {
  const partial = `${path}.partial`
  const out = createWriteStream(partial)
  let written = 0
  const lines = createInterface({ input: createReadStream(source), crlfDelay: Infinity })
  for await (const line of lines) {
    if (!out.write(`${line}\n`)) await new Promise(resolve => out.once('drain', resolve))
    if (++written >= documents) break
  }
  lines.close()
  await new Promise((resolve, reject) => out.end(/** @type {() => void} */ (err) => err ? reject(err) : resolve(undefined)))
  await rename(partial, path)
  await writeFile(`${path}.count`, String(written))
  return { path, documents: written, bytes: (await stat(path)).size }
}

// `node bench/lenta-shape.js N [rt.jsonl.gz]`: writes (or finds) the archive and prints where it is.
if (import.meta.url === `file://${process.argv[1]}`) {
  const documents = Number(process.argv[2] ?? 800000)
  const source = process.argv[3] ?? '../shared/corpora/rt.jsonl.gz'
  const started = Date.now()
  const corpus = await lentaCorpus(source, documents)
  process.stdout.write(`${JSON.stringify({ ...corpus, seconds: (Date.now() - started) / 1000 })}\n`)
}
