import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { evalMorphCommand } from '../../src/cli/eval-morph-command.js'
import { ConlluFormatError, parseConlluLine, readConllu, type TreebankWord } from '../../src/eval/conllu.js'
import { compareFalseMerges, evaluateMorphology, sampleTypes, scores, snowballIndexedTerms, snowballWordTerms, type MorphEvaluation, type WordType } from '../../src/eval/morph.js'
import { checkMorphFigures, formatMorphSection, morphFigures, readMorphFigures, replaceSection, SECTION_BEGIN, SECTION_END } from '../../src/eval/morph-report.js'
import { evaluateWords, UD_GSD_FILES, type MorphSystem } from '../../src/eval/run-morph.js'

const FIXTURE = new URL('../fixtures/ud/tiny.conllu', import.meta.url).pathname

async function readAll (path: string): Promise<TreebankWord[]> {
  const words: TreebankWord[] = []
  for await (const word of readConllu(path)) words.push(word)
  return words
}

let dir: string
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'poisk-morph-')) })
afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

describe('CoNLL-U reader', () => {
  it('yields one word per word line, skipping comments, breaks, multiword tokens and empty nodes', async () => {
    const words = await readAll(FIXTURE)
    expect(words.map(word => word.form)).toEqual(['Он', 'стал', 'читать', 'статьи', 'о', 'Ивановой', '.', 'Ёлки', 'растут', ',', 'а', 'Ваня', 'нет', '.', 'Статья', 'станет', 'ёлкой', '.'])
    expect(words[5]).toEqual({ form: 'Ивановой', lemma: 'Иванова', upos: 'PROPN' })
    expect(words.some(word => word.form === 'о Ивановой' || word.form === 'растёт')).toBe(false)
  })

  it('reads gzip by its magic bytes', async () => {
    const path = join(dir, 'tiny.conllu.gz')
    await writeFile(path, gzipSync(await readFile(FIXTURE)))
    expect(await readAll(path)).toEqual(await readAll(FIXTURE))
  })

  it('refuses a line that is not CoNLL-U, naming file and line', () => {
    expect(() => parseConlluLine('1\tслово\tслово', 'x.conllu', 7)).toThrow(ConlluFormatError)
    expect(() => parseConlluLine('1\tслово\tслово', 'x.conllu', 7)).toThrow('x.conllu:7: 3 columns')
    expect(() => parseConlluLine('a\tb\tc\tNOUN\t_\t_\t_\t_\t_\t_', 'x.conllu', 8)).toThrow('word id «a»')
  })
})

describe('the sample', () => {
  it('keeps distinct (form, lemma) types of content words written in Cyrillic, case and ё folded', () => {
    const word = (form: string, lemma: string, upos: string): TreebankWord => ({ form, lemma, upos })
    const types = sampleTypes([
      word('Ёлки', 'ёлка', 'NOUN'), word('елки', 'елка', 'NOUN'), // one type once folded
      word('был', 'быть', 'AUX'), word('этот', 'этот', 'DET'), // classes left out
      word('2018', '2018', 'NUM'), word('iPhone', 'iPhone', 'PROPN'), word('г.', 'год', 'NOUN'), // not Cyrillic words
      word('северо-западный', 'северо-западный', 'ADJ'),
      word('первый', 'первый', 'ADJ'), word('первый', 'первый', 'NUM'), word('первый', 'первый', 'ADJ')
    ])
    expect(types).toEqual([
      { form: 'елки', lemma: 'елка', upos: 'NOUN' },
      { form: 'северо-западный', lemma: 'северо-западный', upos: 'ADJ' },
      { form: 'первый', lemma: 'первый', upos: 'ADJ' } // its most frequent class
    ])
  })

  it('Snowball baselines: the whole word, or split and without stop words as the relevance baseline indexes', () => {
    expect(snowballWordTerms('Ёлки')).toEqual(['елк'])
    expect(snowballWordTerms('северо-западный')).toEqual(['северо-западн'])
    expect(snowballIndexedTerms('северо-западный')).toEqual(['север', 'западн'])
    expect(snowballWordTerms('было')).toEqual(['был'])
    expect(snowballIndexedTerms('было')).toEqual([])
  })
})

/**
 * Six types, three lemmas. System A joins стал, станет, статья, статье under `стат` (the
 * issue's false merge) and splits идти into `ид` and `шел`.
 */
const HAND_TYPES: WordType[] = [
  { form: 'стал', lemma: 'стать', upos: 'VERB' },
  { form: 'станет', lemma: 'стать', upos: 'VERB' },
  { form: 'статья', lemma: 'статья', upos: 'NOUN' },
  { form: 'статье', lemma: 'статья', upos: 'NOUN' },
  { form: 'иду', lemma: 'идти', upos: 'VERB' },
  { form: 'шел', lemma: 'идти', upos: 'VERB' }
]
const termsA: Record<string, string[]> = { стал: ['стат', 'стан'], станет: ['стат', 'стан'], статья: ['стат'], статье: ['стат'], иду: ['ид'], шел: ['шел'] }
const termsB: Record<string, string[]> = { стал: ['ста'], станет: ['ста'], статья: ['стат'], статье: ['стат'], иду: ['ид'], шел: ['ста'] }
const systemA = (form: string): string[] => termsA[form] ?? []
const systemB = (form: string): string[] => termsB[form] ?? []

describe('pair metrics', () => {
  const a = evaluateMorphology('a', HAND_TYPES, systemA)

  it('counts gold, term-sharing and correct pairs once each (стал–станет share two terms)', () => {
    // gold: стал–станет, статья–статье, иду–шел; shared: the 6 pairs among the `стат` four, 2 of them gold
    expect(a.overall).toEqual({ gold: 3, system: 6, correct: 2 })
    const overall = scores(a.overall)
    expect(overall.precision).toBeCloseTo(1 / 3)
    expect(overall.recall).toBeCloseTo(2 / 3)
    expect(overall.f1).toBeCloseTo(4 / 9)
  })

  it('counts a pair in the class of each of its types', () => {
    // VERB: gold стал–станет, иду–шел; shared стал–станет and the 4 VERB–NOUN pairs
    expect(a.byClass.get('VERB')).toEqual({ gold: 2, system: 5, correct: 1 })
    expect(a.byClass.get('NOUN')).toEqual({ gold: 1, system: 5, correct: 1 })
    expect(a.byClass.get('ADJ')).toEqual({ gold: 0, system: 0, correct: 0 })
    expect(scores({ gold: 0, system: 0, correct: 0 })).toEqual({ precision: undefined, recall: undefined, f1: undefined })
  })

  it('lists false merges per term and splits per lemma', () => {
    expect(a.falseMerges).toEqual([{ term: 'стат', wrongPairs: 4, lemmas: [{ lemma: 'стать', forms: ['стал', 'станет'] }, { lemma: 'статья', forms: ['статья', 'статье'] }] }])
    expect(a.splits).toEqual([{ lemma: 'идти', forms: 2, missedPairs: 1, parts: [{ terms: ['ид'], forms: ['иду'] }, { terms: ['шел'], forms: ['шел'] }] }])
  })

  it('finds the wrong pairs one system makes and the other does not', () => {
    const b = evaluateMorphology('b', HAND_TYPES, systemB)
    // B keeps статья apart but joins шел with стал and станет under `ста`: 2 wrong pairs A does not make
    expect(b.overall).toEqual({ gold: 3, system: 4, correct: 2 })
    const difference = compareFalseMerges(HAND_TYPES, a, b)
    expect(difference.onlyFirst).toBe(4)
    expect(difference.onlySecond).toBe(2)
    expect(difference.groups).toEqual([{
      terms: 'стат',
      pairs: 4,
      lemmaPairs: [{ lemmas: ['стать', 'статья'], pairs: 4, forms: ['стал', 'статья'] }]
    }])
  })
})

const HAND_SYSTEMS: MorphSystem[] = [
  { name: 'poisk', description: 'system A', create: () => systemA },
  { name: 'snowball', description: 'system B', create: () => systemB }
]

describe('report and --check', () => {
  const words = HAND_TYPES.map(type => ({ form: type.form, lemma: type.lemma, upos: type.upos }))
  const result = { files: ['a.conllu.gz'], ...evaluateWords(words, HAND_SYSTEMS) }
  const section = formatMorphSection(result, { command: 'npm run eval:morph', top: 20, date: '2026-01-01' })

  it('records poisk\'s figures in the section and reads them back', () => {
    expect(section.startsWith(SECTION_BEGIN)).toBe(true)
    expect(section).toContain('| poisk | 33.3 | 66.7 | 44.4 |')
    expect(readMorphFigures(section, 'doc.md')).toEqual({ precision: 33.33, recall: 66.67 })
    expect(() => readMorphFigures('# Relevance\n', 'doc.md')).toThrow('doc.md records no morphology figures')
  })

  it('replaces its own section and leaves the rest of the file', () => {
    const document = `# Relevance\n\ntable\n\n${SECTION_BEGIN}\nold\n${SECTION_END}\n\n## After\n`
    expect(replaceSection(document, section)).toBe(`# Relevance\n\ntable\n\n${section}\n## After\n`)
    expect(replaceSection('# Relevance\n\ntable\n', section)).toBe(`# Relevance\n\ntable\n\n${section}`)
    expect(replaceSection(replaceSection('# Relevance\n', section), section)).toBe(replaceSection('# Relevance\n', section))
  })

  it('passes at the recorded figures and up to half a point below, fails further below', () => {
    const recorded = morphFigures(result.systems[0] as MorphEvaluation)
    expect(checkMorphFigures(recorded, recorded)).toEqual([])
    expect(checkMorphFigures({ precision: recorded.precision - 0.5, recall: recorded.recall - 0.5 }, recorded)).toEqual([])
    const failures = checkMorphFigures({ precision: recorded.precision - 0.51, recall: recorded.recall + 1 }, recorded)
    expect(failures).toEqual(["poisk's precision 32.82 is more than 0.5 point below the recorded 33.33"])
    expect(checkMorphFigures({ precision: 99, recall: 0 }, recorded)).toHaveLength(1)
  })
})

describe('poisk eval-morph', () => {
  let output: string
  beforeEach(() => {
    output = ''
    vi.spyOn(process.stdout, 'write').mockImplementation(chunk => { output += String(chunk); return true })
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  })
  afterEach(() => {
    vi.restoreAllMocks()
    process.exitCode = undefined
  })

  async function sharedWithFixture (): Promise<string> {
    const folder = join(dir, 'corpora', 'ud-russian-gsd')
    await mkdir(folder, { recursive: true })
    for (const file of UD_GSD_FILES) await writeFile(join(folder, file), gzipSync(await readFile(FIXTURE)))
    return dir
  }

  it('writes its section into a file, then --check passes at those figures and fails (exit 1) above them', async () => {
    const shared = await sharedWithFixture()
    const doc = join(dir, 'RELEVANCE.md')
    await writeFile(doc, '# Relevance\n\nrt table\n')
    await evalMorphCommand(['--shared', shared, '--write', doc])
    // Статья, статьи, стал, станет: poisk joins all four, so both precision and recall are real figures
    expect(output).toMatch(/\| poisk \| [1-9]\d*\.\d \| [1-9]\d*\.\d \|/)
    const written = await readFile(doc, 'utf8')
    expect(written).toContain(`rt table\n\n${SECTION_BEGIN}\n## Morphology (UD Russian GSD)`)
    expect(output).toContain('| poisk |')

    await evalMorphCommand(['--shared', shared, '--check', doc])
    expect(process.exitCode).toBeUndefined()

    const recorded = readMorphFigures(written, doc)
    await writeFile(doc, written.replace(/poisk-morph-figures \{.*\}/, `poisk-morph-figures ${JSON.stringify({ ...recorded, recall: recorded.recall + 0.6 })}`))
    await evalMorphCommand(['--shared', shared, '--check', doc])
    expect(process.exitCode).toBe(1)
  })

  it('names the missing treebank and the flag that points at it', async () => {
    await expect(evalMorphCommand(['--shared', join(dir, 'nowhere')])).rejects.toThrow(/ud-russian-gsd.*--shared/)
  })
})
