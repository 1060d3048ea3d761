/**
 * Streams the lines of a byte stream, decoding each line as strict UTF-8.
 *
 * Splitting on the newline byte before decoding keeps one bad byte sequence confined to
 * its own line: that line is reported as invalid UTF-8 and the rest of the file is read,
 * where a lenient decoder would have silently put U+FFFD into the text.
 */
import type { Readable } from 'node:stream'
import { TextDecoder } from 'node:util'

export type Line =
  | { number: number, text: string }
  | { number: number, error: 'invalid-utf8' }

const NEWLINE = 0x0a

export async function * readLines (input: Readable): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
  let pending: Buffer[] = []
  let number = 0
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let start = 0
    let newline = chunk.indexOf(NEWLINE, start)
    while (newline !== -1) {
      pending.push(chunk.subarray(start, newline))
      number += 1
      yield decodeLine(decoder, Buffer.concat(pending), number)
      pending = []
      start = newline + 1
      newline = chunk.indexOf(NEWLINE, start)
    }
    if (start < chunk.length) pending.push(chunk.subarray(start))
  }
  const rest = Buffer.concat(pending)
  if (rest.length > 0) yield decodeLine(decoder, rest, number + 1)
}

function decodeLine (decoder: TextDecoder, bytes: Buffer, number: number): Line {
  try {
    return { number, text: decoder.decode(bytes).replace(/\r$/, '') }
  } catch {
    // TextDecoder's only failure in fatal mode is malformed input.
    return { number, error: 'invalid-utf8' }
  }
}
