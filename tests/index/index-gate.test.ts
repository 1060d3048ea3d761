import { describe, expect, it } from 'vitest'
import { gateOf, IndexGate } from '../../src/index/index-gate.js'

/** A promise and the function that resolves it. */
function latch (): { promise: Promise<void>, open: () => void } {
  let open = (): void => {}
  const promise = new Promise<void>(resolve => { open = resolve })
  return { promise, open }
}

const settle = async (): Promise<void> => await new Promise(resolve => setImmediate(resolve))

describe('IndexGate', () => {
  it('lets readers read together', async () => {
    const gate = new IndexGate()
    const first = latch()
    const events: string[] = []
    const a = gate.read(async () => { events.push('a in'); await first.promise; events.push('a out') })
    const b = gate.read(async () => { events.push('b in') })
    await b
    expect(events).toEqual(['a in', 'b in'])
    first.open()
    await a
  })

  it('applies a change once the readers in flight are done, and not before', async () => {
    const gate = new IndexGate()
    const reading = latch()
    const events: string[] = []
    const search = gate.read(async () => { events.push('search starts'); await reading.promise; events.push('search ends') })
    const change = gate.write(() => { events.push('change applied'); return 'done' })
    await settle()
    expect(events).toEqual(['search starts'])
    reading.open()
    expect(await change).toBe('done')
    await search
    expect(events).toEqual(['search starts', 'search ends', 'change applied'])
  })

  it('holds back readers that come while a change waits, so a stream of searches cannot hold the change back', async () => {
    const gate = new IndexGate()
    const reading = latch()
    const events: string[] = []
    const first = gate.read(async () => { await reading.promise; events.push('first search ends') })
    const change = gate.write(() => { events.push('change applied') })
    const later = gate.read(async () => { events.push('later search reads') })
    await settle()
    expect(events).toEqual([])
    reading.open()
    await Promise.all([first, change, later])
    expect(events).toEqual(['first search ends', 'change applied', 'later search reads'])
    expect(gate.readersInFlight).toBe(0)
  })

  it('applies changes one at a time, in order, and opens again after one that failed', async () => {
    const gate = new IndexGate()
    const events: string[] = []
    const failing = gate.write(() => { throw new Error('disk full') })
    const next = gate.write(() => { events.push('second change') })
    await expect(failing).rejects.toThrow('disk full')
    await next
    await gate.read(async () => { events.push('search') })
    expect(events).toEqual(['second change', 'search'])
  })

  it('is one per index', () => {
    const index = {}
    expect(gateOf(index)).toBe(gateOf(index))
    expect(gateOf({})).not.toBe(gateOf(index))
  })
})
