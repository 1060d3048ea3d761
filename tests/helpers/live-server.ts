/**
 * An app over a live index whose change log is a `FaultyLogFile` (faulty-log-file.ts) the test
 * can fill up or break: the set-up of the HTTP tests of live changes (bulk, durability).
 */
import { onTestFinished } from 'vitest'
import type { Analyzer } from '../../src/analysis/analyzer.js'
import type { OperationsOptions } from '../../src/server/plugins/operations.js'
import { buildIndex } from '../../src/index/build-index.js'
import { IndexStore } from '../../src/live/index-store.js'
import { RebuildCoordinator } from '../../src/live/rebuild-coordinator.js'
import { WriteState } from '../../src/live/write-state.js'
import { buildApp } from '../../src/server/app.js'
import { faultyFiles, type FaultyLogFile } from './faulty-log-file.js'

export interface LiveServerOptions {
  indexDir: string
  corpusDir: string
  analyzer: Analyzer
  /** ADMIN_TOKEN; without one the write routes are not registered. */
  token?: string
  operations?: Partial<OperationsOptions>
  /** How often a process that could not write probes whether it can again. */
  probeIntervalMs?: number
}

const silent = { info: () => {}, warn: () => {}, error: () => {} }

export async function liveServerOn (options: LiveServerOptions): Promise<{ app: Awaited<ReturnType<typeof buildApp>>, file: FaultyLogFile, close: () => Promise<void> }> {
  const { indexDir, corpusDir, analyzer, token } = options
  const files = faultyFiles()
  const store = new IndexStore(undefined, { retireAfterMs: 10 })
  const coordinator = new RebuildCoordinator({
    indexDir,
    corpusPaths: [corpusDir],
    analyzer,
    store,
    logger: silent,
    watchIntervalMs: 0,
    changeLogFile: files.openFile,
    writeState: new WriteState(indexDir, { probeIntervalMs: options.probeIntervalMs ?? 60_000 }),
    // Rebuilds in this process: a test's rebuild does not wait on a child's start-up.
    runBuild: async job => ({ buildId: (await buildIndex({ ...job, analyzer })).buildId })
  })
  await coordinator.start()
  const app = await buildApp({
    store,
    writeState: coordinator.writeState,
    ...(options.operations === undefined ? {} : { operations: options.operations }),
    ...(token === undefined ? {} : { admin: { token, coordinator } })
  })
  const close = async (): Promise<void> => {
    await app.close()
    await coordinator.close()
    await store.close()
  }
  onTestFinished(close)
  return { app, file: files.last(), close }
}
