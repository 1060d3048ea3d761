import { describe, expect, it } from 'vitest'
import { drainInPieces, runAtOnce, runPausing, timeSlicer, type SharedPass } from '../../src/index/time-slicer.js'

describe('drainInPieces', () => {
  it('feeds the items a piece at a time, yielding between pieces, and leaves the pass drained', () => {
    const pass: SharedPass<number> = { rest: [1, 2, 3, 4, 5][Symbol.iterator]() }
    const seen: number[] = []
    const steps = drainInPieces(pass, 2, item => seen.push(item))
    expect(steps.next().done).toBe(false)
    expect(seen).toEqual([1, 2])
    expect(steps.next().done).toBe(false)
    expect(seen).toEqual([1, 2, 3, 4])
    expect(steps.next().done).toBe(true)
    expect(seen).toEqual([1, 2, 3, 4, 5])
    expect(pass.rest).toBeUndefined()
  })

  it('lets a second caller go on with a pass the first left halfway, each item fed once', () => {
    const pass: SharedPass<number> = { rest: [1, 2, 3, 4, 5, 6][Symbol.iterator]() }
    const first: number[] = []
    const second: number[] = []
    const firstSteps = drainInPieces(pass, 2, item => first.push(item))
    firstSteps.next() // the first caller waits at its pause
    const secondSteps = drainInPieces(pass, 2, item => second.push(item))
    while (secondSteps.next().done !== true);
    expect(firstSteps.next().done).toBe(true) // nothing left when it resumes
    expect([first, second]).toEqual([[1, 2], [3, 4, 5, 6]])
  })
})

describe('timeSlicer', () => {
  it('goes on at once within its slice, and after a turn of the event loop once the slice is spent', async () => {
    let turned = false
    const pause = timeSlicer(1_000)
    setImmediate(() => { turned = true })
    await pause()
    expect(turned).toBe(false)
    const spent = timeSlicer(0)
    await new Promise(resolve => setTimeout(resolve, 2))
    setImmediate(() => { turned = true })
    await spent()
    expect(turned).toBe(true)
  })
})

describe('runAtOnce and runPausing', () => {
  function * counting (log: string[]): Generator<void, number, undefined> {
    try {
      for (let step = 1; step <= 3; step += 1) {
        log.push(`step ${step}`)
        yield
      }
      return 42
    } finally {
      log.push('closed')
    }
  }

  it('give the generator\'s result, runPausing awaiting the pause at each yield', async () => {
    expect(runAtOnce(counting([]))).toBe(42)
    const log: string[] = []
    expect(await runPausing(counting(log), async () => { log.push('pause') })).toBe(42)
    expect(log).toEqual(['step 1', 'pause', 'step 2', 'pause', 'step 3', 'pause', 'closed'])
  })

  it('close the generator when a pause throws, so its cleanup runs', async () => {
    const log: string[] = []
    await expect(runPausing(counting(log), async () => { throw new Error('gone') })).rejects.toThrow('gone')
    expect(log).toEqual(['step 1', 'closed'])
  })
})
