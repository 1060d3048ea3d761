import type { CorpusEvent } from '../../src/corpus/corpus-event.js'

export async function collect (events: AsyncIterable<CorpusEvent>): Promise<CorpusEvent[]> {
  const all: CorpusEvent[] = []
  for await (const event of events) all.push(event)
  return all
}

export function articlesOf (events: CorpusEvent[]) {
  return events.flatMap(event => event.type === 'article' ? [event.article] : [])
}

export function skipsOf (events: CorpusEvent[]) {
  return events.flatMap(event => event.type === 'skip' ? [{ line: event.location.line, reason: event.reason, file: event.location.file }] : [])
}
