/**
 * The fence around MiniSearch's private state: only src/index/minisearch-internals.ts names
 * MiniSearch's private members, and the MiniSearch it was written against is pinned. Code
 * is read with TypeScript's parser, so comments may name the members (to say why) while
 * every use — `ms._index`, `{ _index: tree } = ms`, `ms['_index']` — is found.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')
const FENCE = 'src/index/minisearch-internals.ts'
/** MiniSearch 7.2's private members poisk relies on (and SearchableMap's tree). */
const PRIVATE_MEMBER = /^(_(index|documentIds|fieldIds|storedFields|fieldLength|avgFieldLength|nextId|dirtCount|idToShortId|options|documentCount|enqueuedVacuum|currentVacuum|tree)|executeQuery)$/
const PINNED_MINISEARCH = '7.2.0'

/** Each use of a private member's name in `source`'s code (not its comments), as `line: text`. */
function privateUses (fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true)
  const uses: string[] = []
  const visit = (node: ts.Node): void => {
    const named = ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteralLike(node)
    if (named && PRIVATE_MEMBER.test(node.text)) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file))
      uses.push(`${line + 1}: ${node.parent.getText(file)}`)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return uses
}

async function sourceFiles (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter(entry => entry.isFile() && entry.name.endsWith('.ts')).map(entry => join(entry.parentPath, entry.name))
}

describe('the fence around MiniSearch\'s private state', () => {
  it('is crossed only in minisearch-internals.ts', async () => {
    const files = (await sourceFiles(join(ROOT, 'src'))).map(path => relative(ROOT, path).split('\\').join('/'))
    expect(files).toContain(FENCE)
    const crossings: string[] = []
    for (const file of files) {
      if (file === FENCE) continue
      for (const use of privateUses(file, await readFile(join(ROOT, file), 'utf8'))) crossings.push(`${file}:${use}`)
    }
    expect(crossings, 'read MiniSearch\'s private state through the accessors of src/index/minisearch-internals.ts').toEqual([])
  })

  it('finds every way of reaching a private member, and ignores comments', () => {
    const uses = privateUses('probe.ts', [
      '// MiniSearch keeps its terms in _index; executeQuery is private',
      '/** `ms._fieldIds` */',
      'const a = ms._index',
      'const { _documentIds: ids } = ms',
      'const b = ms[\'_storedFields\']',
      'ms.executeQuery(query, {})',
      'const c = `${ms._nextId}`',
      'const index = ms.index; const _indexed = 1'
    ].join('\n'))
    expect(uses.map(use => use.split(':')[0])).toEqual(['3', '4', '5', '6', '7'])
  })

  it('is checked against the MiniSearch it was written for', async () => {
    const installed = JSON.parse(await readFile(join(ROOT, 'node_modules', 'minisearch', 'package.json'), 'utf8')) as { version: string }
    const declared = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    const message = `MiniSearch ${installed.version} is installed (package.json asks for ${declared.dependencies.minisearch}), ` +
      `poisk is pinned to ${PINNED_MINISEARCH}: before changing the pin, check every private shape src/index/minisearch-internals.ts ` +
      'relies on (the members it reads and fills, SearchableMap\'s tree, executeQuery\'s results) against the new version\'s source'
    expect(installed.version, message).toBe(PINNED_MINISEARCH)
    expect(declared.dependencies.minisearch, message).toBe(PINNED_MINISEARCH)
  })
})
