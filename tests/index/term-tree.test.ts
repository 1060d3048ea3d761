import { join } from 'node:path'
import MiniSearch from 'minisearch'
import { describe, expect, it } from 'vitest'
import { createDefaultAnalyzer } from '../../src/analysis/default-analyzer.js'
import type { Article } from '../../src/corpus/article.js'
import { toIndexedDocument } from '../../src/index/build-index.js'
import { MemoryBytes } from '../../src/index/byte-source.js'
import { FormCollector } from '../../src/index/form-table.js'
import { readIndexFile, writeIndexFile } from '../../src/index/index-file.js'
import { LazyTreeNode, TreeSource } from '../../src/index/term-tree.js'
import { stateOf, type TreeNode } from '../../src/index/minisearch-internals.js'
import { miniSearchOptions, type IndexedDocument } from '../../src/index/minisearch-options.js'
import { tempDir } from '../helpers/temp-dir.js'

const options = miniSearchOptions(createDefaultAnalyzer())

const article = (id: string, title: string, body: string): Article => ({ id, kind: 'article', title, body, tags: ['мир'], url: `https://example.org/${id}` })
const ARTICLES = [
  article('1', 'Дуров во Франции', 'Павел Дуров, основатель Telegram, задержан во Франции. Дурова отпустили под залог.'),
  article('2', 'Санкции ЕС', 'Евросоюз ввёл санкции; санкции коснулись банков и банкиров.'),
  article('3', 'Эрдоган и Путин', 'Эрдоган встретился с Путиным в Сочи. Путин поблагодарил Эрдогана.'),
  article('4', 'Банк России', 'Банк России сохранил ключевую ставку; банки ждут решения.')
]

function built (): MiniSearch<IndexedDocument> {
  const miniSearch = new MiniSearch<IndexedDocument>(options)
  ARTICLES.forEach((item, at) => miniSearch.add(toIndexedDocument(item, { offset: at * 100, length: 100 })))
  return miniSearch
}

async function loaded (miniSearch = built()): Promise<MiniSearch<IndexedDocument>> {
  const path = join(await tempDir(), 'index.bin')
  await writeIndexFile(path, miniSearch, new FormCollector())
  return (await readIndexFile(path, options)).miniSearch
}

/** Nodes under `node` already decoded (a plain Map, or a lazy node that has been used). */
function decodedNodes (node: TreeNode): number {
  if (node instanceof LazyTreeNode && !node.isDecoded) return 0
  let count = 1
  for (const [label, child] of node) if (label !== '') count += decodedNodes(child as TreeNode)
  return count
}

describe('the lazily read term tree', () => {
  it('decodes only the root at load, and only the nodes a lookup passes through', async () => {
    const miniSearch = await loaded()
    const tree = stateOf(miniSearch)._index._tree
    expect(tree).toBeInstanceOf(LazyTreeNode)
    expect(decodedNodes(tree)).toBe(1)
    const all = [...stateOf(built())._index].length
    expect(stateOf(miniSearch)._index.get('санкция')).toBeDefined()
    const afterLookup = decodedNodes(tree)
    expect(afterLookup).toBeGreaterThan(1)
    expect(afterLookup).toBeLessThan(all / 2)
  })

  it('answers terms, prefixes and fuzzy matches as the built tree does, in the same order', async () => {
    const original = built()
    const miniSearch = await loaded(original)
    const [a, b] = [stateOf(original)._index, stateOf(miniSearch)._index]
    for (const term of ['дуров', 'банк', 'эрдога', 'путин', 'нет-такого']) {
      expect(b.get(term) === undefined).toBe(a.get(term) === undefined)
      expect([...b.atPrefix(term.slice(0, 3)).entries()].map(([key]) => key)).toEqual([...a.atPrefix(term.slice(0, 3)).entries()].map(([key]) => key))
      expect([...b.fuzzyGet(term, 2)].map(([key, [, distance]]) => [key, distance])).toEqual([...a.fuzzyGet(term, 2)].map(([key, [, distance]]) => [key, distance]))
    }
    for (const query of ['банк', 'путин эрдоган']) {
      for (const searchOptions of [{}, { prefix: true }, { fuzzy: 0.3 }]) {
        expect(miniSearch.search(query, searchOptions)).toEqual(original.search(query, searchOptions))
      }
    }
    expect(miniSearch.autoSuggest('бан')).toEqual(original.autoSuggest('бан'))
  })

  it('takes adds and removals, splitting and merging lazy nodes as MiniSearch does with its own', async () => {
    const original = built()
    const miniSearch = await loaded(original)
    const extra = toIndexedDocument(article('5', 'Банкротство банка', 'Банкротство банка «Банкир» и банкноты.'), { offset: 500, length: 100 })
    for (const index of [original, miniSearch]) {
      index.add(extra)
      index.discard('2')
      index.replace(toIndexedDocument(article('3', 'Эрдоган', 'Эрдоган позвонил.'), { offset: 600, length: 50 }))
    }
    await Promise.all([original.vacuum(), miniSearch.vacuum()])
    expect(JSON.stringify(miniSearch.toJSON())).toBe(JSON.stringify(original.toJSON()))
    expect(miniSearch.search('банкир', { prefix: true })).toEqual(original.search('банкир', { prefix: true }))
  })

  it('refuses records that point outside the tree, or a root that does not end it', () => {
    // One node at 0: one edge labelled «а» to a child 9 bytes before it.
    const record = new MemoryBytes(Buffer.from([1, 2, 0xd0, 0xb0, 9]))
    expect(() => new TreeSource(record, 0, record.length).node(0).size).toThrow(/child out of place/)
    expect(() => new TreeSource(record, 1, record.length).node(0).size).toThrow(/no node at 0/)
    const empty = new MemoryBytes(Buffer.from([0, 0]))
    expect(() => new TreeSource(empty, 0, 2).root(0)).toThrow(/does not end the tree/)
    expect(new TreeSource(empty, 0, 2).root(1).size).toBe(0)
  })
})
