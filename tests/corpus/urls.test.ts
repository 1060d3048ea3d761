import { describe, expect, it } from 'vitest'
import { checkUrl } from '../../src/corpus/urls.js'

describe('checkUrl', () => {
  it('keeps http(s) URLs as written, with their host as the source', () => {
    expect(checkUrl('https://russian.rt.com/world/article/455367-ssha')).toEqual({ url: 'https://russian.rt.com/world/article/455367-ssha', host: 'russian.rt.com' })
    expect(checkUrl('http://www.lenta.ru/news/1/')).toEqual({ url: 'http://www.lenta.ru/news/1/', host: 'lenta.ru' })
    expect(checkUrl('https://пример.рф/статья')).toEqual({ url: 'https://пример.рф/статья', host: 'пример.рф' })
    expect(checkUrl('https://ria.ru:443/x?from=https://t.me/y')).toMatchObject({ host: 'ria.ru' })
    // A URL inside a path is a link, not a doubled URL.
    expect(checkUrl('https://web.archive.org/web/2019/https://rt.com/x')).toMatchObject({ host: 'web.archive.org' })
  })

  it('finds rt\'s doubled URLs, which parse as the host «russian.rt.comhttps»', () => {
    expect(checkUrl('https://russian.rt.comhttps://russian.rt.com/world/article/376514-ssha')).toEqual({ problem: expect.stringMatching(/^doubled URL/) })
    expect(checkUrl('https://russian.rt.comhttps//russian.rt.com/a')).toEqual({ problem: expect.stringMatching(/^doubled URL/) })
  })

  it('refuses other schemes and broken hosts', () => {
    expect(checkUrl('javascript:alert(1)')).toEqual({ problem: expect.stringMatching(/^not an http\(s\) URL/) })
    expect(checkUrl('ftp://example.ru/a')).toHaveProperty('problem')
    expect(checkUrl('data:text/html,<b>x</b>')).toHaveProperty('problem')
    expect(checkUrl('example.ru/news')).toHaveProperty('problem')
    expect(checkUrl('https:/example.ru/news')).toHaveProperty('problem')
    expect(checkUrl('https://')).toHaveProperty('problem')
    expect(checkUrl('https://exa mple.ru/')).toHaveProperty('problem')
    expect(checkUrl('https://user:pass@example.ru/')).toHaveProperty('problem')
    expect(checkUrl('https://example/')).toHaveProperty('problem')
    expect(checkUrl('https://-bad-.ru/')).toHaveProperty('problem')
  })
})
