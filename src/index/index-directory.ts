/**
 * The layout of an index folder and the atomic publish of a new build.
 *
 *   index/CURRENT              the live build's id (replaced by write-temp + rename)
 *   index/builds/<buildId>/    manifest.json, index.bin, docs.bin, duplicates.bin, suggest.bin
 *   index/.tmp-<buildId>/      a build being written; never read by a server
 *
 * A build is written under a temporary name, fsynced, renamed into `builds/`, and only
 * then named in CURRENT. A crash at any point leaves CURRENT naming a complete build (or
 * no build), and previous builds are kept as fallbacks.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncPath, renameDurably, writeFileDurably } from './durable-fs.js'

const CURRENT_FILE = 'CURRENT'
const BUILDS = 'builds'
const TEMP_PREFIX = '.tmp-'
const BUILD_ID = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/

export interface IndexDirectoryOptions {
  /** Published builds kept, the live one included. */
  keepBuilds: number
  /** Called once the build folder is in place, before CURRENT names it (crash tests). */
  onRenamed?: () => void
}

const defaultOptions: IndexDirectoryOptions = { keepBuilds: 3 }

/** Sortable by time, unique across processes: 20261129T174501123Z-1a2b3c. */
export function newBuildId (now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '')
  return `${stamp}-${randomBytes(3).toString('hex')}`
}

export function isBuildId (name: string): boolean {
  return BUILD_ID.test(name)
}

export function buildPath (indexDir: string, buildId: string): string {
  return join(indexDir, BUILDS, buildId)
}

/** Creates the temporary folder a build is written into. */
export async function createTempBuild (indexDir: string, buildId: string): Promise<string> {
  const dir = join(indexDir, `${TEMP_PREFIX}${buildId}`)
  await mkdir(join(indexDir, BUILDS), { recursive: true })
  await mkdir(dir)
  return dir
}

/** Moves a finished build into place and makes it the live one. */
export async function publishBuild (indexDir: string, tempDir: string, buildId: string, options: Partial<IndexDirectoryOptions> = {}): Promise<string> {
  const { keepBuilds, onRenamed } = { ...defaultOptions, ...options }
  await fsyncPath(tempDir)
  const finalDir = buildPath(indexDir, buildId)
  await renameDurably(tempDir, finalDir)
  onRenamed?.()
  await setCurrentBuild(indexDir, buildId)
  await pruneBuilds(indexDir, keepBuilds)
  return finalDir
}

/** Names the live build (also used to put back the previous one when a new build fails its checks). */
export async function setCurrentBuild (indexDir: string, buildId: string): Promise<void> {
  await writeFileDurably(join(indexDir, CURRENT_FILE), `${buildId}\n`)
}

/** The live build id, or undefined when nothing was published yet (or CURRENT is damaged: see `inspectCurrent`). */
export async function readCurrentBuildId (indexDir: string): Promise<string | undefined> {
  const current = await inspectCurrent(indexDir)
  return current.state === 'valid' ? current.buildId : undefined
}

export type CurrentState =
  | { state: 'missing' }
  | { state: 'valid', buildId: string, exists: boolean }
  | { state: 'damaged', text: string }

/** What CURRENT holds: nothing, a build id (and whether that build is there), or anything else. */
export async function inspectCurrent (indexDir: string): Promise<CurrentState> {
  let text: string
  try {
    text = await readFile(join(indexDir, CURRENT_FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' }
    throw error
  }
  const id = text.trim()
  if (!isBuildId(id)) return { state: 'damaged', text: text.slice(0, 80) }
  const exists = await stat(buildPath(indexDir, id)).then(info => info.isDirectory(), () => false)
  return { state: 'valid', buildId: id, exists }
}

/** Published build ids, newest first. */
export async function listBuilds (indexDir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(join(indexDir, BUILDS))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return names.filter(isBuildId).sort().reverse()
}

/** Removes the oldest builds beyond `keep`, never the live one. */
async function pruneBuilds (indexDir: string, keep: number): Promise<void> {
  const current = await readCurrentBuildId(indexDir)
  const stale = (await listBuilds(indexDir)).slice(keep).filter(id => id !== current)
  for (const id of stale) await rm(buildPath(indexDir, id), { recursive: true, force: true })
}

/**
 * Removes leftovers of builds that crashed or were killed before publishing. Only call
 * when no build is running in this folder (at start-up, or holding the build lock).
 */
export async function removeTempBuilds (indexDir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(indexDir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const temps = names.filter(name => name.startsWith(TEMP_PREFIX) || /\.tmp-\d+$/.test(name))
  for (const name of temps) await rm(join(indexDir, name), { recursive: true, force: true })
  return temps
}
