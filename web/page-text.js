// What the pages say and how they order what they show: Russian text for the server's error
// codes, plural forms, the tags shown on a hit and dates. Pure functions, no DOM: shared by
// app.js and article.js, and tested on their own (tests/server/page-text.test.ts).

/**
 * Russian text for every `code` that GET /search, /suggest and /documents/:id can answer.
 * A function gets the server's English message, to take a number from it.
 */
const ERROR_TEXT = {
  POISK_EMPTY_QUERY: () => 'Введите слово для поиска.',
  POISK_QUERY_TOO_LONG: message => {
    const [words, limit] = (message.match(/\d+/g) ?? [])
    return words !== undefined && limit !== undefined
      ? `Слишком длинный запрос: ${words} ${plural(Number(words), ['слово', 'слова', 'слов'])}, а ищется не больше ${limit}. Сократите запрос.`
      : 'Слишком длинный запрос: сократите его.'
  },
  POISK_ONLY_EXCLUSIONS: () => 'В запросе только исключённые слова (-слово, NOT слово): добавьте слово, которое нужно найти, например «ставка -ипотека».',
  POISK_BAD_DATE: () => 'Такого дня нет в календаре: проверьте даты периода.',
  POISK_BAD_DATE_RANGE: () => 'Начало периода позже его конца: поменяйте даты местами.',
  POISK_BAD_PARAMETER: () => 'В адресе страницы неверный параметр (номер страницы или число результатов): начните поиск заново.',
  FST_ERR_VALIDATION: () => 'Запрос не принят: он длиннее 500 знаков или в адресе неверный параметр.',
  POISK_URL_TOO_LONG: () => 'Слишком длинный адрес запроса: сократите запрос или уберите фильтры.',
  POISK_RATE_LIMITED: () => 'Слишком много запросов подряд: подождите немного и повторите.',
  POISK_OVERLOADED: () => 'Сервер перегружен: повторите через несколько секунд.',
  POISK_INDEX_NOT_READY: () => 'Поисковый индекс ещё загружается или недоступен: повторите через минуту.',
  POISK_NO_DOCUMENT: () => 'Такого документа нет: возможно, он удалён из индекса.'
}

/** The codes with a Russian text of their own. */
export const KNOWN_ERROR_CODES = Object.keys(ERROR_TEXT)

/**
 * A failed request told in Russian: `text` for the reader and, for an unknown code, the
 * server's own (English) message as `detail`.
 */
export function errorText ({ code, message = '', statusCode } = {}) {
  const known = code === undefined ? undefined : ERROR_TEXT[code]
  if (known !== undefined) return { text: known(message) }
  if (statusCode === undefined) return { text: 'Сервер не отвечает: проверьте соединение и повторите.', detail: message }
  return { text: 'Не удалось выполнить запрос.', detail: [statusCode, code, message].filter(Boolean).join(' ') }
}

/** Russian plural: forms for 1, 2–4 and 5+ (копия, копии, копий). */
export function plural (n, [one, few, many]) {
  const tens = Math.abs(n) % 100
  const units = tens % 10
  if (tens >= 11 && tens <= 14) return many
  if (units === 1) return one
  if (units >= 2 && units <= 4) return few
  return many
}

const normalize = text => text.toLowerCase().replace(/ё/g, 'е')
const wordsOf = text => normalize(text).split(/[^\p{L}\p{N}]+/u).filter(word => word.length >= 2)

/** The same word in another form, roughly: equal, or sharing all but a short ending (ракеты ~ ракета). */
function sameWord (a, b) {
  if (a === b) return true
  const shorter = Math.min(a.length, b.length)
  if (shorter < 4) return false
  let common = 0
  while (common < shorter && a[common] === b[common]) common += 1
  return common >= Math.max(4, shorter - 2)
}

/** The words the server marked in a hit's HTML (title and snippet): the forms that matched, corrections included. */
export function markedWords (...htmls) {
  const words = []
  for (const html of htmls) {
    for (const [, inner] of (html ?? '').matchAll(/<mark>(.*?)<\/mark>/g)) words.push(...wordsOf(inner.replace(/&[a-z#0-9]+;/g, ' ')))
  }
  return words
}

/**
 * A hit's tags in the order to show them: those naming a query word first, then those shared
 * by the results (the tag facet's counts), the rarer first: the most specific of the topics
 * this query is about. Tags outside the facet counts — on no other result, or too few to
 * count — come last, as given: a story about missile defence that also carries
 * «гомосексуализм» shows «про» and «ракета» before it, not the alphabet's first three.
 */
export function orderTags (tags, queryWords, facetCounts = []) {
  const words = queryWords.flatMap(wordsOf)
  const counts = new Map(facetCounts.map(({ value, count }) => [value, count]))
  const matchesQuery = tag => wordsOf(tag).some(part => words.some(word => sameWord(part, word)))
  const rank = tag => matchesQuery(tag) ? 0 : counts.has(tag) ? 1 : 2
  return tags
    .map((tag, at) => ({ tag, at, rank: rank(tag), count: counts.get(tag) ?? 0 }))
    .sort((a, b) => a.rank - b.rank || (a.rank === 1 ? a.count - b.count : 0) || a.at - b.at)
    .map(({ tag }) => tag)
}

/** A document's own URL when it is a web address: a corpus may hold anything, and `javascript:` must not become a link. */
export function webUrl (url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : undefined
}

/** Where a document opens: its original on the web when it has one, else its page here. */
export function documentHref ({ id, url }) {
  return webUrl(url) ?? `/article/${encodeURIComponent(id)}`
}

/** A stored date for reading: a bare day as that day wherever the reader is; a time in `timeZone` (default: the reader's). */
export function formatDay (iso, timeZone) {
  const bareDay = /^\d{4}-\d{2}-\d{2}$/.test(iso)
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const options = { day: 'numeric', month: 'long', year: 'numeric' }
  if (bareDay) return date.toLocaleDateString('ru-RU', { ...options, timeZone: 'UTC' })
  return date.toLocaleDateString('ru-RU', timeZone === undefined ? options : { ...options, timeZone })
}
