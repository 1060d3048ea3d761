/**
 * The heap in use after a full garbage collection, for tests that check what a structure keeps
 * alive. `gc` is exposed at run time, so the tests need no node flag.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

export function heapUsedAfterGc (): number {
  collectGarbage()
  return process.memoryUsage().heapUsed
}

/** A unique word of `length` Cyrillic letters for each `n` (n in base 32, padded with «я»). */
export function uniqueWord (n: number, length: number): string {
  let word = ''
  for (let rest = n; rest > 0 || word.length === 0; rest = Math.floor(rest / 32)) word += String.fromCharCode(0x430 + (rest % 32))
  return word.padEnd(length, 'я')
}
