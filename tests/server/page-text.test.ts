/**
 * The pages' pure helpers (web/page-text.js): the Russian text for every error code the
 * search routes can answer, plural forms, and the order of a hit's tags.
 */
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

interface PageText {
  KNOWN_ERROR_CODES: string[]
  errorText: (body?: { code?: string, message?: string, statusCode?: number }) => { text: string, detail?: string }
  plural: (n: number, forms: [string, string, string]) => string
  orderTags: (tags: string[], queryWords: string[], facetCounts?: Array<{ value: string, count: number }>) => string[]
  markedWords: (...htmls: string[]) => string[]
  documentHref: (document: { id: string, url?: string }) => string
}

// A plain browser module, not part of the TypeScript program: imported by path.
const PAGE_TEXT = '../../web/page-text.js'
const pageText = async (): Promise<PageText> => await import(PAGE_TEXT) as PageText

/** Where the codes of the routes the pages call (/search, /suggest, GET /documents/:id) are sent from. */
const PAGE_ROUTE_SOURCES = ['src/search', 'src/server/plugins', 'src/server/routes/search.ts', 'src/server/routes/suggest.ts',
  'src/server/routes/documents.ts', 'src/server/routes/index-unavailable.ts']
/** Codes of the same files that only writes answer: the pages never see them. */
const NOT_FROM_PAGE_ROUTES = new Set(['POISK_UNAUTHORIZED', 'POISK_EMPTY_PATCH', 'POISK_DISK_FULL'])

async function sourceFiles (dir: string): Promise<string[]> {
  if (dir.endsWith('.ts')) return [dir]
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter(entry => entry.isFile() && entry.name.endsWith('.ts')).map(entry => join(entry.parentPath, entry.name))
}

describe('errorText', () => {
  it('has Russian text for every code the search, suggest and document routes answer with', async () => {
    const { KNOWN_ERROR_CODES } = await pageText()
    const codes = new Set<string>()
    for (const file of (await Promise.all(PAGE_ROUTE_SOURCES.map(sourceFiles))).flat()) {
      for (const [code] of (await readFile(file, 'utf8')).matchAll(/POISK_[A-Z_]+/g)) codes.add(code)
    }
    const answered = [...codes].filter(code => !NOT_FROM_PAGE_ROUTES.has(code))
    expect(answered.length).toBeGreaterThan(8)
    expect(answered.filter(code => !KNOWN_ERROR_CODES.includes(code))).toEqual([])
    expect(KNOWN_ERROR_CODES).toContain('FST_ERR_VALIDATION') // fastify's own, for a query over 500 characters
  })

  it('says too many words in Russian, with the numbers', async () => {
    const { errorText } = await pageText()
    const { text, detail } = errorText({ statusCode: 400, code: 'POISK_QUERY_TOO_LONG', message: 'the query has 33 words; at most 32 are searched' })
    expect(text).toBe('Слишком длинный запрос: 33 слова, а ищется не больше 32. Сократите запрос.')
    expect(detail).toBeUndefined()
  })

  it('falls back to a Russian line for an unknown code, the English message only as detail', async () => {
    const { errorText } = await pageText()
    expect(errorText({ statusCode: 418, code: 'POISK_SOMETHING_NEW', message: 'a teapot' })).toEqual({ text: 'Не удалось выполнить запрос.', detail: '418 POISK_SOMETHING_NEW a teapot' })
    expect(errorText({ statusCode: 500, message: 'internal error' }).text).toBe('Не удалось выполнить запрос.')
    expect(errorText({ message: 'Failed to fetch' }).text).toMatch(/^Сервер не отвечает/)
  })
})

describe('documentHref', () => {
  it('opens a web address, and the article page here for no URL or anything else', async () => {
    const { documentHref } = await pageText()
    expect(documentHref({ id: 'rt-1', url: 'https://russian.rt.com/a' })).toBe('https://russian.rt.com/a')
    expect(documentHref({ id: 'rt 1/2' })).toBe('/article/rt%201%2F2')
    expect(documentHref({ id: 'x', url: 'javascript:alert(1)' })).toBe('/article/x')
  })
})

describe('plural', () => {
  it.each([[1, 'копия'], [2, 'копии'], [4, 'копии'], [5, 'копий'], [11, 'копий'], [12, 'копий'], [14, 'копий'], [21, 'копия'], [22, 'копии'], [25, 'копий'], [101, 'копия'], [111, 'копий'], [0, 'копий']])('%i %s', async (n, form) => {
    const { plural } = await pageText()
    expect(plural(n, ['копия', 'копии', 'копий'])).toBe(form)
  })
})

describe('orderTags', () => {
  // rt-00402: Putin on American missile defence, tagged (alphabetically) «владимир путин», «внешняя политика», «гомосексуализм», …
  const tags = ['владимир путин', 'внешняя политика', 'гомосексуализм', 'европа', 'интервью', 'иран', 'про', 'россия', 'сша']
  const facets = [{ value: 'сша', count: 377 }, { value: 'россия', count: 269 }, { value: 'владимир путин', count: 40 }, { value: 'про', count: 35 }, { value: 'европа', count: 12 }]

  it('puts the tags naming a query word first, in any form', async () => {
    const { orderTags } = await pageText()
    expect(orderTags(tags, ['система ПРО'], facets)[0]).toBe('про')
    expect(orderTags(['армия', 'ракета', 'сша'], ['ракеты'], [])[0]).toBe('ракета')
    expect(orderTags(['армия', 'ядерное оружие'], ['ядерный'], [])[0]).toBe('ядерное оружие')
  })

  it('then the tags the results share, the rarer first; then the rest as given', async () => {
    const { orderTags } = await pageText()
    expect(orderTags(tags, ['система ПРО'], facets)).toEqual(['про', 'европа', 'владимир путин', 'россия', 'сша', 'внешняя политика', 'гомосексуализм', 'интервью', 'иран'])
    expect(orderTags(tags, ['система ПРО'], facets).slice(0, 3)).not.toContain('гомосексуализм')
  })

  it('does not match short words by prefix', async () => {
    const { orderTags } = await pageText()
    expect(orderTags(['программа', 'про'], ['про'], [])).toEqual(['про', 'программа'])
    expect(orderTags(['спорт', 'сша'], ['в'], [])).toEqual(['спорт', 'сша'])
  })

  it('reads the words the server marked, corrections included', async () => {
    const { markedWords, orderTags } = await pageText()
    const words = markedWords('Путин о <mark>ПРО</mark>', '…выход из Договора по <mark>противоракетной</mark> &amp; <mark>обороне</mark>…')
    expect(words).toEqual(['про', 'противоракетной', 'обороне'])
    expect(orderTags(['армия', 'оборона'], words, [])[0]).toBe('оборона')
  })
})
