import { join } from 'node:path'
import MiniSearch from 'minisearch'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import type { Article } from '../../src/corpus/article.js'
import { toIndexedDocument } from '../../src/index/build-index.js'
import { FormCollector } from '../../src/index/form-table.js'
import { readIndexFile, writeIndexFile } from '../../src/index/index-file.js'
import { stateOf, type TermTree, type TreeNode } from '../../src/index/minisearch-internals.js'
import { miniSearchOptions, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { LazyTreeNode } from '../../src/index/term-tree.js'
import { decodeAsServed } from '../../src/index/term-tree-warm-up.js'
import { tempDir } from '../helpers/temp-dir.js'

const options = miniSearchOptions(createDefaultAnalyzer())

const article = (id: string, title: string, body: string): Article => ({ id, kind: 'article', title, body, tags: [], url: `https://example.org/${id}` })
const ARTICLES = [
  article('1', 'Дуров во Франции', 'Павел Дуров, основатель Telegram, задержан во Франции. Дурова отпустили под залог.'),
  article('2', 'Санкции ЕС', 'Евросоюз ввёл санкции; санкции коснулись банков и банкиров.'),
  article('3', 'Эрдоган и Путин', 'Эрдоган встретился с Путиным в Сочи. Путин поблагодарил Эрдогана.'),
  article('4', 'Банк России', 'Банк России сохранил ключевую ставку; банки ждут решения.')
]

/** The same index file loaded twice: a served build and its fresh replacement, each decoding its nodes on first use. */
async function servedAndFresh (articles = ARTICLES): Promise<{ served: TermTree, fresh: TermTree }> {
  const miniSearch = new MiniSearch<IndexedDocument>(options)
  articles.forEach((item, at) => miniSearch.add(toIndexedDocument(item, { offset: at * 100, length: 100 })))
  const path = join(await tempDir(), 'index.bin')
  await writeIndexFile(path, miniSearch, new FormCollector())
  const load = async (): Promise<TermTree> => stateOf((await readIndexFile(path, options)).miniSearch)._index
  return { served: await load(), fresh: await load() }
}

/** The paths (labels joined) of the decoded nodes under `node`, without decoding any other. */
function decodedPaths (node: TreeNode, path = ''): string[] {
  if (node instanceof LazyTreeNode && !node.isDecoded) return []
  const paths = [path]
  for (const [label, child] of node) if (label !== '') paths.push(...decodedPaths(child as TreeNode, `${path}/${label}`))
  return paths
}

const noPause = async (): Promise<void> => {}

describe('decodeAsServed', () => {
  it('decodes in the fresh tree the nodes the served tree\'s lookups decoded, and no other', async () => {
    const { served, fresh } = await servedAndFresh()
    served.get('санкция')
    served.fuzzyGet('путн', 1)
    const servedPaths = decodedPaths(served._tree)
    expect(servedPaths.length).toBeGreaterThan(3)
    expect(decodedPaths(fresh._tree)).toEqual([''])

    const visited = await decodeAsServed(served._tree, fresh._tree, noPause)

    expect(decodedPaths(fresh._tree).sort()).toEqual([...servedPaths].sort())
    expect(visited).toBe(servedPaths.length)
    // What no lookup reached stays in the file.
    const whole = decodedPaths(fullyDecoded((await servedAndFresh()).served._tree))
    expect(servedPaths.length).toBeLessThan(whole.length / 2)
  })

  it('follows the served tree\'s live additions only where the fresh tree has them', async () => {
    const { served, fresh } = await servedAndFresh()
    served.get('банк')
    // A term added live to the served build (a PUT) is a path of plain Maps the fresh build may not hold.
    served.set('банкомат', new Map([[0, new Map([[9, 1]])]]))
    served.set('яблоко', new Map([[0, new Map([[9, 1]])]]))

    await decodeAsServed(served._tree, fresh._tree, noPause)

    const freshPaths = decodedPaths(fresh._tree)
    expect(freshPaths.some(path => path.replace(/\//g, '').startsWith('банк'))).toBe(true)
    expect(freshPaths.every(path => decodedPaths(served._tree).includes(path))).toBe(true)
    expect(fresh.get('яблоко')).toBeUndefined()
  })

  it('pauses between pieces of a large tree', async () => {
    const words = Array.from({ length: 400 }, (_, i) => `слово${i.toString(36)}ка${(i * 7919).toString(36)}`)
    const { served, fresh } = await servedAndFresh([article('1', 'Слова', words.join(' '))])
    fullyDecoded(served._tree)
    let pauses = 0
    const visited = await decodeAsServed(served._tree, fresh._tree, async () => { pauses += 1 })
    expect(visited).toBeGreaterThan(128)
    expect(pauses).toBe(Math.floor(visited / 64))
    expect(decodedPaths(fresh._tree).length).toBe(visited)
  })
})

/** Decodes every node under `node`; returns it. */
function fullyDecoded (node: TreeNode): TreeNode {
  for (const [label, child] of node) if (label !== '') fullyDecoded(child as TreeNode)
  return node
}
