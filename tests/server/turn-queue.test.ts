import { describe, expect, it } from 'vitest'
import { TurnQueue } from '../../src/server/turn-queue.js'

function busyWait (ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) { /* holds the event loop, as a search does */ }
}

/** Resolves after `iterations` turns of the event loop (each setImmediate is one). */
async function iterations (count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await new Promise(resolve => setImmediate(resolve))
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
    const turns = new TurnQueue({ maxWaitMs: 0 })
    let ticks = 0
    let granted = -1
    let arriving = true
    // One request each iteration, as Node accepts one connection per iteration while clients queue.
    const arrive = (): void => {
      if (!arriving) return
      ticks += 1
      turns.arrived()
      setImmediate(arrive)
    }
    turns.arrived()
    setImmediate(arrive)
    const waiting = turns.take().then(() => { granted = ticks })
    await iterations(10)
    expect(granted).toBe(-1)
    arriving = false
    await waiting
    expect(granted).toBeGreaterThanOrEqual(10)
  })

  it('gives way to arriving requests for a bounded number of iterations: a flood cannot starve searches', async () => {
    const turns = new TurnQueue({ maxWaitMs: 0 })
    let ticks = 0
    let granted = false
    const arrive = (): void => {
      if (granted) return
      ticks += 1
      turns.arrived()
      setImmediate(arrive)
    }
    setImmediate(arrive)
    await turns.take()
    granted = true
    expect(ticks).toBeGreaterThan(10)
    expect(ticks).toBeLessThan(100)
  })

  it('gives way for a bounded time too: work done in slices meanwhile cannot hold searches back', async () => {
    let now = 0
    const turns = new TurnQueue({ maxWaitMs: 0, now: () => now })
    let ticks = 0
    let granted = false
    // Each iteration a request arrives and a slice of 8 ms is worked (a build loading).
    const arrive = (): void => {
      if (granted) return
      ticks += 1
      now += 8
      turns.arrived()
      setImmediate(arrive)
    }
    setImmediate(arrive)
    await turns.take()
    granted = true
    expect(ticks).toBeLessThanOrEqual(4)
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
})
