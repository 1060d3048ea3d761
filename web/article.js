// One article's page (/article/:id): its title, date, source, tags and body from
// GET /documents/:id, and «Читайте также» from GET /documents/:id/related when the server
// has that route. Every text goes in as text (textContent), never as HTML.

import { documentHref, errorText, formatDay, webUrl } from './page-text.js'

const $ = (selector) => document.querySelector(selector)
const RELATED_LIMIT = 5

const id = idFromPath(location.pathname)

function idFromPath (path) {
  const raw = path.replace(/^\/article\//, '')
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw // a stray % : looked up as typed, and answered «no such document»
  }
}

function element (tag, properties, ...children) {
  const node = document.createElement(tag)
  Object.assign(node, properties)
  node.append(...children)
  return node
}

async function loadArticle () {
  let document
  try {
    const response = await fetch(`/documents/${encodeURIComponent(id)}`)
    const body = await response.json()
    if (!response.ok) return showError(errorText(body))
    document = body
  } catch (error) {
    return showError(errorText({ message: error.message }))
  }
  renderArticle(document)
  void loadRelated()
}

function showError ({ text, detail }) {
  $('#status').replaceChildren(text, ...(detail ? [' ', element('span', { className: 'detail' }, `(${detail})`)] : []))
}

function renderArticle (doc) {
  window.document.title = `${doc.title} — poisk`
  $('#status').textContent = ''
  $('#article-title').textContent = doc.title
  const meta = [doc.date ? formatDay(doc.date) : '', doc.source ?? ''].filter(Boolean)
  const original = webUrl(doc.url)
  $('#article-meta').replaceChildren(meta.join(' · '), ...(original ? [meta.length > 0 ? ' · ' : '', element('a', { href: original, rel: 'noopener' }, 'оригинал')] : []))
  $('#article-tags').replaceChildren(...(doc.tags ?? []).map(tag => {
    const link = element('a', { href: `/?${new URLSearchParams({ q: tag })}` }, tag)
    return element('li', {}, link)
  }))
  const paragraphs = [doc.summary, ...doc.body.split(/\n+/)].map(text => (text ?? '').trim()).filter(Boolean)
  // The summary often opens the body as well: show it once.
  const unique = paragraphs.filter((text, at) => at === 0 || text !== paragraphs[at - 1])
  $('#article-body').replaceChildren(...unique.map((text, at) => element('p', { className: at === 0 && doc.summary ? 'lead' : '' }, text)))
  $('#article').hidden = false
}

/** «Читайте также»: shown only when the related route answers. */
async function loadRelated () {
  try {
    const response = await fetch(`/documents/${encodeURIComponent(id)}/related?limit=${RELATED_LIMIT}`)
    if (!response.ok) return
    const { hits } = await response.json()
    if (!Array.isArray(hits) || hits.length === 0) return
    $('#related-list').replaceChildren(...hits.map(hit => element('li', {},
      element('a', { href: documentHref(hit) }, hit.title),
      ...(hit.date || hit.source ? [' ', element('span', { className: 'meta' }, [hit.date ? formatDay(hit.date) : '', hit.source ?? ''].filter(Boolean).join(' · '))] : []))))
    $('#related').hidden = false
  } catch {
    // No related list: the section stays hidden.
  }
}

$('.skip-link').addEventListener('click', event => { event.preventDefault(); $('#article-title').focus() })
// Back to the results the reader came from (app.js remembers the last search in this tab).
try {
  const lastSearch = sessionStorage.getItem('poisk:last-search')
  if (lastSearch?.startsWith('?')) Object.assign($('#back'), { href: `/${lastSearch}`, textContent: '← К результатам' })
} catch {}

void loadArticle()
