// @ts-check
/**
 * The bench's inputs: rt repeated k times with new ids and varied text (so the vocabulary
 * grows with the archive, as a real larger archive's does), and the tag queries.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { createGunzip } from 'node:zlib'

/** @typedef {{ id: string, title: string, body: string, summary?: string, url?: string, tags?: string[] }} Doc */

const SYLLABLES = ['ба', 'ве', 'ги', 'до', 'жу', 'зы', 'ки', 'ло', 'ми', 'ну', 'пе', 'ра', 'су', 'то', 'фа', 'хи']

/** Copy `copy` of a word: every fifth long word gets a copy-specific Cyrillic tail (new terms). */
export function varyText (/** @type {string} */ text, /** @type {number} */ copy) {
  if (copy === 0) return text
  const tail = `${SYLLABLES[copy % 16]}${SYLLABLES[Math.floor(copy / 16) % 16]}`
  let n = 0
  return text.replace(/[а-яё]{6,}/giu, word => (++n % 5 === 0 ? `${word}${tail}` : word))
}

/** Reads rt.jsonl(.gz) as documents. @param {string} path @returns {AsyncGenerator<Doc>} */
export async function * readDocs (path) {
  const input = createReadStream(path)
  const lines = createInterface({ input: path.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity })
  for await (const line of lines) if (line.trim() !== '') yield JSON.parse(line)
}

/** Writes rt × scale as JSONL (uncompressed); reuses a file already written. @returns {Promise<{ path: string, documents: number, bytes: number }>} */
export async function scaledCorpus (/** @type {string} */ source, /** @type {number} */ scale, /** @type {string} */ workDir) {
  const path = `${workDir}/corpus/rt-x${scale}.jsonl`
  const existing = await stat(path).catch(() => undefined)
  const meta = `${path}.count`
  if (existing !== undefined) {
    const documents = Number(await readFile(meta, 'utf8').catch(() => 'NaN'))
    if (Number.isFinite(documents)) return { path, documents, bytes: existing.size }
  }
  await mkdir(dirname(path), { recursive: true })
  const out = createWriteStream(path)
  let documents = 0
  for (let copy = 0; copy < scale; copy++) {
    for await (const doc of readDocs(source)) {
      const varied = copy === 0
        ? doc
        : { ...doc, id: `${doc.id}~${copy}`, url: doc.url === undefined ? undefined : `${doc.url}?copy=${copy}`, title: varyText(doc.title, copy), body: varyText(doc.body, copy), summary: doc.summary === undefined ? undefined : varyText(doc.summary, copy) }
      if (!out.write(`${JSON.stringify(varied)}\n`)) await new Promise(resolve => out.once('drain', resolve))
      documents += 1
    }
  }
  await new Promise((resolve, reject) => out.end(/** @type {() => void} */ (err) => err ? reject(err) : resolve(undefined)))
  await writeFile(meta, String(documents))
  return { path, documents, bytes: (await stat(path)).size }
}

/** The first column of the tag-query file. @param {string} path */
export async function tagQueries (path) {
  const text = await readFile(path, 'utf8')
  return text.split('\n').map(line => line.split('\t')[0]?.trim() ?? '').filter(Boolean)
}
