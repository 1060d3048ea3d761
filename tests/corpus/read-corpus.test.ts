import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { corpusDigest, listCorpusFiles } from '../../src/corpus/corpus-files.js'
import { readCorpus } from '../../src/corpus/read-corpus.js'
import { CorpusPathError } from '../../src/errors.js'
import { articlesOf, collect, skipsOf } from '../helpers/collect.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('readCorpus', () => {
  it('reads a folder holding a mix of formats', async () => {
    const files = await listCorpusFiles(['tests/fixtures/corpus'])
    expect(files.map(file => file.format)).toEqual(['csv', 'json-lines', 'page-export'])
    const articles = articlesOf(await collect(readCorpus(files)))
    expect(articles).toHaveLength(2 + 4 + 3)
  })

  it('reports unsupported files and reads the others, skipping hidden ones', async () => {
    const dir = await tempDir()
    await mkdir(join(dir, 'nested'))
    await writeFile(join(dir, 'nested', 'a.jsonl'), JSON.stringify({ id: 'a', title: 'А' }))
    await writeFile(join(dir, 'notes.pdf'), 'not a corpus file')
    await writeFile(join(dir, '.hidden.jsonl'), JSON.stringify({ id: 'h', title: 'скрытый' }))
    const events = await collect(readCorpus(await listCorpusFiles([dir])))
    expect(articlesOf(events).map(article => article.id)).toEqual(['a'])
    expect(skipsOf(events)).toEqual([{ file: join(dir, 'notes.pdf'), line: 0, reason: 'unsupported-format' }])
  })

  it('fails clearly on a path that does not exist', async () => {
    await expect(listCorpusFiles(['no/such/corpus'])).rejects.toThrow(CorpusPathError)
  })

  it('fingerprints content, not just names', async () => {
    const dir = await tempDir()
    const file = join(dir, 'a.jsonl')
    await writeFile(file, JSON.stringify({ id: 'a', title: 'А' }))
    const before = await corpusDigest(await listCorpusFiles([dir]))
    await writeFile(file, JSON.stringify({ id: 'a', title: 'Б' }))
    expect(await corpusDigest(await listCorpusFiles([dir]))).not.toBe(before)
  })
})
