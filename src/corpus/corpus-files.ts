/**
 * Finds the corpus files under the paths a user names (files or folders, any mix) and
 * fingerprints them, so a saved index can tell whether it was built from this very corpus.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { CorpusPathError } from '../errors.js'
import { logicalName } from './open-input.js'

export type CorpusFormat = 'json-lines' | 'csv' | 'page-export'

export interface CorpusFile {
  path: string
  format: CorpusFormat | undefined
  bytes: number
}

const FORMAT_BY_EXTENSION: Record<string, CorpusFormat> = {
  '.jsonl': 'json-lines',
  '.ndjson': 'json-lines',
  '.json': 'json-lines',
  '.csv': 'csv',
  '.txt': 'page-export'
}

export function formatOf (path: string): CorpusFormat | undefined {
  const name = logicalName(path).toLowerCase()
  const dot = name.lastIndexOf('.')
  return dot === -1 ? undefined : FORMAT_BY_EXTENSION[name.slice(dot)]
}

/** Every regular file under the given paths, in a stable order; hidden entries skipped. */
export async function listCorpusFiles (paths: readonly string[]): Promise<CorpusFile[]> {
  const files: CorpusFile[] = []
  for (const path of paths) await collect(resolve(path), files, true)
  return files
}

async function collect (path: string, files: CorpusFile[], named: boolean): Promise<void> {
  let info
  try {
    info = await stat(path)
  } catch (error) {
    if (named) throw new CorpusPathError(path, 'no such file or folder', { cause: error })
    return // vanished while listing, or a dangling link: nothing to read
  }
  if (info.isDirectory()) {
    const entries = (await readdir(path)).filter(name => !name.startsWith('.')).sort()
    for (const entry of entries) await collect(join(path, entry), files, false)
  } else if (info.isFile()) {
    files.push({ path, format: formatOf(path), bytes: info.size })
  } else if (named) {
    throw new CorpusPathError(path, 'not a regular file or folder')
  }
}

/** SHA-256 over each file's name and content, in listing order. */
export async function corpusDigest (files: readonly CorpusFile[]): Promise<string> {
  const digest = createHash('sha256')
  for (const file of files) {
    digest.update(`${file.path}\0${file.bytes}\0`)
    for await (const chunk of createReadStream(file.path)) digest.update(chunk as Buffer)
  }
  return digest.digest('hex')
}
