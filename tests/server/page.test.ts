import { readFile } from 'node:fs/promises'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { expectInternals } from '../../src/index/minisearch-internals.js'
import { applyChange } from '../../src/live/apply-change.js'
import { IndexStore } from '../../src/live/index-store.js'
import { buildApp } from '../../src/server/app.js'
import { corpusHasDates } from '../../src/server/routes/search.js'
import { buildFixtureIndex, indexOfArticles } from '../helpers/build-fixture.js'
import type { Snapshot } from '../../src/index/open-index.js'

async function appOf (snapshot: Snapshot) {
  const app = await buildApp({ store: new IndexStore(snapshot) })
  onTestFinished(async () => await app.close())
  return app
}

describe('the page and its assets', () => {
  it('carry a strong ETag of their content, Last-Modified and no-cache, and answer 304 to a current copy', async () => {
    const app = await appOf((await buildFixtureIndex()).snapshot)
    for (const url of ['/', '/article/n-1', '/assets/app.js', '/assets/page-text.js', '/assets/article.js', '/assets/style.css']) {
      const first = await app.inject({ url })
      expect(first.statusCode, url).toBe(200)
      const etag = first.headers.etag as string
      expect(etag, url).toMatch(/^"[\w-]{20,}"$/)
      expect(first.headers['cache-control'], url).toBe('no-cache')
      expect(Date.parse(first.headers['last-modified'] as string), url).not.toBeNaN()

      const again = await app.inject({ url, headers: { 'if-none-match': etag } })
      expect(again.statusCode, url).toBe(304)
      expect(again.body, url).toBe('')
      expect(again.headers.etag, url).toBe(etag)
      // A proxy's weak form, and one tag in a list, still match.
      expect((await app.inject({ url, headers: { 'if-none-match': `"other", W/${etag}` } })).statusCode, url).toBe(304)
      expect((await app.inject({ url, headers: { 'if-none-match': '"other"' } })).statusCode, url).toBe(200)
      const since = first.headers['last-modified'] as string
      expect((await app.inject({ url, headers: { 'if-modified-since': since } })).statusCode, url).toBe(304)
      expect((await app.inject({ url, headers: { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' } })).statusCode, url).toBe(200)
    }
  })

  it('names each file by its content: different files, different tags', async () => {
    const app = await appOf((await buildFixtureIndex()).snapshot)
    const tags = await Promise.all(['/assets/app.js', '/assets/style.css', '/'].map(async url => (await app.inject({ url })).headers.etag))
    expect(new Set(tags).size).toBe(3)
    const served = await app.inject({ url: '/assets/app.js' })
    expect(served.body).toBe(await readFile('web/app.js', 'utf8'))
    expect(served.headers['content-type']).toBe('text/javascript; charset=utf-8')
  })

  it('serves the article page for any id, and 404 for an unknown asset', async () => {
    const app = await appOf((await buildFixtureIndex()).snapshot)
    const page = await app.inject({ url: `/article/${encodeURIComponent('какой-то id')}` })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.body).toContain('/assets/article.js')
    const missing = await app.inject({ url: '/assets/nothing.js' })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().code).toBe('POISK_NO_ASSET')
  })
})

describe('what /search tells the page', () => {
  const undated = [
    { id: 'u-1', title: 'Квазар на снимке', body: 'Телескоп снял квазар и пульсар.' },
    { id: 'u-2', title: 'Пульсар замедлился', body: 'Пульсар вращается медленнее.' }
  ]

  it('whether any document has a date', async () => {
    const dated = await appOf((await buildFixtureIndex()).snapshot)
    expect((await dated.inject({ url: `/search?q=${encodeURIComponent('Дуров')}` })).json().corpusHasDates).toBe(true)
    const app = await appOf(await indexOfArticles(undated))
    expect((await app.inject({ url: `/search?q=${encodeURIComponent('квазар')}` })).json()).toMatchObject({ total: 1, corpusHasDates: false })
  })

  it('that an undated corpus became dated as soon as a live change brings a dated document', async () => {
    const snapshot = await indexOfArticles(undated)
    expect(corpusHasDates(snapshot)).toBe(false)
    // Once scanned, only the documents live changes add are looked at, not the whole corpus again.
    const scan = vi.spyOn(expectInternals(snapshot.miniSearch).storedFields, 'values')
    applyChange(snapshot, { op: 'put', id: 'u-2', seq: 1, at: '2026-12-06T00:00:00.000Z', article: { id: 'u-2', kind: 'article', title: 'Пульсар замедлился', body: 'Пульсар вращается ещё медленнее.', tags: [] } })
    expect(corpusHasDates(snapshot)).toBe(false)
    applyChange(snapshot, { op: 'put', id: 'u-1', seq: 2, at: '2026-12-06T00:00:00.000Z', article: { id: 'u-1', kind: 'article', title: 'Квазар на снимке', body: 'Телескоп снял квазар.', tags: [], date: '2026-12-05' } })
    expect(corpusHasDates(snapshot)).toBe(true)
    expect(scan).not.toHaveBeenCalled()
  })

  it('that a query of stop words only searched nothing, and only then', async () => {
    const app = await appOf(await indexOfArticles(undated))
    expect((await app.inject({ url: `/search?q=${encodeURIComponent('и в на')}` })).json()).toMatchObject({ total: 0, onlyStopWords: true })
    expect((await app.inject({ url: `/search?q=${encodeURIComponent('и магнетар')}` })).json()).not.toHaveProperty('onlyStopWords')
    expect((await app.inject({ url: `/search?q=${encodeURIComponent('и квазар')}` })).json()).not.toHaveProperty('onlyStopWords')
  })
})
