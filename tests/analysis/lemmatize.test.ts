import { describe, expect, it } from 'vitest'
import { createLemmatizer } from '../../src/analysis/lemmatize.js'

const termsFor = createLemmatizer()

/**
 * Hand-checked word forms → the term they must produce (default options: the dictionary lemma
 * for common words; proper nouns keep the lemma, lightly stripped; unknown words fall back to the
 * surname rule or Snowball). Input is already normalised (lowercase, ё→е).
 */
const CASES: ReadonlyArray<readonly [form: string, expected: string, note: string]> = [
  // surnames in all cases (dictionary Surn → lemma kept whole)
  ['дуров', 'дуров', 'surname nom'],
  ['дурова', 'дуров', 'surname gen / fem nom'],
  ['дурову', 'дуров', 'surname dat'],
  ['дуровым', 'дуров', 'surname ins'],
  ['дурове', 'дуров', 'surname loc'],
  ['лавров', 'лавров', 'surname nom (also лавр)'],
  ['лаврова', 'лавров', 'surname gen'],
  ['лаврову', 'лавров', 'surname dat'],
  ['лавровым', 'лавров', 'surname ins'],
  ['назарбаев', 'назарбаев', 'surname nom'],
  ['назарбаева', 'назарбаев', 'surname gen'],
  ['назарбаеву', 'назарбаев', 'surname dat'],
  ['назарбаевым', 'назарбаев', 'surname ins'],
  ['путин', 'путин', 'surname nom'],
  ['путина', 'путин', 'surname gen'],
  ['путиным', 'путин', 'surname ins'],
  ['кадырова', 'кадыров', 'surname gen'],
  ['собянину', 'собянин', 'surname dat'],
  ['шойгу', 'шойгу', 'indeclinable surname'],
  // foreign names not in the dictionary → Snowball, consistent across cases
  ['эрдоган', 'эрдоган', 'unknown foreign name nom (light stemmer)'],
  ['эрдогана', 'эрдоган', 'unknown foreign name gen'],
  ['эрдоганом', 'эрдоган', 'unknown foreign name ins'],
  ['эрдогану', 'эрдоган', 'unknown foreign name dat'],
  ['ковида', 'ковид', 'unknown neologism gen'],
  ['гараничев', 'гараничев', 'unknown surname nom (surname rule)'],
  ['гараничева', 'гараничев', 'unknown surname gen (surname rule)'],
  ['гараничевым', 'гараничев', 'unknown surname ins (surname rule)'],
  ['иноагентов', 'иноагент', 'unknown noun gen pl: -ов read both ways'],
  ['иноагентом', 'иноагент', 'unknown noun ins'],
  ['макрона', 'макрон', 'foreign name gen'],
  ['зеленского', 'зеленск', 'adjectival surname gen (Snowball)'],
  ['зеленский', 'зеленск', 'adjectival surname nom (Snowball)'],
  // toponyms
  ['москвы', 'москв', 'Geox gen (proper lemma москва, light-stripped)'],
  ['москве', 'москв', 'Geox loc'],
  ['россии', 'росс', 'Geox gen (россия → росс)'],
  // first names: gendered lemmas merge
  ['евгений', 'евген', 'first name nom'],
  ['евгения', 'евген', 'first name gen = female name nom'],
  ['дмитрия', 'дмитр', 'first name gen'],
  ['марии', 'мар', 'female first name gen'],
  ['петербурге', 'петербург', 'Geox loc'],
  ['санкт-петербурге', 'санкт-петербург', 'hyphenated toponym, whole'],
  // irregular plurals / suppletion
  ['люди', 'человек', 'suppletive plural'],
  ['людей', 'человек', 'suppletive plural gen'],
  ['людям', 'человек', 'suppletive plural dat'],
  ['человека', 'человек', 'singular gen'],
  ['дети', 'ребенок', 'suppletive plural (lemma ребёнок, ё folded)'],
  ['детей', 'ребенок', 'suppletive plural gen'],
  ['ребенка', 'ребенок', 'ё-word gen (ребёнок)'],
  ['миротворцев', 'миротворец', 'noun gen pl → stem of lemma'],
  // ё folding (input already has е)
  ['елка', 'елка', 'ёлка'],
  ['елки', 'елка', 'ёлки'],
  ['желтый', 'желтый', 'жёлтый'],
  // nouns
  ['санкций', 'санкция', 'noun gen pl'],
  ['санкциями', 'санкция', 'noun ins pl'],
  ['президента', 'президент', 'noun gen'],
  ['президентом', 'президент', 'noun ins'],
  ['выборов', 'выбор', 'plurale noun gen'],
  // adjectives → their lemma
  ['российского', 'российский', 'adj gen'],
  ['российскими', 'российский', 'adj ins pl'],
  ['новая', 'новый', 'adj fem'],
  ['лучший', 'лучш', 'superlative: its own word, though OpenCorpora\'s lemma is хороший'],
  ['хорошего', 'хороший', 'adj gen'],
  // verbs: all forms → the infinitive
  ['заявил', 'заявить', 'verb past masc'],
  ['заявила', 'заявить', 'verb past fem'],
  ['заявят', 'заявить', 'verb future'],
  ['шли', 'идти', 'suppletive past of идти'],
  ['идет', 'идти', 'present of идти'],
  // latin and numbers untouched
  ['covid', 'covid', 'latin kept'],
  ['2018', '2018', 'number kept'],
]

describe('termsFor: hand-checked word forms', () => {
  it.each(CASES)('%s → %s (%s)', (form, expected) => {
    expect(termsFor(form)).toContain(expected)
  })
})

describe('termsFor: proper names find each other and nothing else', () => {
  const groups: string[][] = [
    ['дуров', 'дурова', 'дурову', 'дуровым', 'дурове'],
    ['эрдоган', 'эрдогана', 'эрдогану', 'эрдоганом'],
    ['лавров', 'лаврова', 'лаврову', 'лавровым'],
    ['назарбаев', 'назарбаева', 'назарбаеву', 'назарбаевым'],
  ]
  it.each(groups.map((g) => [g[0] as string, g] as const))('%s: all forms share a term', (_name, forms) => {
    const sets = forms.map((f) => new Set(termsFor(f)))
    const first = sets[0] as Set<string>
    const common = [...first].filter((t) => sets.every((s) => s.has(t)))
    expect(common.length).toBeGreaterThan(0)
  })

  it('Дуров never collides with дура', () => {
    const dura = new Set(['дура', 'дуры', 'дуре', 'дурой', 'дур'].flatMap((f) => termsFor(f)))
    for (const f of ['дуров', 'дурова', 'дурову', 'дуровым']) {
      for (const t of termsFor(f)) expect(dura.has(t)).toBe(false)
    }
  })
})

describe('termsFor: contract', () => {
  it('ambiguous forms give several terms (OR-ed at query time)', () => {
    expect(termsFor('стали').length).toBeGreaterThan(1)
  })

  it('is deterministic', () => {
    expect(createLemmatizer()('президента')).toEqual(termsFor('президента'))
  })
})

/**
 * Pairs drawn from UD Russian GSD's gold lemmas and from news: forms that must share a term
 * (one word) and forms that must not (different words the analysis used to merge). Each
 * "must not" pair shared a term under analyzer version 2.
 */
describe('termsFor: joins only what belongs together', () => {
  const meet = (a: string, b: string): boolean => termsFor(a).some(term => termsFor(b).includes(term))
  it.each([
    ['стал', 'станет', 'a verb with a stem change'],
    ['мог', 'могут', 'a verb with a stem change'],
    ['вышел', 'выйдет', 'a verb with a suppletive stem'],
    ['сделанный', 'сделал', 'a participle reaches its verb'],
    ['сделав', 'сделал', 'a converb reaches its verb'],
    ['дуров', 'дурову', 'a surname'],
    ['бектенов', 'бектеновым', 'an unknown surname'],
    ['ломоносов', 'ломоносова', 'a surname'],
    ['первый', 'первого', 'an ordinal'],
    ['лучший', 'лучшего', 'a superlative'],
    ['иванович', 'ивановича', 'a patronymic'],
    ['люди', 'человек', 'a suppletive plural']
  ])('%s and %s meet (%s)', (a, b) => {
    expect(meet(a, b)).toBe(true)
  })
  it.each([
    ['статья', 'стал'],
    ['статья', 'станет'],
    ['дата', 'дал'],
    ['брат', 'брал'],
    ['весть', 'вел'],
    ['первый', 'один'],
    ['второй', 'два'],
    ['лучший', 'хороший'],
    ['иван', 'иванович'],
    ['иван', 'иванов'],
    ['павел', 'павлов'],
    ['ссср', 'средний'],
    ['ссср', 'среда']
  ])('%s and %s do not meet', (a, b) => {
    expect(meet(a, b)).toBe(false)
  })
})
