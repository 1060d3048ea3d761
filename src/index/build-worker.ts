/**
 * The entry point of a build child process (forked by `build-process.ts`): building a
 * large index takes seconds of CPU and a second copy of the index in memory, and neither
 * may stall or endanger the server answering searches. Talks to its parent over IPC:
 * one request in; progress, then `done` or `failed` out.
 *
 * SIGTERM stops the build between records (its temporary folder is removed). The
 * POISK_CRASH_AT environment variable names a build stage at which the process kills
 * itself with SIGKILL: a fault-injection hook for the crash tests, never set in production.
 */
import { createDefaultAnalyzer } from '../analysis/default-analyzer.js'
import { buildIndex, type BuildStage } from './build-index.js'
import type { BuildWorkerMessage, BuildWorkerStart } from './build-process.js'
import { lowerOwnPriority } from './process-priority.js'

const crashAt = process.env.POISK_CRASH_AT

function send (message: BuildWorkerMessage): void {
  process.send?.(message)
}

const controller = new AbortController()
// Ctrl-C on the server's terminal reaches this process too: stop cleanly either way.
process.once('SIGTERM', () => controller.abort())
process.once('SIGINT', () => controller.abort())
// A server killed outright cannot stop its build: losing the IPC channel means the same.
process.once('disconnect', () => controller.abort())

async function run (request: BuildWorkerStart): Promise<void> {
  // Before any worker thread starts: they inherit the main thread's priority.
  lowerOwnPriority(request.priority)
  if (controller.signal.aborted) {
    send({ type: 'failed', message: 'the build was stopped before it started', code: 'POISK_BUILD_ABORTED' })
    return
  }
  try {
    const result = await buildIndex({
      corpusPaths: request.corpusPaths,
      indexDir: request.indexDir,
      buildId: request.buildId,
      analyzer: createDefaultAnalyzer(),
      ...(request.timeZone === undefined ? {} : { timeZone: request.timeZone }),
      signal: controller.signal,
      progressIntervalMs: 250,
      onProgress: progress => send({ type: 'progress', progress }),
      onStage: (stage: BuildStage) => {
        if (stage === crashAt) process.kill(process.pid, 'SIGKILL')
        send({ type: 'stage', stage })
      }
    })
    send({ type: 'done', buildId: result.buildId, documents: result.manifest.documentCount })
  } catch (error) {
    const { message, code } = error as { message: string, code?: string }
    send({ type: 'failed', message, ...(code === undefined ? {} : { code }) })
    process.exitCode = 1
  }
  process.disconnect?.()
}

process.once('message', (request: BuildWorkerStart) => {
  void run(request)
})
