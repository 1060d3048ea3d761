// The search page: a search box with suggestions, results with marked snippets, notices
// about how the query was read, facet filters and pages. Plain browser JavaScript talking
// to GET /search and GET /suggest; the state lives in the address bar, so every results
// page has a link and the back button works.

const PAGE_SIZE = 10
const SUGGEST_DELAY_MS = 120

const $ = (selector) => document.querySelector(selector)
const form = $('#search-form')
const input = $('#q')
const list = $('#suggestions')

/** The page state: query, filters, page. */
let state = readState()
let suggestTimer
let suggestRequest = 0
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
  void runSearch()
}

async function runSearch () {
  syncControls()
  if (state.q.trim() === '') return
  const params = stateParams({ limit: String(PAGE_SIZE), offset: String((state.page - 1) * PAGE_SIZE), facets: 'true' })
  $('#status').textContent = 'Ищем…'
  let body
  try {
    const response = await fetch(`/search?${params}`)
    body = await response.json()
    if (!response.ok) throw new Error(body.message ?? response.statusText)
  } catch (error) {
    $('#status').textContent = `Ошибка: ${error.message}`
    $('#results').replaceChildren()
    return
  }
  renderNotices(body)
  renderResults(body)
  renderFacets(body)
  renderPages(body.total)
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
  $('#results').replaceChildren(...body.hits.map(renderHit))
}

/** The documents holding every word first: «any word» alone counts every partial match of a common word. */
function foundCount ({ total, totalAllWords }) {
  const count = n => n.toLocaleString('ru-RU')
  if (!(totalAllWords > 0) || totalAllWords === total) return count(total)
  return `${count(totalAllWords)} со всеми словами (${count(total)} с любым)`
}

function renderHit (hit) {
  const link = element('a', { href: hit.url ?? `/documents/${encodeURIComponent(hit.id)}` })
  link.innerHTML = hit.titleHtml // server-escaped, only <mark> added
  const meta = [hit.date ? formatDate(hit.date) : '', hit.source ?? '', (hit.tags ?? []).slice(0, 3).join(', ')].filter(Boolean).join(' · ')
  const snippet = element('p', { className: 'snippet' })
  snippet.innerHTML = hit.snippet // server-escaped, only <mark> added
  return element('li', {}, element('h3', {}, link), meta ? element('p', { className: 'meta' }, meta) : '', snippet)
}

function formatDate (iso) {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString('ru-RU', { day: 'numeric', month: 'long', year: 'numeric' })
}

function renderFacets ({ facets, facetsOver, total, totalAllWords }) {
  $('#filters').hidden = false
  // Say so when the counts leave out the partial matches that the «Найдено» line includes.
  $('#facets-over').hidden = !(facetsOver === 'allWords' && totalAllWords < total)
  const active = []
  for (const tag of state.tags) active.push(removeButton(`Тема: ${tag}`, { tags: state.tags.filter(t => t !== tag) }))
  if (state.source) active.push(removeButton(`Источник: ${state.source}`, { source: '' }))
  if (state.from || state.to) active.push(removeButton(`Период: ${state.from || '…'} — ${state.to || '…'}`, { from: '', to: '' }))
  $('#active-filters').replaceChildren(...active)
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
  button.addEventListener('click', () => { navigate({ page }); window.scrollTo(0, 0) })
  return button
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
  suggestRequest += 1
  closeSuggestions()
  navigate({ q: text })
}

input.addEventListener('input', scheduleSuggest)
input.addEventListener('blur', () => setTimeout(closeSuggestions, 100))
input.addEventListener('keydown', event => {
  if (event.key === 'ArrowDown' && !list.hidden) { event.preventDefault(); moveActive(1) }
  else if (event.key === 'ArrowUp' && !list.hidden) { event.preventDefault(); moveActive(-1) }
  else if (event.key === 'Escape') closeSuggestions()
  else if (event.key === 'Enter' && activeOption >= 0) {
    event.preventDefault()
    pick(list.children[activeOption].dataset.text)
  }
})
form.addEventListener('submit', event => {
  event.preventDefault()
  suggestRequest += 1
  closeSuggestions()
  if (input.value.trim() !== '') navigate({ q: input.value.trim() })
})
$('#sort').addEventListener('change', event => navigate({ sort: event.target.value }))
$('#from').addEventListener('change', event => navigate({ from: event.target.value }))
$('#to').addEventListener('change', event => navigate({ to: event.target.value }))
window.addEventListener('popstate', () => { state = readState(); void runSearch() })

syncControls()
void runSearch()
