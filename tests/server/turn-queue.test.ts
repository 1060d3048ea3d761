import { describe, expect, it } from 'vitest'
import { giveWayThrough, timeSlicer } from '../../src/index/time-slicer.js'
import { TurnQueue } from '../../src/server/turn-queue.js'

function busyWait (ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) { /* holds the event loop, as a search does */ }
}

/** Resolves after `iterations` turns of the event loop (each setImmediate is one). */
async function iterations (count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await new Promise(resolve => setImmediate(resolve))
}

/**
 * A request arriving each loop iteration, as Node accepts one connection per iteration while
 * clients queue; each iteration also moves `clock` by `msPerIteration`.
 */
function arrivingEachIteration (turns: TurnQueue, clock: { now: number }, msPerIteration = 0): { readonly iterations: number, stop: () => void } {
  let iterations = 0
  let arriving = true
  const arrive = (): void => {
    if (!arriving) return
    iterations += 1
    clock.now += msPerIteration
    turns.arrived()
    setImmediate(arrive)
  }
  turns.arrived()
  setImmediate(arrive)
  return { get iterations () { return iterations }, stop: () => { arriving = false } }
}

describe('TurnQueue', () => {
  it('starts the waiting searches in the order they came, one per loop iteration', async () => {
    const turns = new TurnQueue({ maxWaitMs: 0 })
    const events: string[] = []
    const search = async (name: string): Promise<void> => {
      expect(await turns.take()).toBe(true)
      events.push(name)
      // Due in the next iteration's timers phase (the search outlasts its 1 ms): before the
      // next search only if that one waits for a new iteration.
      setTimeout(() => events.push(`after ${name}`), 0)
      busyWait(3)
    }
    await Promise.all([search('a'), search('b'), search('c')])
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(events).toEqual(['a', 'after a', 'b', 'after b', 'c', 'after c'])
    expect(turns.length).toBe(0)
  })

  it('lets the loop go round while requests arrive, so that connections waiting to be accepted are read first', async () => {
    const clock = { now: 0 }
    const turns = new TurnQueue({ maxWaitMs: 0, now: () => clock.now })
    const arrivals = arrivingEachIteration(turns, clock)
    let granted = -1
    const waiting = turns.take().then(() => { granted = arrivals.iterations })
    await iterations(10)
    expect(granted).toBe(-1)
    arrivals.stop()
    await waiting
    expect(granted).toBeGreaterThanOrEqual(10)
  })

  it('gives way to arriving requests for a bounded number of iterations: a flood cannot starve searches', async () => {
    const clock = { now: 0 }
    const turns = new TurnQueue({ maxWaitMs: 0, now: () => clock.now })
    const arrivals = arrivingEachIteration(turns, clock)
    await turns.take()
    arrivals.stop()
    expect(arrivals.iterations).toBeGreaterThan(10)
    expect(arrivals.iterations).toBeLessThan(100)
  })

  it('gives way for a bounded time too: work done in slices meanwhile cannot hold searches back', async () => {
    const clock = { now: 0 }
    const turns = new TurnQueue({ maxWaitMs: 0, now: () => clock.now })
    // Each iteration a slice of 8 ms is also worked (a build loading).
    const arrivals = arrivingEachIteration(turns, clock, 8)
    await turns.take()
    arrivals.stop()
    expect(arrivals.iterations).toBeLessThanOrEqual(4)
  })

  it('starts a search at once when no request arrives', async () => {
    const turns = new TurnQueue({ maxWaitMs: 0 })
    let ticks = 0
    let granted = false
    const tick = (): void => { if (!granted) { ticks += 1; setImmediate(tick) } }
    setImmediate(tick)
    await turns.take()
    granted = true
    expect(ticks).toBeLessThanOrEqual(2)
  })

  it('refuses a new turn while the first in line has waited longer than maxWaitMs, and takes them again once the line moves', async () => {
    let now = 0
    const turns = new TurnQueue({ maxWaitMs: 1000, now: () => now })
    const first = turns.take()
    now = 1000
    const second = turns.take() // waited exactly the limit: still queued
    now = 1001
    expect(turns.longestWaitMs()).toBe(1001)
    expect(await turns.take()).toBe(false)
    expect(await first).toBe(true)
    expect(await second).toBe(true)
    expect(turns.length).toBe(0)
    expect(await turns.take()).toBe(true)
  })

  it('never refuses with maxWaitMs 0', async () => {
    let now = 0
    const turns = new TurnQueue({ maxWaitMs: 0, now: () => now })
    const first = turns.take()
    now = 1e9
    expect(await turns.take()).toBe(true)
    expect(await first).toBe(true)
  })

  it('lets a search go on at a pause while its slice lasts, and gives the loop a turn once it is spent', async () => {
    const clock = { now: 0 }
    const turns = new TurnQueue({ maxWaitMs: 0, sliceMs: 10, now: () => clock.now })
    await turns.take()
    let iterationPassed = false
    setImmediate(() => { iterationPassed = true })
    clock.now = 9
    await turns.pause()
    expect(iterationPassed).toBe(false)
    clock.now = 10
    await turns.pause()
    expect(iterationPassed).toBe(true)
    // The turn it waited for starts a new slice.
    iterationPassed = false
    setImmediate(() => { iterationPassed = true })
    clock.now = 15
    await turns.pause()
    expect(iterationPassed).toBe(false)
  })

  it('goes on with a search that gave way before starting one that waits', async () => {
    const clock = { now: 0 }
    const turns = new TurnQueue({ maxWaitMs: 0, sliceMs: 10, now: () => clock.now })
    const events: string[] = []
    let next: Promise<void> | undefined
    const long = (async () => {
      await turns.take()
      events.push('long starts')
      // A search comes in and waits for its turn while the long one works.
      next = (async () => { await turns.take(); events.push('next starts') })()
      clock.now += 50
      await turns.pause()
      events.push('long goes on')
    })()
    await long
    await next
    expect(events).toEqual(['long starts', 'long goes on', 'next starts'])
  })

  it('starts a new slice for work that goes on in a later loop iteration (after a read), without waiting for a turn', async () => {
    const clock = { now: 0 }
    const turns = new TurnQueue({ maxWaitMs: 0, sliceMs: 10, now: () => clock.now })
    await turns.take()
    clock.now = 50 // the turn's slice is long spent; then a read ends in a later iteration
    await iterations(2)
    let iterationPassed = false
    setImmediate(() => { iterationPassed = true })
    await turns.pause()
    expect(iterationPassed).toBe(false)
  })

  it('lets the searches that gave way go on one per grant, in the order they paused, each with a slice of its own', async () => {
    const clock = { now: 0 }
    const turns = new TurnQueue({ maxWaitMs: 0, sliceMs: 10, now: () => clock.now })
    await turns.take()
    clock.now = 50
    let iteration = 0
    let counting = true
    const count = (): void => { if (!counting) return; iteration += 1; setImmediate(count) }
    setImmediate(count)
    const wentOn: Array<[string, number]> = []
    await Promise.all(['a', 'b', 'c'].map(async name => { await turns.pause(); wentOn.push([name, iteration]) }))
    counting = false
    expect(wentOn.map(([name]) => name)).toEqual(['a', 'b', 'c'])
    const [a, b, c] = wentOn.map(([, at]) => at) as [number, number, number]
    expect(a).toBeLessThan(b)
    expect(b).toBeLessThan(c)
  })

  it('does not hold back a search that gave way while requests arrive: it waited its turn already', async () => {
    const clock = { now: 0 }
    const turns = new TurnQueue({ maxWaitMs: 0, sliceMs: 10, now: () => clock.now })
    await turns.take()
    const arrivals = arrivingEachIteration(turns, clock)
    clock.now = 50
    const before = arrivals.iterations
    await turns.pause()
    const waited = arrivals.iterations - before
    arrivals.stop()
    expect(waited).toBeLessThanOrEqual(2)
  })

  describe('background work (a build loading, giveWayThrough)', () => {
    /** Records, per loop iteration, what ran in it: `s` a search's turn or slice, `b` a background slice. */
    function iterationLog (): { log: string[][], mark: (what: string) => void, stop: () => void } {
      const log: string[][] = [[]]
      let going = true
      const next = (): void => { if (!going) return; log.push([]); setImmediate(next) }
      setImmediate(next)
      return { log, mark: what => (log.at(-1) as string[]).push(what), stop: () => { going = false } }
    }

    it('takes turns with searches: one slice per loop iteration, every other one while searches wait', async () => {
      const clock = { now: 0 }
      const turns = new TurnQueue({ maxWaitMs: 0, sliceMs: 10, now: () => clock.now })
      const { log, mark, stop } = iterationLog()
      const background = (async () => {
        for (let slice = 0; slice < 6; slice += 1) {
          await turns.backgroundTurn()
          mark('b')
        }
      })()
      const searches = ['1', '2', '3', '4'].map(async () => {
        await turns.take()
        mark('s')
        clock.now += 20 // its slice is spent: it gives way once
        await turns.pause()
        mark('s')
      })
      await Promise.all([background, ...searches])
      stop()
      const busy = log.filter(ran => ran.length > 0)
      // Never a search's slice and a background slice in the same turn of the loop.
      expect(busy.every(ran => ran.length === 1)).toBe(true)
      const order = busy.map(ran => ran[0]).join('')
      expect(order.match(/b/g)).toHaveLength(6)
      expect(order.match(/s/g)).toHaveLength(8)
      // While searches wait, the background has every other grant: never two of its slices in a row.
      expect(order.slice(0, order.lastIndexOf('s'))).not.toMatch(/bb/)
    })

    it('goes on every iteration when no search waits', async () => {
      const turns = new TurnQueue({ maxWaitMs: 0 })
      const { log, mark, stop } = iterationLog()
      for (let slice = 0; slice < 5; slice += 1) {
        await turns.backgroundTurn()
        mark('b')
      }
      stop()
      const busy = log.filter(ran => ran.length > 0)
      expect(busy).toHaveLength(5)
      expect(log.length - busy.length).toBeLessThanOrEqual(2) // no turn left idle between slices
    })

    it('is what time slices give way through once a server installs it, and not after', async () => {
      const turns = new TurnQueue({ maxWaitMs: 0 })
      let turnsTaken = 0
      const undo = giveWayThrough(async () => { turnsTaken += 1; await turns.backgroundTurn() })
      const pause = timeSlicer(0)
      await pause()
      await pause()
      expect(turnsTaken).toBe(2)
      undo()
      await pause()
      expect(turnsTaken).toBe(2)
    })
  })
})

