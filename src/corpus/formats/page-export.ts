/**
 * The plain-text export of a news page: the headline on the first line, body paragraphs,
 * then the site's feed blocks («Читайте также:», «Лента новостей») listing other headlines.
 * The feed lists are not part of the article: each listed headline becomes a headline
 * document of its own (title only), identified by its text so repeats across pages merge.
 */
import { contentHash, headlineArticle, type Article } from '../article.js'
import { skipEvent, type CorpusEvent } from '../corpus-event.js'
import { openInput, type BytesListener } from '../open-input.js'
import { readLines } from '../read-lines.js'

/** Lines that open a feed block; everything after the first of them is feed. */
const FEED_MARKERS = /^(читайте также|лента новостей|последние новости|другие новости|новости по теме|по теме)\s*:?$/i
const LIST_BULLET = /^[-–—•*·]\s*/

interface NumberedLine {
  number: number
  text: string
}

export async function * readPageExport (file: string, onBytes?: BytesListener): AsyncGenerator<CorpusEvent> {
  const lines: NumberedLine[] = []
  for await (const line of readLines(await openInput(file, onBytes))) {
    if ('error' in line) {
      yield skipEvent(file, line.number, 'invalid-utf8', 'line is not valid UTF-8')
      continue
    }
    const text = line.text.trim()
    if (text !== '') lines.push({ number: line.number, text })
  }
  yield * pageEvents(file, lines)
}

function * pageEvents (file: string, lines: NumberedLine[]): Generator<CorpusEvent> {
  const feedStart = lines.findIndex(line => FEED_MARKERS.test(line.text))
  const page = feedStart === -1 ? lines : lines.slice(0, feedStart)
  const feed = feedStart === -1 ? [] : lines.slice(feedStart).filter(line => !FEED_MARKERS.test(line.text))
  const [headline, ...paragraphs] = page
  if (headline === undefined) {
    if (feed.length === 0) yield skipEvent(file, 1, 'missing-title', 'the page is empty')
  } else {
    yield { type: 'article', article: pageArticle(headline.text, paragraphs), location: { file, line: headline.number } }
  }
  for (const item of feed) {
    const title = item.text.replace(LIST_BULLET, '')
    if (title !== '') yield { type: 'article', article: headlineArticle(title), location: { file, line: item.number } }
  }
}

function pageArticle (title: string, paragraphs: NumberedLine[]): Article {
  const body = paragraphs.map(line => line.text).join('\n')
  return { id: `p-${contentHash(`${title}\n${body}`)}`, kind: 'article', title, body, tags: [] }
}
