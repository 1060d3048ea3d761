/**
 * The search page in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser; `.ci/run` installs chromium when missing, and elsewhere the test skips
 * and says so). With POISK_SCREENSHOT set
 * (`npm run screenshot`), the results page is saved to docs/screenshot.png.
 */
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { describe, expect, it, onTestFinished } from 'vitest'
import { runCli, startServerProcess } from '../helpers/cli.js'
import { systemRequirement } from '../helpers/system-requirement.js'
import { tempDir } from '../helpers/temp-dir.js'

const CHROMIUM = '/usr/bin/chromium'
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
    if (process.env.POISK_SCREENSHOT !== undefined) await page.screenshot({ path: 'docs/screenshot.png', fullPage: false })

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
