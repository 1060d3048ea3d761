import { appendFile, copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { FIXTURE_CORPUS } from './build-fixture.js'
import { tempDir } from './temp-dir.js'

/** A writable copy of the fixture corpus (one JSONL file), for tests that change the corpus between builds. */
export async function corpusCopy (): Promise<{ dir: string, file: string, addArticle: (id: string, title: string, body?: string) => Promise<void> }> {
  const dir = join(await tempDir('poisk-corpus-'), 'corpus')
  await mkdir(dir)
  const file = join(dir, 'news.jsonl')
  await copyFile(join(FIXTURE_CORPUS, 'news.jsonl'), file)
  return {
    dir,
    file,
    addArticle: async (id, title, body = `${title}. Подробности позже.`) => {
      await appendFile(file, `${JSON.stringify({ id, title, body })}\n`)
    }
  }
}
