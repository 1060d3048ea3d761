/**
 * Long work on the main thread done in slices, so that a serving process answers requests
 * meanwhile (a load, a live change's preparation). `timeSlicer` returns the pause to await
 * between pieces of work: at once while the current slice is shorter than `sliceMs`, else
 * after a turn of the event loop.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'

/** How long a slice of background work holds the event loop. */
export const SLICE_MS = 8

/** Awaited between two pieces of long work: the chance to give the event loop a turn (a search's is the server's TurnQueue#pause). */
export type Pause = () => Promise<void>

export function timeSlicer (sliceMs = SLICE_MS): Pause {
  let sliceStart = performance.now()
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return
    await giveWay()
    sliceStart = performance.now()
  }
}

/**
 * How a slice of background work gives way: by default, until the next turn of the event
 * loop. A server takes its searches' turns instead (server/turn-queue.ts): a loop turn then
 * runs one slice, a search's or the background's, not one of each. At 800,000 documents,
 * while a new build loaded beside 16 searching clients, a turn held a search's slice, the
 * load's and the collector's, and /health, which waits two or three turns, took up to 240 ms.
 */
let giveWay: () => Promise<void> = async () => { await yieldToEventLoop() }

/** Has background slices give way through `turn`; returns what undoes it (the way before comes back). */
export function giveWayThrough (turn: () => Promise<void>): () => void {
  const before = giveWay
  giveWay = turn
  return () => {
    if (giveWay === turn) giveWay = before
  }
}

/**
 * Array items a pass goes through between the points where it may pause: a millisecond's
 * work for optimised code. A broad query at 800,000 documents has half a million postings in
 * a word's body and as many matches, and one pass over them held the event loop for 30–40 ms.
 * Code not yet optimised (a build's first queries after a start) runs several times slower:
 * at 65,536 items a piece, a piece of the first queries held the loop for 50–60 ms.
 */
export const ITEMS_BETWEEN_PAUSES = 16_384

/**
 * Long work written as a generator that yields where it may pause: one body serves a caller
 * that must not hold the event loop (`runPausing`) and one that wants the result now (`runAtOnce`).
 */
export function runAtOnce<T> (work: Generator<unknown, T, undefined>): T {
  for (;;) {
    const step = work.next()
    if (step.done === true) return step.value
  }
}

/** Runs `work`, awaiting `pause` at each of its yields; a pause that throws closes the generator (its `finally` blocks run). */
export async function runPausing<T> (work: Generator<unknown, T, undefined>, pause: Pause): Promise<T> {
  try {
    for (;;) {
      const step = work.next()
      if (step.done === true) return step.value
      await pause()
    }
  } finally {
    work.return(undefined as never)
  }
}

/**
 * What is left of a long pass over an iterator, kept where several callers can go on with it
 * (a query that comes while another waits at a pause): `rest` is undefined once it is drained.
 */
export interface SharedPass<T> { rest: Iterator<T> | undefined }

/** Feeds `pass`'s items to `visit`, `size` at a time, yielding between pieces, until it is drained. */
export function * drainInPieces<T> (pass: SharedPass<T>, size: number, visit: (item: T) => void): Generator<void, void, void> {
  while (pass.rest !== undefined) {
    for (let done = 0; done < size; done += 1) {
      const next = pass.rest.next()
      if (next.done === true) {
        pass.rest = undefined
        return
      }
      visit(next.value)
    }
    yield
  }
}

export { yieldToEventLoop }
