/**
 * Sorting numbers with a payload, in linear time and typed arrays: what the near-duplicate
 * grouping and the live band table sort (hundreds of thousands to millions of LSH keys),
 * where a comparison sort or a Map per key was slower and, past V8's 2^24 Map entries, failed.
 */

import { runAtOnce } from './time-slicer.js'

const DIGIT_BITS = 15
const DIGITS = 1 << DIGIT_BITS

/** Elements counted or moved between the points where a sliced sort may pause. */
const ELEMENTS_BETWEEN_PAUSES = 1 << 18

/**
 * `keys` (each below 2^30) ascending, with `values` moved alongside: a stable LSD radix sort
 * of two 15-bit digits. The inputs are left as they were.
 */
export function sortByKey (keys: Uint32Array, values: Uint32Array): { keys: Uint32Array, values: Uint32Array } {
  return runAtOnce(sortingByKey(keys, values))
}

/**
 * `sortByKey` as a generator that yields every few hundred thousand elements, where a caller
 * that must not hold the event loop (a live server's first change at 800,000 documents sorts
 * 12.8 million band keys, ~2 s) gives it a turn.
 */
export function * sortingByKey (keys: Uint32Array, values: Uint32Array): Generator<undefined, { keys: Uint32Array, values: Uint32Array }> {
  if (keys.length !== values.length) throw new Error('keys and values differ in length')
  let fromKeys: Uint32Array = keys
  let fromValues: Uint32Array = values
  let toKeys: Uint32Array = new Uint32Array(keys.length)
  let toValues: Uint32Array = new Uint32Array(keys.length)
  yield // a large array is zeroed as it is made: tens of milliseconds at millions of keys
  for (let shift = 0; shift < 2 * DIGIT_BITS; shift += DIGIT_BITS) {
    const starts = new Uint32Array(DIGITS + 1)
    for (let at = 0; at < fromKeys.length; at += 1) {
      const key = fromKeys[at] as number
      if (key >= 2 ** (2 * DIGIT_BITS)) throw new Error(`a key of more than ${2 * DIGIT_BITS} bits: ${key}`)
      const slot = ((key >>> shift) & (DIGITS - 1)) + 1
      starts[slot] = (starts[slot] as number) + 1
      if (at % ELEMENTS_BETWEEN_PAUSES === ELEMENTS_BETWEEN_PAUSES - 1) yield
    }
    for (let digit = 0; digit < DIGITS; digit += 1) starts[digit + 1] = (starts[digit + 1] as number) + (starts[digit] as number)
    for (let at = 0; at < fromKeys.length; at += 1) {
      const key = fromKeys[at] as number
      const digit = (key >>> shift) & (DIGITS - 1)
      const to = starts[digit] as number
      starts[digit] = to + 1
      toKeys[to] = key
      toValues[to] = fromValues[at] as number
      if (at % ELEMENTS_BETWEEN_PAUSES === ELEMENTS_BETWEEN_PAUSES - 1) yield
    }
    // The first pass must not write into the caller's arrays: it fills fresh ones, then the two sets swap.
    if (shift === 0) {
      fromKeys = toKeys
      fromValues = toValues
      toKeys = new Uint32Array(keys.length)
      toValues = new Uint32Array(keys.length)
      yield
    } else {
      ;[fromKeys, toKeys] = [toKeys, fromKeys]
      ;[fromValues, toValues] = [toValues, fromValues]
    }
  }
  return { keys: fromKeys, values: fromValues }
}
