import fc from 'fast-check'
import MiniSearch from 'minisearch'
import { describe, expect, it } from 'vitest'
import { ByteWriter } from '../../src/index/byte-codec.js'
import { expectInternals, treeRootOf } from '../../src/index/minisearch-internals.js'
import { LazyTermData } from '../../src/index/term-data.js'
import { writeTermTree, writeTermTrie, type TreeOutput } from '../../src/index/term-tree.js'
import { TermTrie } from '../../src/index/term-trie.js'

function memoryOutput (): TreeOutput & { bytes: () => Buffer } {
  const writer = new ByteWriter()
  return { writer, get position () { return writer.length }, flush: async () => {}, bytes: () => Buffer.from(writer.view()) }
}

/** A term's stand-in postings: bytes of its own, so that a term written in another's place shows. */
function postingsOf (term: number): Buffer {
  return Buffer.from([1, term % 3, 2 * (term % 50), term % 128, term % 7])
}

/** What writing MiniSearch's own tree of `terms` (inserted in order) gives. */
async function viaSearchableMap (terms: readonly string[]): Promise<Buffer> {
  const tree = expectInternals(new MiniSearch({ fields: ['text'] })).termTree
  terms.forEach((term, at) => { tree.set(term, LazyTermData.fromBytes(postingsOf(at), 0, postingsOf(at).length)) })
  const out = memoryOutput()
  await writeTermTree(treeRootOf(tree), out)
  return out.bytes()
}

async function viaTrie (terms: readonly string[]): Promise<Buffer> {
  const trie = new TermTrie(terms)
  terms.forEach((_, at) => trie.insert(at))
  const out = memoryOutput()
  await writeTermTrie(trie, (term, writer) => writer.raw(postingsOf(term)), out)
  return out.bytes()
}

describe('TermTrie', () => {
  it('is written byte for byte as MiniSearch\'s tree of the same terms in the same order', async () => {
    // A small alphabet makes shared prefixes, splits, terms that are prefixes of others and
    // terms inserted after longer ones; «ё», Latin, digits and a surrogate pair are in it too.
    const character = fc.constantFrom('а', 'б', 'в', 'ё', 'е', 'x', '1', '😀')
    const term = fc.array(character, { minLength: 1, maxLength: 7 }).map(characters => characters.join(''))
    await fc.assert(fc.asyncProperty(fc.uniqueArray(term, { maxLength: 80 }), async terms => {
      expect((await viaTrie(terms)).equals(await viaSearchableMap(terms))).toBe(true)
    }), { numRuns: 400 })
  })

  it('matches on Russian words inserted in the order a build meets them', async () => {
    const terms = ['дуров', 'дурова', 'дур', 'санкция', 'санкт', 'с', 'са', 'сан', 'банк', 'банкир', 'бан', 'путин', 'путь', 'пу', 'п']
    const trie = new TermTrie(terms)
    terms.forEach((_, at) => trie.insert(at))
    expect(trie.termCount).toBe(terms.length)
    expect((await viaTrie(terms)).equals(await viaSearchableMap(terms))).toBe(true)
  })

  it('grows past its initial arrays', async () => {
    const terms = Array.from({ length: 20_000 }, (_, at) => `т${(at * 7919).toString(36)}`)
    expect((await viaTrie(terms)).equals(await viaSearchableMap(terms))).toBe(true)
  })
})
