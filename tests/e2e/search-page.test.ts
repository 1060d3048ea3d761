/**
 * The search page in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser; `.ci/run` installs chromium when missing, and elsewhere the test skips
 * and says so). With POISK_SCREENSHOT set
 * (`npm run screenshot`), the results page is saved at 1280 and 390 px wide to
 * docs/screenshots/page-1280.png and page-390.png.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { describe, expect, it, onTestFinished } from 'vitest'
import { runCli, startServerProcess } from '../helpers/cli.js'
import { systemRequirement } from '../helpers/system-requirement.js'
import { tempDir } from '../helpers/temp-dir.js'

// POISK_CHROMIUM names another browser binary (or a missing one, to see the test skip as on a machine without it).
const CHROMIUM = process.env.POISK_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

const HAS_CHROMIUM = systemRequirement(`Debian's Chromium (${CHROMIUM})`, existsSync(CHROMIUM), 'apt-get install -y chromium')

/** Documents for a two-word query with some full and some partial matches (words no other fixture holds). */
async function countsCorpus (): Promise<string> {
  const dir = await tempDir()
  const file = join(dir, 'counts.jsonl')
  await writeFile(file, [
    { id: 'e2e-both-1', title: 'Квазар и пульсар на одном снимке', body: 'Телескоп снял квазар и пульсар.', tags: ['астрономия'] },
    { id: 'e2e-both-2', title: 'Пульсар рядом с квазаром', body: 'Пульсар оказался рядом с квазаром.', tags: ['астрономия', 'наука'] },
    { id: 'e2e-one-1', title: 'Квазар на окраине галактики', body: 'Астрономы нашли квазар.', tags: ['космос'] },
    { id: 'e2e-one-2', title: 'Новый квазар', body: 'Квазар удален от Земли.', tags: ['космос'] },
    { id: 'e2e-one-3', title: 'Пульсар замедлился', body: 'Пульсар вращается медленнее.', tags: ['космос'] }
  ].map(record => JSON.stringify(record)).join('\n'))
  return file
}

describe.skipIf(!HAS_CHROMIUM)('search page in Chromium', () => {
  it('suggests as you type, shows marked results, notices and facet filters', { timeout: 120_000 }, async () => {
    const indexDir = await tempDir()
    const counts = await countsCorpus()
    const built = await runCli(['index', '--quiet', '--corpus', 'corpus', '--corpus', 'tests/fixtures/features', '--corpus', 'tests/fixtures/corpus', '--corpus', counts, '--index', indexDir])
    expect(built.code, built.stderr).toBe(0)
    const server = await startServerProcess(['serve', '--index', indexDir, '--port', '0'])

    const context = await chromium.launchPersistentContext(await tempDir('poisk-chromium-'), {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, locale: 'ru-RU', viewport: { width: 1180, height: 860 }
    })
    onTestFinished(async () => await context.close())
    const page = context.pages()[0] ?? await context.newPage()
    const failures: string[] = []
    page.on('pageerror', error => failures.push(error.message))
    await page.goto(`${server.url}/`)
    expect(await page.title()).toBe('Поиск — poisk')

    // Type a partial word, move to the first suggestion with the keyboard and pick it.
    const box = page.getByRole('combobox', { name: 'Поиск по новостям' })
    await box.pressSequentially('ста', { delay: 40 })
    const options = page.getByRole('option')
    await options.first().waitFor()
    expect(await box.getAttribute('aria-expanded')).toBe('true')
    const first = (await options.first().textContent()) ?? ''
    expect(first).toMatch(/^став/)
    await box.press('ArrowDown')
    expect(await box.getAttribute('aria-activedescendant')).toBe('suggestion-0')
    await box.press('Enter')

    // Marked results, a live status line, facets.
    const results = page.locator('#results > li')
    await results.first().waitFor()
    const picked = await box.inputValue()
    expect(first.startsWith(picked)).toBe(true)
    expect(await page.locator('#status').getAttribute('aria-live')).toBe('polite')
    expect(await page.locator('#status').textContent()).toMatch(/^Найдено: \d+/)
    expect(await page.locator('#results mark').count()).toBeGreaterThan(0)
    expect(new URL(page.url()).searchParams.get('q')).toBe(picked)
    const total = await results.count()
    expect(total).toBeGreaterThan(1)
    if (process.env.POISK_SCREENSHOT !== undefined) {
      await mkdir('docs/screenshots', { recursive: true })
      for (const [width, height] of [[1280, 860], [390, 844]] as const) {
        await page.setViewportSize({ width, height })
        await page.screenshot({ path: `docs/screenshots/page-${width}.png`, fullPage: false })
      }
      await page.setViewportSize({ width: 1180, height: 860 })
    }

    // Apply a facet filter: the results narrow, the filter shows as removable, the URL keeps it.
    await page.locator('#facet-tags button', { hasText: 'ипотека' }).click()
    await expect.poll(async () => await results.count()).toBe(1)
    expect(new URL(page.url()).searchParams.getAll('tag')).toEqual(['ипотека'])
    await expect.poll(async () => await page.locator('#active-filters').textContent()).toContain('ипотека')

    // Removing the filter brings every result back.
    await page.locator('#active-filters button', { hasText: 'ипотека' }).click()
    await expect.poll(async () => await results.count()).toBe(total)

    // A query typed in the wrong layout is searched as meant, and the page says so.
    await box.fill('lehjd')
    await box.press('Enter')
    await expect.poll(async () => await page.locator('#notices').textContent()).toContain('раскладке')
    await expect.poll(async () => await page.locator('#results > li h3').first().textContent({ timeout: 5000 })).toContain('Дуров')

    // Two words, two documents holding both and three one: the count says which is which, and
    // the facets count only the two (no «космос», which only the partial matches carry).
    await box.fill('квазар пульсар')
    await box.press('Enter')
    await expect.poll(async () => await page.locator('#status').textContent()).toMatch(/^Найдено: 2 со всеми словами \(5 с любым\)\./)
    await expect.poll(async () => await page.locator('#facet-tags').textContent()).toContain('астрономия 2')
    expect(await page.locator('#facet-tags').textContent()).not.toContain('космос')
    expect(await page.locator('#facets-over').isVisible()).toBe(true)
    expect(failures).toEqual([])
  })

  it('works under a hostname other than localhost, over plain HTTP', { timeout: 120_000 }, async () => {
    // A browser on the LAN or behind a proxy reaches the server by name. A policy that upgrades
    // insecure requests would fetch the page's script and style over https:// there, and fail.
    const indexDir = await tempDir()
    const built = await runCli(['index', '--quiet', '--corpus', 'corpus', '--index', indexDir])
    expect(built.code, built.stderr).toBe(0)
    const server = await startServerProcess(['serve', '--index', indexDir, '--port', '0'])
    const port = new URL(server.url).port
    const context = await chromium.launchPersistentContext(await tempDir('poisk-chromium-'), {
      executablePath: CHROMIUM,
      headless: true,
      // poisk.intranet resolves to this machine's loopback: nothing leaves it.
      args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP poisk.intranet 127.0.0.1'],
      locale: 'ru-RU',
      viewport: { width: 1180, height: 860 }
    })
    onTestFinished(async () => await context.close())
    const page = await context.newPage()
    const failed: string[] = []
    page.on('requestfailed', request => failed.push(request.url()))
    await page.goto(`http://poisk.intranet:${port}/?q=${encodeURIComponent('Дуров')}`)
    await expect.poll(async () => await page.locator('#results > li').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    // The style sheet applied: the search button is not the browser's grey default.
    expect(await page.evaluate('getComputedStyle(document.querySelector("form button")).backgroundColor')).not.toBe('rgb(239, 239, 239)')
    expect(failed).toEqual([])
    expect(server.output()).not.toContain('"statusCode":5')
  })
})

/** Two dozen undated articles on one topic (pages to turn); the first three have no URL, so they open here, and are related. */
async function phoneCorpus (): Promise<string> {
  const dir = await tempDir()
  const file = join(dir, 'phone.jsonl')
  const records = Array.from({ length: 24 }, (_, at) => {
    const n = String(at + 1).padStart(2, '0')
    return {
      id: `p-${n}`,
      title: `Спутник номер ${n} выведен на орбиту`,
      // The three without a URL share a launch site: each other's «Читайте также».
      body: `Ракета вывела спутник номер ${n} на орбиту.\nСпутник будет наблюдать за погодой.\nСпутниковая связь заработает через месяц.${at < 3 ? ' Запуск прошёл с космодрома Плесецк, где ракету готовили к старту две недели.' : ''}`,
      tags: ['космос', 'наука', `серия ${n}`, 'спутники'],
      ...(at < 3 ? {} : { url: `https://example.ru/sputnik/${n}` })
    }
  })
  // Three copies of one story (another source, a retitled copy): near-duplicates.
  const story = 'На Ямале открыли новую метеостанцию. Метеостанция будет передавать данные о погоде каждые три часа. Её построили за два месяца, сообщили в региональном правительстве.'
  for (const [at, title] of ['На Ямале открыли метеостанцию', 'Метеостанция открыта на Ямале', 'Новая метеостанция на Ямале'].entries()) {
    records.push({ id: `dup-${at + 1}`, title, body: story, tags: ['погода'], url: `https://example.ru/meteo/${at + 1}` })
  }
  await writeFile(file, records.map(record => JSON.stringify(record)).join('\n'))
  return file
}

/** A browser that reaches the server as poisk.intranet (mapped to loopback: nothing leaves the machine). */
async function intranetBrowser (viewport: { width: number, height: number }): Promise<{ context: BrowserContext, page: Page }> {
  const context = await chromium.launchPersistentContext(await tempDir('poisk-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP poisk.intranet 127.0.0.1'],
    locale: 'ru-RU',
    viewport
  })
  onTestFinished(async () => await context.close())
  return { context, page: context.pages()[0] ?? await context.newPage() }
}

const focusedInside = async (page: Page, selector: string): Promise<boolean> =>
  await page.evaluate(`document.activeElement?.closest(${JSON.stringify(selector)}) != null`) as boolean

describe.skipIf(!HAS_CHROMIUM)('search page on a phone and by keyboard', () => {
  it('shows results first at 390 px, folds the filters, and works by keyboard', { timeout: 180_000 }, async () => {
    const indexDir = await tempDir()
    const built = await runCli(['index', '--quiet', '--corpus', await phoneCorpus(), '--index', indexDir])
    expect(built.code, built.stderr).toBe(0)
    const server = await startServerProcess(['serve', '--index', indexDir, '--port', '0'])
    const origin = `http://poisk.intranet:${new URL(server.url).port}`
    const { page } = await intranetBrowser({ width: 390, height: 844 })
    const failures: string[] = []
    page.on('pageerror', error => failures.push(error.message))
    await page.goto(`${origin}/`)

    // Sent at once after typing: the suggestions never open over the results (there are some for this
    // text: «спутниковая»). The server's suggestions are slowed down, as on a busy server, so they
    // arrive after Enter: both one still to be asked for and one already on its way must be dropped.
    const suggested = await (await fetch(`${server.url}/suggest?q=${encodeURIComponent('спутник')}`)).json() as { suggestions: unknown[] }
    expect(suggested.suggestions.length).toBeGreaterThan(0)
    const slowSuggest = (url: URL): boolean => url.pathname === '/suggest'
    await page.route(slowSuggest, async route => { await new Promise(resolve => setTimeout(resolve, 500)); await route.continue() })
    const box = page.getByRole('combobox', { name: 'Поиск по новостям' })
    const results = page.locator('#results > li')
    const noListAfterEnter = async (): Promise<void> => {
      await results.first().waitFor()
      await page.waitForTimeout(1200) // past the suggestion delay and the slowed request
      expect(await page.locator('#suggestions').isVisible()).toBe(false)
      expect(await box.getAttribute('aria-expanded')).toBe('false')
    }
    await box.fill('спутник') // Enter before the suggestion delay is over
    await box.press('Enter')
    await noListAfterEnter()
    await box.fill('спутни')
    await box.pressSequentially('к')
    await page.waitForRequest(request => request.url().includes('/suggest?')) // the request on its way
    await box.press('Enter')
    await noListAfterEnter()
    await page.unroute(slowSuggest)

    // The first result is on screen without scrolling; the filters wait behind «Фильтры».
    expect(await page.evaluate('window.scrollY')).toBe(0)
    const first = await results.first().locator('h3 a').boundingBox()
    expect(first).not.toBeNull()
    expect((first?.y ?? Infinity) + (first?.height ?? 0)).toBeLessThanOrEqual(844)
    const toggle = page.locator('#filters-toggle')
    expect(await toggle.isVisible()).toBe(true)
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await page.locator('#facet-tags').isVisible()).toBe(false)
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    expect(await page.locator('#facet-tags').isVisible()).toBe(true)
    // An undated corpus: no date sort or period, and the panel says why.
    expect(await page.locator('#sort').isVisible()).toBe(false)
    expect(await page.locator('#from').isVisible()).toBe(false)
    expect(await page.locator('#undated-note').textContent()).toContain('нет дат')

    // The skip link is the first stop; from it the first result is one more Tab.
    await page.goto(`${origin}/?q=${encodeURIComponent('спутник')}`)
    await results.first().waitFor()
    await page.keyboard.press('Tab')
    expect(await page.evaluate('document.activeElement.textContent')).toBe('К результатам')
    await page.keyboard.press('Enter')
    expect(await focusedInside(page, '#results-area')).toBe(true)
    await page.keyboard.press('Tab')
    expect(await focusedInside(page, '#results > li:first-child')).toBe(true)

    // Turning a page by keyboard leaves the focus in the results, not on <body>.
    await page.locator('#pages button', { hasText: /^2$/ }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(async () => await page.locator('#status').textContent()).toMatch(/Показаны 11–20/)
    expect(await focusedInside(page, '#results-area')).toBe(true)

    // Escape closes the suggestions and keeps the query, and with no list open still keeps it.
    await box.fill('')
    await box.pressSequentially('спу', { delay: 40 })
    await page.getByRole('option').first().waitFor()
    await box.press('Escape')
    expect(await page.locator('#suggestions').isVisible()).toBe(false)
    expect(await box.inputValue()).toBe('спу')
    await box.press('Escape')
    expect(await box.inputValue()).toBe('спу')

    // A refused query is explained in Russian, not in the server's English.
    await box.fill(Array.from({ length: 33 }, (_, at) => `слово${at}`).join(' '))
    await box.press('Enter')
    await expect.poll(async () => await page.locator('#status').textContent()).toContain('Слишком длинный запрос: 33 слова')
    expect(await page.locator('#status').textContent()).not.toContain('the query')

    // Stop words only, and a period on an undated corpus, each get a line of help.
    await box.fill('и в на')
    await box.press('Enter')
    await expect.poll(async () => await page.locator('#help').textContent()).toContain('служебные')
    await page.goto(`${origin}/?q=${encodeURIComponent('спутник')}&from=2024-01-01`)
    await expect.poll(async () => await page.locator('#help').textContent()).toContain('нет дат')
    await page.locator('#help button', { hasText: 'Искать без периода' }).click()
    await expect.poll(async () => await results.count()).toBe(10)

    // A hit without a URL opens its article here, not raw JSON.
    await page.goto(`${origin}/?q=${encodeURIComponent('спутник Плесецк')}`)
    await results.first().waitFor()
    const link = page.locator('#results a[href^="/article/"]').first()
    const href = await link.getAttribute('href')
    expect(href).toMatch(/^\/article\/p-0[123]$/)
    await link.click()
    await page.waitForURL(`${origin}${href ?? ''}`)
    await expect.poll(async () => await page.locator('#article-title').textContent()).toMatch(/^Спутник номер 0[123] выведен на орбиту$/)
    expect(await page.locator('#article-body p').count()).toBe(3)
    expect(await page.locator('#article-body').textContent()).toContain('Спутниковая связь заработает через месяц.')
    expect(await page.locator('#article-tags li').count()).toBe(4)
    // «Читайте также» when the server has the related route (the other two launches from Плесецк); hidden without it.
    const related = await fetch(`${server.url}/documents/${href?.slice('/article/'.length) ?? ''}/related?limit=5`)
    if (related.status !== 404) {
      expect(related.status).toBe(200)
      const relatedHits = ((await related.json()) as { hits: unknown[] }).hits
      expect(relatedHits.length).toBeGreaterThan(1)
      await expect.poll(async () => await page.locator('#related').isVisible()).toBe(true)
      expect(await page.locator('#related-title').textContent()).toBe('Читайте также')
      expect(await page.locator('#related li').count()).toBe(relatedHits.length)
      expect(await page.locator('#related a').first().getAttribute('href')).toMatch(/^\/article\/p-0[123]$/)
    } else {
      expect(await page.locator('#related').isVisible()).toBe(false)
    }
    // Back to the results it came from.
    expect(await page.locator('#back').getAttribute('href')).toContain('q=')

    // Near-duplicates collapsed into a hit (when the server collapses them): «ещё 2 копии», listed on demand.
    const meteo = encodeURIComponent('метеостанция')
    interface Hit { id: string, duplicates?: { count: number, ids: string[] } }
    const answer = await (await fetch(`${server.url}/search?q=${meteo}`)).json() as { hits: Hit[] }
    const collapsed = answer.hits.find(hit => hit.duplicates !== undefined)
    if (collapsed === undefined) {
      // A server that does not collapse copies: no button at all; then the page is checked on an
      // answer that collapses the real copies (the ids are real documents the page fetches).
      await page.goto(`${origin}/?q=${meteo}`)
      await results.first().waitFor()
      expect(await page.locator('button.duplicates').count()).toBe(0)
      await page.route(url => url.pathname === '/search', async route => {
        // Fetched from this process, which does not know poisk.intranet: by the server's own address.
        const response = await route.fetch({ url: route.request().url().replace(origin, server.url) })
        const body = await response.json() as { hits: Hit[] }
        const copies = body.hits.filter(hit => hit.id.startsWith('dup-'))
        const [kept, ...rest] = copies
        if (kept !== undefined) kept.duplicates = { count: rest.length, ids: rest.map(hit => hit.id) }
        body.hits = body.hits.filter(hit => !rest.includes(hit))
        await route.fulfill({ response, json: body })
      })
    }
    await page.goto(`${origin}/?q=${meteo}`)
    await results.first().waitFor()
    const copies = page.locator('button.duplicates')
    expect(await copies.count()).toBe(1)
    expect(await copies.textContent()).toBe('ещё 2 копии')
    expect(await copies.getAttribute('aria-expanded')).toBe('false')
    await copies.click()
    expect(await copies.getAttribute('aria-expanded')).toBe('true')
    await expect.poll(async () => await page.locator('.copies a').count()).toBe(2)
    expect(await page.locator('.copies').textContent()).toContain('Ямале')
    expect(failures).toEqual([])
    expect(server.output()).not.toContain('"statusCode":5')
  })
})
