// The search page: a search box with suggestions, results with marked snippets, notices
// about how the query was read, facet filters and pages. Plain browser JavaScript talking
// to GET /search and GET /suggest; the state lives in the address bar, so every results
// page has a link and the back button works.

import { documentHref, errorText, markedWords, orderTags, plural } from './page-text.js'

const PAGE_SIZE = 10
/** Tags shown on a hit, and copies of a hit fetched when its list is opened. */
const HIT_TAGS = 3
const MAX_COPIES_SHOWN = 20
const SUGGEST_DELAY_MS = 120

const $ = (selector) => document.querySelector(selector)
const form = $('#search-form')
const input = $('#q')
const list = $('#suggestions')

/** The page state: query, filters, page. */
let state = readState()
let suggestTimer
let suggestRequest = 0
let searchRequest = 0
let activeOption = -1

function readState () {
  const params = new URLSearchParams(location.search)
  return {
    q: params.get('q') ?? '',
    tags: params.getAll('tag'),
    source: params.get('source') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    sort: params.get('sort') ?? 'relevance',
    page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
  }
}

function stateParams (extra = {}) {
  const params = new URLSearchParams()
  params.set('q', state.q)
  for (const tag of state.tags) params.append('tag', tag)
  if (state.source) params.set('source', state.source)
  if (state.from) params.set('from', state.from)
  if (state.to) params.set('to', state.to)
  if (state.sort !== 'relevance') params.set('sort', state.sort)
  for (const [key, value] of Object.entries(extra)) params.set(key, value)
  return params
}

function navigate (changes) {
  state = { ...state, page: 1, ...changes }
  const params = stateParams(state.page > 1 ? { page: String(state.page) } : {})
  history.pushState(null, '', `/?${params}`)
  return runSearch()
}

async function runSearch () {
  // A search submitted: suggestions still on their way must not open over its results.
  cancelSuggestions()
  syncControls()
  if (state.q.trim() === '') return
  const request = ++searchRequest
  const params = stateParams({ limit: String(PAGE_SIZE), offset: String((state.page - 1) * PAGE_SIZE), facets: 'true' })
  $('#status').textContent = 'Ищем…'
  let response
  try {
    response = await fetch(`/search?${params}`)
  } catch (error) {
    if (request === searchRequest) showFailure(errorText({ message: error.message }))
    return
  }
  // A proxy's error page is not JSON: its status tells what happened.
  const body = await response.json().catch(() => ({ message: response.statusText }))
  if (request !== searchRequest) return // a newer search has started
  if (!response.ok) return showFailure(errorText({ ...body, statusCode: response.status }))
  if (typeof body.timeZone === 'string') shownTimeZone = body.timeZone
  rememberSearch()
  renderNotices(body)
  renderResults(body)
  renderFacets(body)
  // With near-duplicates collapsed, offsets page through groups.
  renderPages(body.totalGroups ?? body.total)
  renderHelp(body, request)
}

/** For an article's «← К результатам» (the server sends no Referer: Referrer-Policy no-referrer). */
function rememberSearch () {
  try { sessionStorage.setItem('poisk:last-search', location.search) } catch {}
}

/** A failed search, in Russian; the server's own words only as detail, for a code the page does not know. */
function showFailure ({ text, detail }) {
  $('#status').replaceChildren(`Ошибка: ${text}`, ...(detail ? [' ', element('span', { className: 'detail' }, `(${detail})`)] : []))
  for (const selector of ['#results', '#notices', '#help', '#pages']) $(selector).replaceChildren()
}

function syncControls () {
  input.value = state.q
  $('#sort').value = state.sort
  $('#from').value = state.from
  $('#to').value = state.to
  document.title = state.q ? `${state.q} — poisk` : 'Поиск — poisk'
}

function renderNotices (body) {
  const notices = []
  const corrections = body.corrections ?? []
  if (body.layoutFixed) notices.push(`Запрос набран в другой раскладке клавиатуры: искали «${body.interpretedAs ?? corrections.map(c => c.to).join(' ')}».`)
  for (const correction of corrections.filter(c => c.kind === 'typo')) notices.push(`Исправлена опечатка: «${correction.from}» → «${correction.to}».`)
  for (const correction of corrections.filter(c => c.kind === 'transliteration')) notices.push(`Искали также написание «${correction.to}» для «${correction.from}».`)
  if (body.total > 0 && body.allWordsMatched === false) notices.push('Ни один документ не содержит все слова запроса — показаны частичные совпадения.')
  $('#notices').replaceChildren(...notices.map(text => element('p', { className: 'notice' }, text)))
}

function renderResults (body) {
  const from = (state.page - 1) * PAGE_SIZE
  $('#status').textContent = body.total === 0
    ? `По запросу «${body.query}» ничего не найдено.`
    : `Найдено: ${foundCount(body)}. Показаны ${from + 1}–${from + body.hits.length}.`
  $('#results').replaceChildren(...body.hits.map(hit => renderHit(hit, body)))
}

/**
 * A line of help where the results alone would puzzle: a query of stop words only, nothing
 * found (why, and the nearest completions), or date controls on a corpus without dates.
 */
function renderHelp (body, request) {
  const lines = []
  const undated = body.corpusHasDates === false
  const filtered = state.tags.length > 0 || state.source !== '' || state.from !== '' || state.to !== ''
  if (body.onlyStopWords) {
    lines.push(['Слова запроса служебные («и», «в», «на») или слишком короткие — такие не ищутся. Добавьте слово, которое важно для поиска.'])
  } else if (body.total === 0 && undated && (state.from || state.to)) {
    lines.push(['У документов нет дат, поэтому за период ничего не найти. ', helpButton('Искать без периода', { from: '', to: '' })])
  } else if (body.total === 0 && filtered) {
    lines.push(['С выбранными фильтрами ничего нет. ', helpButton('Искать без фильтров', { tags: [], source: '', from: '', to: '' })])
  }
  if (body.total > 0 && undated && state.sort === 'date') lines.push(['У документов нет дат: показаны по релевантности.'])
  $('#help').replaceChildren(...lines.map(parts => element('p', {}, ...parts)))
  if (body.total === 0 && !body.onlyStopWords && !filtered) void suggestNearest(body.query, request)
}

function helpButton (text, change) {
  const button = element('button', { type: 'button', className: 'link-button' }, text)
  button.addEventListener('click', () => navigate(change))
  return button
}

/** Nothing found: the nearest completions of the query's last word, or a general hint. */
async function suggestNearest (query, request) {
  let suggestions = []
  try {
    const response = await fetch(`/suggest?${new URLSearchParams({ q: query, limit: '5' })}`)
    if (response.ok) suggestions = (await response.json()).suggestions ?? []
  } catch {}
  if (request !== searchRequest) return
  const others = suggestions.filter(suggestion => suggestion.text.trim() !== query.trim())
  const line = others.length === 0
    ? element('p', {}, 'Проверьте написание или попробуйте другие слова.')
    : element('p', {}, 'Возможно, вы искали: ', ...others.flatMap((suggestion, at) => [at > 0 ? ', ' : '', helpButton(suggestion.text, { q: suggestion.text })]))
  $('#help').replaceChildren(line)
}

/** The documents holding every word first: «any word» alone counts every partial match of a common word. */
function foundCount ({ total, totalAllWords }) {
  const count = n => n.toLocaleString('ru-RU')
  if (!(totalAllWords > 0) || totalAllWords === total) return count(total)
  return `${count(totalAllWords)} со всеми словами (${count(total)} с любым)`
}

function renderHit (hit, body = {}) {
  const link = element('a', { href: documentHref(hit) })
  link.innerHTML = hit.titleHtml // server-escaped, only <mark> added
  const meta = [hit.date ? formatDate(hit.date) : '', hit.source ?? '', shownTags(hit, body).join(', ')].filter(Boolean).join(' · ')
  const snippet = element('p', { className: 'snippet' })
  snippet.innerHTML = hit.snippet // server-escaped, only <mark> added
  return element('li', {}, element('h3', {}, link), meta ? element('p', { className: 'meta' }, meta) : '', snippet, ...duplicatesOf(hit))
}

/** The tags naming the query first, then the most specific of those the results share (page-text.js). */
function shownTags (hit, body) {
  const queryWords = [body.query ?? state.q, body.interpretedAs ?? '', ...markedWords(hit.titleHtml, hit.snippet)]
  return orderTags(hit.tags ?? [], queryWords, body.facets?.tags).slice(0, HIT_TAGS)
}

/** «ещё N копий»: the near-duplicates collapsed into this hit, listed when asked for. */
function duplicatesOf (hit) {
  const count = hit.duplicates?.count
  if (!(count > 0)) return []
  const button = element('button', { type: 'button', className: 'link-button duplicates' }, `ещё ${count} ${plural(count, ['копия', 'копии', 'копий'])}`)
  const copies = element('ul', { className: 'copies', hidden: true })
  button.setAttribute('aria-expanded', 'false')
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true'
    button.setAttribute('aria-expanded', String(open))
    copies.hidden = !open
    if (open && copies.childElementCount === 0) void fillCopies(copies, hit.duplicates.ids ?? [], count)
  })
  return [button, copies]
}

async function fillCopies (list, ids, count) {
  list.replaceChildren(element('li', {}, 'Загружаем…'))
  const documents = await Promise.all(ids.slice(0, MAX_COPIES_SHOWN).map(async id => {
    try {
      const response = await fetch(`/documents/${encodeURIComponent(id)}`)
      return response.ok ? await response.json() : { id }
    } catch {
      return { id }
    }
  }))
  const items = documents.map(doc => {
    const meta = [doc.date ? formatDate(doc.date) : '', doc.source ?? ''].filter(Boolean).join(' · ')
    return element('li', {}, element('a', { href: documentHref(doc) }, doc.title ?? doc.id), meta ? ` · ${meta}` : '')
  })
  if (count > documents.length) items.push(element('li', {}, `и ещё ${count - documents.length}`))
  list.replaceChildren(...items)
}

/** The server's TIME_ZONE (each /search answer names it): a date is shown as the day it was there, as filters and facets count it. */
let shownTimeZone = 'Europe/Moscow'

function formatDate (iso) {
  const date = new Date(iso)
  // A stored day (`2024-04-01`) is that day anywhere; an instant is shown in the server's zone.
  const timeZone = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? 'UTC' : shownTimeZone
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString('ru-RU', { day: 'numeric', month: 'long', year: 'numeric', timeZone })
}

function renderFacets ({ facets, facetsOver, total, totalAllWords, corpusHasDates }) {
  $('#filters').hidden = false
  // No document has a date: sorting by date and periods would silently change nothing.
  const dated = corpusHasDates !== false
  $('#sort-field').hidden = !dated
  $('#period').hidden = !dated
  $('#undated-note').hidden = dated
  // Say so when the counts leave out the partial matches that the «Найдено» line includes.
  $('#facets-over').hidden = !(facetsOver === 'allWords' && totalAllWords < total)
  const active = []
  for (const tag of state.tags) active.push(removeButton(`Тема: ${tag}`, { tags: state.tags.filter(t => t !== tag) }))
  if (state.source) active.push(removeButton(`Источник: ${state.source}`, { source: '' }))
  if (state.from || state.to) active.push(removeButton(`Период: ${state.from || '…'} — ${state.to || '…'}`, { from: '', to: '' }))
  $('#active-filters').replaceChildren(...active)
  $('#filters-toggle').textContent = active.length === 0 ? 'Фильтры' : `Фильтры (${active.length})`
  fillFacet('#facet-tags', (facets?.tags ?? []).filter(f => !state.tags.includes(f.value)), value => ({ tags: [...state.tags, value] }), v => v, 'темой')
  fillFacet('#facet-sources', facets?.sources ?? [], value => ({ source: value }), v => v, 'источником')
  fillFacet('#facet-months', facets?.months ?? [], value => ({ from: `${value}-01`, to: `${value}-${lastDay(value)}` }), formatMonth, 'месяцем')
}

function fillFacet (selector, values, change, label, what) {
  const section = $(selector)
  section.hidden = values.length === 0
  section.querySelector('ul').replaceChildren(...values.map(({ value, count }) => {
    const button = element('button', { type: 'button', ariaLabel: `Только с ${what} «${label(value)}» (${count})` }, label(value), ' ', element('span', { className: 'count' }, String(count)))
    button.addEventListener('click', () => navigate(change(value)))
    return element('li', {}, button)
  }))
}

function removeButton (text, change) {
  const button = element('button', { type: 'button', ariaLabel: `Убрать фильтр ${text}` }, `✕ ${text}`)
  button.addEventListener('click', () => navigate(change))
  return button
}

function lastDay (month) {
  const [year, number] = month.split('-').map(Number)
  return String(new Date(Date.UTC(year, number, 0)).getUTCDate()).padStart(2, '0')
}

function formatMonth (month) {
  const [year, number] = month.split('-').map(Number)
  return new Date(Date.UTC(year, number - 1, 1)).toLocaleDateString('ru-RU', { month: 'long', year: 'numeric', timeZone: 'UTC' })
}

function renderPages (total) {
  const pages = Math.min(Math.ceil(total / PAGE_SIZE), 1000)
  const nav = $('#pages')
  if (pages <= 1) return nav.replaceChildren()
  const first = Math.max(1, Math.min(state.page - 4, pages - 9))
  const buttons = []
  if (state.page > 1) buttons.push(pageButton(state.page - 1, '← Назад'))
  for (let page = first; page <= Math.min(pages, first + 9); page += 1) buttons.push(pageButton(page, String(page)))
  if (state.page < pages) buttons.push(pageButton(state.page + 1, 'Дальше →'))
  nav.replaceChildren(...buttons)
}

function pageButton (page, text) {
  const button = element('button', { type: 'button', ariaLabel: `Страница ${page}` }, text)
  if (page === state.page && /^\d+$/.test(text)) button.setAttribute('aria-current', 'page')
  // The clicked button is replaced with the new page's: focus goes to the results, not to <body>.
  button.addEventListener('click', async () => { await navigate({ page }); focusResults() })
  return button
}

function focusResults () {
  $('#results-heading').focus()
}

function element (tag, properties, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'ariaLabel') node.setAttribute('aria-label', value)
    else node[key] = value
  }
  node.append(...children)
  return node
}

// Suggestions: a combobox with a listbox popup (WAI-ARIA pattern), arrows to move, Enter to pick, Escape to close.

/** Forget pending and in-flight suggestions and close the list. */
function cancelSuggestions () {
  clearTimeout(suggestTimer)
  suggestRequest += 1
  closeSuggestions()
}

function scheduleSuggest () {
  clearTimeout(suggestTimer)
  suggestTimer = setTimeout(loadSuggestions, SUGGEST_DELAY_MS)
}

async function loadSuggestions () {
  const value = input.value
  const request = ++suggestRequest
  if (!/[\p{L}\p{N}]{2,}$/u.test(value)) return closeSuggestions()
  try {
    const response = await fetch(`/suggest?${new URLSearchParams({ q: value, limit: '8' })}`)
    if (!response.ok || request !== suggestRequest) return
    const { suggestions } = await response.json()
    if (request === suggestRequest) showSuggestions(suggestions)
  } catch {
    closeSuggestions()
  }
}

function showSuggestions (suggestions) {
  activeOption = -1
  input.removeAttribute('aria-activedescendant')
  if (suggestions.length === 0) return closeSuggestions()
  list.replaceChildren(...suggestions.map((suggestion, at) => {
    const option = element('li', { id: `suggestion-${at}`, role: 'option' }, suggestion.text, element('span', { className: 'count' }, String(suggestion.documents)))
    option.setAttribute('role', 'option')
    option.setAttribute('aria-selected', 'false')
    option.dataset.text = suggestion.text
    option.addEventListener('mousedown', event => { event.preventDefault(); pick(suggestion.text) })
    return option
  }))
  list.hidden = false
  input.setAttribute('aria-expanded', 'true')
}

function closeSuggestions () {
  list.hidden = true
  list.replaceChildren()
  activeOption = -1
  input.setAttribute('aria-expanded', 'false')
  input.removeAttribute('aria-activedescendant')
}

function moveActive (step) {
  const options = [...list.children]
  if (options.length === 0) return
  // Positions cycle through -1 (the text box itself) and every option.
  const positions = options.length + 1
  activeOption = ((activeOption + 1 + step) % positions + positions) % positions - 1
  options.forEach((option, at) => option.setAttribute('aria-selected', String(at === activeOption)))
  if (activeOption >= 0) input.setAttribute('aria-activedescendant', options[activeOption].id)
  else input.removeAttribute('aria-activedescendant')
}

function pick (text) {
  cancelSuggestions()
  void navigate({ q: text })
}

input.addEventListener('input', scheduleSuggest)
input.addEventListener('blur', () => setTimeout(closeSuggestions, 100))
input.addEventListener('keydown', event => {
  if (event.key === 'ArrowDown' && !list.hidden) { event.preventDefault(); moveActive(1) }
  else if (event.key === 'ArrowUp' && !list.hidden) { event.preventDefault(); moveActive(-1) }
  else if (event.key === 'Escape') {
    // Escape closes the list and keeps the query: Chromium's search field would clear itself,
    // losing what was typed. The field's ✕ button still clears it.
    event.preventDefault()
    cancelSuggestions()
  }
  else if (event.key === 'Enter' && activeOption >= 0) {
    event.preventDefault()
    pick(list.children[activeOption].dataset.text)
  }
})
form.addEventListener('submit', event => {
  event.preventDefault()
  cancelSuggestions()
  if (input.value.trim() !== '') void navigate({ q: input.value.trim() })
})
$('#filters-toggle').addEventListener('click', event => {
  const open = event.currentTarget.getAttribute('aria-expanded') !== 'true'
  event.currentTarget.setAttribute('aria-expanded', String(open))
  $('#filters').classList.toggle('open', open)
})
$('.skip-link').addEventListener('click', event => { event.preventDefault(); focusResults() })
$('#sort').addEventListener('change', event => navigate({ sort: event.target.value }))
$('#from').addEventListener('change', event => navigate({ from: event.target.value }))
$('#to').addEventListener('change', event => navigate({ to: event.target.value }))
window.addEventListener('popstate', () => { state = readState(); void runSearch() })

syncControls()
void runSearch()
