/**
 * docs/RELEVANCE.md is written by two commands (`npm run eval`, `npm run eval:morph`) and
 * holds hand-written notes beside them: each command replaces only its own section, found
 * between its markers, and leaves the rest of the file as it is.
 */
import { readFile, writeFile } from 'node:fs/promises'

export interface SectionMarkers {
  begin: string
  end: string
}

/** `document` with the section between `markers` replaced by `section` (which carries them), or `section` added at `where` when there is none. */
export function replaceSection (document: string, markers: SectionMarkers, section: string, where: 'start' | 'end' = 'end'): string {
  const begin = document.indexOf(markers.begin)
  const end = document.indexOf(markers.end, begin)
  if (begin === -1 || end === -1) {
    if (document.trim() === '') return section
    return where === 'start' ? `${section.trimEnd()}\n\n${document.trimStart()}` : `${document.trimEnd()}\n\n${section}`
  }
  const after = document.slice(end + markers.end.length).replace(/^\n/, '')
  return `${document.slice(0, begin)}${section}${after}`
}

/** `section` wrapped in its markers, ending with a line feed. */
export function markedSection (markers: SectionMarkers, body: string): string {
  return `${markers.begin}\n${body.trim()}\n${markers.end}\n`
}

export async function writeSection (path: string, markers: SectionMarkers, section: string, where: 'start' | 'end' = 'end'): Promise<void> {
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return ''
    throw error
  })
  await writeFile(path, replaceSection(existing, markers, section, where))
}
