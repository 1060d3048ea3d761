/** Versions of the libraries whose formats a saved index depends on. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)

function packageVersion (name: string): string {
  // Not every package exports its package.json; find it beside the resolved entry point.
  const entry = require.resolve(name)
  const root = entry.slice(0, entry.lastIndexOf(`node_modules/${name}/`) + `node_modules/${name}/`.length)
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
}

export const minisearchVersion = packageVersion('minisearch')
