import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { closeOnSignals, type RunningServer, type SignalTarget } from '../../src/server/serve.js'

/** A process stand-in: signals are emitted by the test, exits recorded. */
function fakeProcess (): SignalTarget & { emit: (signal: NodeJS.Signals) => void, exits: number[] } {
  const emitter = new EventEmitter()
  const exits: number[] = []
  return {
    on: (signal, listener) => emitter.on(signal, listener),
    emit: signal => { emitter.emit(signal, signal) },
    exit: code => { exits.push(code) },
    exits
  }
}

/** A server whose start the test finishes, and whose close it records. */
function startingServer (closeFails = false): { starting: Promise<RunningServer>, finishStart: () => void, failStart: () => void, closes: () => number } {
  let closes = 0
  const log = { info: () => {}, error: () => {} }
  const server = { app: { log }, close: async () => { closes += 1; if (closeFails) throw new Error('close failed') } } as unknown as RunningServer
  let finishStart = (): void => {}
  let failStart = (): void => {}
  const starting = new Promise<RunningServer>((resolve, reject) => {
    finishStart = () => resolve(server)
    failStart = () => reject(new Error('could not start'))
  })
  return { starting, finishStart, failStart, closes: () => closes }
}

const settle = async (): Promise<void> => await new Promise(resolve => setTimeout(resolve, 0))

describe('closeOnSignals', () => {
  it('closes and exits 0 on SIGTERM after the start', async () => {
    const target = fakeProcess()
    const { starting, finishStart, closes } = startingServer()
    closeOnSignals(starting, target)
    finishStart()
    await settle()
    target.emit('SIGTERM')
    await settle()
    expect([closes(), target.exits]).toEqual([1, [0]])
  })

  // serve listens before it loads: a supervisor stopping a replica mid-load sent SIGTERM to a
  // process with no handler yet, which died of it (the cluster primary then exited 1).
  it('takes a signal that comes while the start is still loading, and closes once it is over', async () => {
    const target = fakeProcess()
    const { starting, finishStart, closes } = startingServer()
    closeOnSignals(starting, target)
    target.emit('SIGINT')
    await settle()
    expect([closes(), target.exits]).toEqual([0, []])
    finishStart()
    await settle()
    expect([closes(), target.exits]).toEqual([1, [0]])
  })

  it('exits 1 at once on a second signal, and when closing fails', async () => {
    const target = fakeProcess()
    const { starting, closes } = startingServer()
    closeOnSignals(starting, target)
    target.emit('SIGTERM')
    target.emit('SIGTERM')
    expect([closes(), target.exits]).toEqual([0, [1]])

    const failing = fakeProcess()
    const broken = startingServer(true)
    closeOnSignals(broken.starting, failing)
    broken.finishStart()
    failing.emit('SIGTERM')
    await settle()
    expect(failing.exits).toEqual([1])
  })

  it('leaves a failed start to its caller', async () => {
    const target = fakeProcess()
    const { starting, failStart } = startingServer()
    closeOnSignals(starting, target)
    target.emit('SIGTERM')
    failStart()
    await expect(starting).rejects.toThrow('could not start')
    await settle()
    expect(target.exits).toEqual([])
  })
})
