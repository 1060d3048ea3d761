import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { notices, type NoticeFields } from '../../src/cli/search-output.js'
import { runCli } from '../helpers/cli.js'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let indexDir: string

beforeAll(async () => {
  indexDir = await mkdtemp(join(tmpdir(), 'poisk-cli-search-'))
  const built = await runCli(['index', '--quiet', '--corpus', FIXTURE_CORPUS, '--index', indexDir])
  expect(built.code, built.stderr).toBe(0)
}, 120_000)

afterAll(async () => { await rm(indexDir, { recursive: true, force: true }) })

/** The ids of the hits, from the text output's `1. Title  [id, date] score …` lines. */
function hitIds (stdout: string): string[] {
  return [...stdout.matchAll(/^\d+\. .*\[([^,\]]+)/gm)].map(match => match[1] as string)
}

describe('poisk search', () => {
  it('prints the corrections made to the query under the count', async () => {
    const [layout, typo] = await Promise.all([
      runCli(['search', '--index', indexDir, 'kfdhjd']), // «лавров» typed on a Latin keyboard
      runCli(['search', '--index', indexDir, 'Лавроф'])
    ])
    expect(layout.code, layout.stderr).toBe(0)
    expect(layout.stdout.split('\n').slice(0, 2)).toEqual([expect.stringMatching(/^1 found for «kfdhjd»/), 'searched «лавров»: typed in the other keyboard layout'])
    expect(hitIds(layout.stdout)).toEqual(['n-2'])
    expect(typo.stdout.split('\n')[1]).toBe('corrected a typo: «Лавроф» → «Лавров»')
    expect(hitIds(typo.stdout)).toEqual(['n-2'])
  }, 120_000)

  it('narrows by --tag, --source, --from and --to, and orders by --sort date, as GET /search does', async () => {
    const everything = 'Турция Дуров ёлки Лавров'
    const [all, tagged, twoTags, source, from, to] = await Promise.all([
      runCli(['search', '--index', indexDir, everything]),
      runCli(['search', '--index', indexDir, '--tag', 'ТУРЦИЯ', everything]),
      runCli(['search', '--index', indexDir, '--tag', 'турция', '--tag', 'telegram', everything]),
      runCli(['search', '--index', indexDir, '--source', 'Example.ru', everything]),
      runCli(['search', '--index', indexDir, '--from', '2025-01-01', '--sort', 'date', everything]),
      runCli(['search', '--index', indexDir, '--to', '2024-12-31', '--sort', 'date', everything])
    ])
    expect(all.code, all.stderr).toBe(0)
    expect(new Set(hitIds(all.stdout))).toEqual(new Set(['n-1', 'n-2', 'n-3', 'n-4']))
    expect(hitIds(tagged.stdout)).toEqual(['n-2'])
    expect(twoTags.stdout).toMatch(/^0 found/)
    expect(hitIds(source.stdout)).toEqual(['n-1'])
    expect(hitIds(from.stdout)).toEqual(['n-2', 'n-1']) // 2025-04-01, then 2025-03-15
    expect(hitIds(to.stdout)).toEqual(['n-3', 'n-4']) // 2024-12-20, then 2019-07-12
  }, 120_000)

  it('gives the same filtered answer as JSON', async () => {
    const json = await runCli(['search', '--index', indexDir, '--json', '--tag', 'турция', 'Лавров Турция']) // n-4 holds «Турция» untagged
    expect(JSON.parse(json.stdout)).toMatchObject({ total: 1, hits: [{ id: 'n-2', tags: ['лавров', 'турция'] }] })
  }, 120_000)
})

describe('search notices', () => {
  const base: NoticeFields = { total: 3, allWordsMatched: true }

  it('tells each kind of correction, dropped quotes, a partial count and partial matches', () => {
    expect(notices({
      ...base,
      corrections: [
        { from: 'putin', to: 'путин', kind: 'transliteration' },
        { from: 'глава', to: 'руководитель', kind: 'synonym' }
      ],
      droppedPhrases: ['синий кит'],
      phraseChecked: 500,
      allWordsMatched: false
    })).toEqual([
      'also searched «путин» for «putin»',
      'also searched «руководитель», a synonym of «глава»',
      'quotes not applied to «синий кит»: searched as plain words',
      'phrases checked in the best 500 candidates only: the count is a lower bound',
      'no document holds every word: partial matches shown'
    ])
    expect(notices(base)).toEqual([])
  })
})
