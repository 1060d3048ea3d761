import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { expectInternals } from '../../src/index/minisearch-internals.js'
import type { Snapshot } from '../../src/index/open-index.js'
import type { StoredFields } from '../../src/index/minisearch-options.js'
import { checkCanaries } from '../../src/live/canary.js'
import { CanaryError } from '../../src/errors.js'
import { buildFixtureIndex } from '../helpers/build-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'

// Three documents, so the canary samples each (first, middle, last); their titles share «белуги».
const ARTICLES = [
  { id: 'white-sea', title: 'Белуги вошли в Белое море', body: 'Стая белуг вошла в Белое море раньше обычного.' },
  { id: 'amur', title: 'Белуги замечены в устье Амура', body: 'Рыбаки заметили белуг в устье Амура.' },
  { id: 'pacific', title: 'Белуги ушли в Тихий океан', body: 'Белуги покинули залив и ушли в Тихий океан.' }
]

async function loadedBuild (): Promise<Snapshot> {
  const corpus = await tempDir()
  await writeFile(join(corpus, 'belugas.jsonl'), ARTICLES.map(article => JSON.stringify(article)).join('\n'))
  return (await buildFixtureIndex([corpus])).snapshot
}

/**
 * Damages the index the way a mangled index section or records that do not match it would:
 * the index holds `id` under other words, while its stored fields still point at its record,
 * whose title is the one the canary searches for.
 */
function reindexUnderOtherWords (snapshot: Snapshot, id: string): void {
  const stored = snapshot.miniSearch.getStoredFields(id) as StoredFields | undefined
  if (stored === undefined) throw new Error(`${id} is not in the index`)
  snapshot.miniSearch.replace({ ...stored, id, title: 'Погода на выходных', lead: 'Снег и ветер.', body: 'Снег и ветер.' })
}

async function refusal (snapshot: Snapshot): Promise<CanaryError> {
  const error = await checkCanaries(snapshot).then(() => undefined, (thrown: unknown) => thrown)
  expect(error).toBeInstanceOf(CanaryError)
  return error as CanaryError
}

describe('the canary checks', () => {
  it('searches a title\'s own words, with no fuzzy walk of the new build\'s term tree', async () => {
    const snapshot = await loadedBuild()
    const fuzzyWalks = vi.spyOn(expectInternals(snapshot.miniSearch).termTree, 'fuzzyGet')
    expect(await checkCanaries(snapshot)).toEqual({ checked: 3 })
    expect(fuzzyWalks).not.toHaveBeenCalled()
  })

  it('pass a sound build, having found each sampled document by its title', async () => {
    const snapshot = await loadedBuild()
    expect(await checkCanaries(snapshot)).toEqual({ checked: 3 })
  })

  it('read no bodies for snippets: a check looks at ranked ids only', async () => {
    const snapshot = await loadedBuild()
    const documents = snapshot.documents
    let bodyReads = 0
    const counted = Object.create(documents) as typeof documents
    counted.bodyReader = async location => { bodyReads += 1; return await documents.bodyReader(location) }
    counted.readBodyOpening = async (location, chars) => { bodyReads += 1; return await documents.readBodyOpening(location, chars) }
    expect(await checkCanaries({ ...snapshot, documents: counted })).toEqual({ checked: 3 })
    expect(bodyReads).toBe(0)
  })

  it('refuse a build that does not find one of its documents by its own title', async () => {
    const snapshot = await loadedBuild()
    reindexUnderOtherWords(snapshot, 'pacific')
    // Not a count failure: the build still holds every document, and its title finds the other two.
    expect(snapshot.miniSearch.documentCount).toBe(3)
    const error = await refusal(snapshot)
    expect(error.code).toBe('POISK_CANARY_FAILED')
    expect(error.message).toMatch(/searching for the title of pacific does not find it/)
  })

  it('refuse a build whose sampled documents are found by none of their titles', async () => {
    const snapshot = await loadedBuild()
    for (const { id } of ARTICLES) reindexUnderOtherWords(snapshot, id)
    expect(snapshot.miniSearch.documentCount).toBe(3)
    expect((await refusal(snapshot)).message).toMatch(/none of the sampled documents could be found by its title/)
  })

  it('refuse a build that holds no documents', async () => {
    const snapshot = await loadedBuild()
    for (const { id } of ARTICLES) snapshot.miniSearch.discard(id)
    expect((await refusal(snapshot)).message).toMatch(/the build holds no documents/)
  })
})
