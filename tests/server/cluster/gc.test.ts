import { describe, expect, it } from 'vitest'
import { workerExecArgv } from '../../../src/server/cluster/primary.js'

describe('workerExecArgv', () => {
  it('collects garbage on the worker\'s own thread when the workers fill the cores, by default', () => {
    expect(workerExecArgv('auto', 2, 2, [])).toEqual(['--single-threaded-gc'])
    expect(workerExecArgv('auto', 4, 2, ['--enable-source-maps'])).toEqual(['--enable-source-maps', '--single-threaded-gc'])
  })

  it('keeps V8\'s parallel collector while a core is left over, or when asked to', () => {
    expect(workerExecArgv('auto', 2, 4, ['--enable-source-maps'])).toEqual(['--enable-source-maps'])
    expect(workerExecArgv('parallel', 2, 2, [])).toEqual([])
  })

  it('collects on one thread when asked to, naming the flag once', () => {
    expect(workerExecArgv('single', 2, 8, [])).toEqual(['--single-threaded-gc'])
    expect(workerExecArgv('auto', 2, 2, ['--single-threaded-gc'])).toEqual(['--single-threaded-gc'])
  })
})
