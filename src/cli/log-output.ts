/**
 * Where the server's log lines go: pino's JSON lines on stdout for log collectors, or on a
 * terminal (LOG_FORMAT=auto) readable lines by pino-pretty — one per request, as
 * `GET /search?q=… 200 3.1 ms`. Written synchronously, in this thread: nothing is lost when
 * the process exits, and no transport thread is started per cluster worker.
 */
import { PinoPretty } from 'pino-pretty'
import type { LogFormat } from '../config.js'
import { REQUEST_LOG_MESSAGE } from '../server/plugins/operations.js'

/** The stream for `format`, or undefined for pino's default JSON on stdout. */
export function logStreamFor (format: LogFormat, stdout: { isTTY?: boolean } = process.stdout): NodeJS.WritableStream | undefined {
  const pretty = format === 'pretty' || (format === 'auto' && stdout.isTTY === true)
  if (!pretty) return undefined
  return PinoPretty({
    colorize: stdout.isTTY === true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    ignore: 'pid,hostname,reqId,method,url,statusCode,ms',
    messageFormat: readableMessage
  })
}

/** Percent-encoded Cyrillic decoded for reading; control characters shown as «?», so a URL cannot forge a line. */
export function readableUrl (url: string): string {
  let decoded = url
  try {
    decoded = decodeURIComponent(url)
  } catch {}
  return decoded.replace(/\p{Cc}/gu, '?')
}

/** A request's line from its fields; other lines keep their message, with the request id when they have one. */
export function readableMessage (log: Record<string, unknown>, messageKey: string): string {
  const message = String(log[messageKey] ?? '')
  if (message === REQUEST_LOG_MESSAGE && typeof log.method === 'string') {
    return `${log.method} ${readableUrl(String(log.url))} ${String(log.statusCode)} ${String(log.ms)} ms`
  }
  return typeof log.reqId === 'string' ? `${message} [${log.reqId}]` : message
}
