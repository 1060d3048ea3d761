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
    await yieldToEventLoop()
    sliceStart = performance.now()
  }
}

export { yieldToEventLoop }
