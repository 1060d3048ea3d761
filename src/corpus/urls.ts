/**
 * A record's link, checked before it is stored: the page shows it as the result's link and its
 * host becomes the source facet, so only an `http:`/`https:` URL with a real host is kept. A
 * doubled URL (`https://russian.rt.comhttps://russian.rt.com/…`, 1,265 of rt's records) parses
 * as a URL of the host «russian.rt.comhttps», so parsing alone does not catch it; a
 * `javascript:` link parses too. A bad link is dropped with a reason, and the article is kept.
 */
import { domainToUnicode } from 'node:url'

export type CheckedUrl = { url: string, host: string } | { problem: string }

/** Host and optional port, as written before the path: no user info, no empty port. */
const AUTHORITY = /^([^\s/?#@:[\]]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i
/** A host name's labels: letters (punycode after URL parsing), digits, hyphens, not at the ends. */
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
const SCHEME = /^([a-z][a-z0-9+.-]*):/i

export function checkUrl (raw: string): CheckedUrl {
  const text = raw.trim()
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase()
  if (scheme !== 'http' && scheme !== 'https') {
    return { problem: scheme === undefined ? `not a URL «${clip(text)}»` : `not an http(s) URL «${clip(text)}»` }
  }
  const afterScheme = text.slice(scheme.length + 1)
  if (!afterScheme.startsWith('//')) return { problem: `not an absolute http(s) URL «${clip(text)}»` }
  const rest = afterScheme.slice(2)
  const authority = rest.split(/[/?#]/, 1)[0] ?? ''
  const path = rest.slice(authority.length)
  if (/https?:?\/\//i.test(authority + path.split(/[?#]/, 1)[0]) && (!AUTHORITY.test(authority) || path.startsWith('//'))) {
    return { problem: `doubled URL «${clip(text)}»` }
  }
  if (!AUTHORITY.test(authority)) return { problem: `malformed host in URL «${clip(text)}»` }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { problem: `unparsable URL «${clip(text)}»` }
  }
  if (!validHost(url.hostname)) return { problem: `malformed host in URL «${clip(text)}»` }
  // Stored as written (an id made from a URL must not change); checked, it is safe to link to.
  // The source facet shows «пример.рф», not the parser's punycode.
  return { url: text, host: domainToUnicode(url.hostname).replace(/^www\./, '') }
}

/** A dotted name with a letter TLD (or an IP address, or localhost). */
function validHost (hostname: string): boolean {
  if (hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname === 'localhost') return true
  const labels = hostname.split('.')
  const tld = labels.at(-1) ?? ''
  return labels.length >= 2 && labels.every(label => HOST_LABEL.test(label)) && /^([a-z]{2,63}|xn--[a-z0-9-]+)$/.test(tld)
}

function clip (text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text
}
