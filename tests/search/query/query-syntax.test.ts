import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_WORDS, parseQuery, positiveWords, type ParsedQuery } from '../../../src/search/query/query-syntax.js';
import { defaultQueryOptions } from '../../../src/search/query-options.js';

const t = (text: string, negated = false, field?: 'title') =>
  field ? { text, negated, field } : { text, negated };
const p = (words: string[], negated = false, field?: 'title') =>
  field ? { words, negated, field } : { words, negated };

const o = (text: string, orGroup: number) => ({ text, negated: false, orGroup });

function shape(q: ParsedQuery) {
  return { terms: q.terms, phrases: q.phrases };
}

describe('parseQuery: well-formed queries', () => {
  it.each([
    ['путин', [t('путин')], []],
    ['курс доллара', [t('курс'), t('доллара')], []],
    ['"северная корея"', [], [p(['северная', 'корея'])]],
    ['«северная корея»', [], [p(['северная', 'корея'])]], // ёлочки are what Russian editors type for a phrase
    ['«совет директоров» -«единая россия»', [], [p(['совет', 'директоров']), p(['единая', 'россия'], true)]],
    ['title:«павел дуров»', [], [p(['павел', 'дуров'], false, 'title')]],
    ['„Новая газета“', [], [p(['Новая', 'газета'])]],
    ['“Air Astana”', [], [p(['Air', 'Astana'])]],
    ['путин -трамп', [t('путин'), t('трамп', true)], []],
    ['выборы -"единая россия"', [t('выборы')], [p(['единая', 'россия'], true)]],
    ['title:дуров', [t('дуров', false, 'title')], []],
    ['TITLE:Дуров', [t('Дуров', false, 'title')], []],
    ['заголовок:дуров', [t('дуров', false, 'title')], []],
    ['title:"павел дуров" арест', [t('арест')], [p(['павел', 'дуров'], false, 'title')]],
    ['-title:реклама новости', [t('реклама', true, 'title'), t('новости')], []],
    ['title:-реклама', [t('реклама', true, 'title')], []],
    ['-title:"прямая трансляция"', [], [p(['прямая', 'трансляция'], true, 'title')]],
    ['"путин"', [], [p(['путин'])]],
    ['экс-советник', [t('экс-советник')], []],
    ['С-400 Турция', [t('С-400'), t('Турция')], []],
    ['Ростов-на-Дону', [t('Ростов-на-Дону')], []],
    ['covid-19', [t('covid-19')], []],
    ["д'Артаньян", [t("д'Артаньян")], []],
    ['ставка 7,5 процента', [t('ставка'), t('7,5'), t('процента')], []],
    ['версия 3.14', [t('версия'), t('3.14')], []],
    ['Ёлка ёж', [t('Ёлка'), t('ёж')], []],
    ['iPhone 15', [t('iPhone'), t('15')], []],
  ])('%j', (input, terms, phrases) => {
    const q = parseQuery(input);
    expect(shape(q)).toEqual({ terms, phrases });
    expect(q.truncated).toBe(false);
  });
});

describe('parseQuery: operators', () => {
  it.each([
    ['Путин NOT Трамп', [t('Путин'), t('Трамп', true)], []],
    ['Путин НЕ Трамп', [t('Путин'), t('Трамп', true)], []],
    ['выборы NOT "единая россия"', [t('выборы')], [p(['единая', 'россия'], true)]],
    ['дуров NOT title:арест', [t('дуров'), t('арест', true, 'title')], []],
    ['Путин AND Трамп', [t('Путин'), t('Трамп')], []],
    ['Путин И Трамп', [t('Путин'), t('Трамп')], []],
    ['Путин OR Трамп', [o('Путин', 0), o('Трамп', 0)], []],
    ['Путин ИЛИ Трамп', [o('Путин', 0), o('Трамп', 0)], []],
    ['Путин OR Трамп встреча', [o('Путин', 0), o('Трамп', 0), t('встреча')], []],
    ['a OR b OR c', [o('a', 0), o('b', 0), o('c', 0)], []],
    ['a OR b c OR d', [o('a', 0), o('b', 0), o('c', 1), o('d', 1)], []],
    ['title:a OR title:b', [{ ...o('a', 0), field: 'title' }, { ...o('b', 0), field: 'title' }], []],
    ['путин и трамп не или', [t('путин'), t('и'), t('трамп'), t('не'), t('или')], []], // lowercase: words
    ['Or not And', [t('Or'), t('not'), t('And')], []],
    ['ПУТИН НЕ ПРИЕДЕТ', [t('ПУТИН'), t('НЕ'), t('ПРИЕДЕТ')], []], // a headline in capitals is no syntax
    ['ПУТИН NOT ТРАМП', [t('ПУТИН'), t('ТРАМП', true)], []],
    ['AND', [], []], // the default: dropped, nothing to report
  ])('%j', (input, terms, phrases) => {
    const q = parseQuery(input);
    expect(shape(q)).toEqual({ terms, phrases });
    expect(q.issues).toEqual([]);
  });

  it.each([
    ['OR путин', [t('путин')], []],
    ['путин OR', [t('путин')], []],
    ['путин OR OR трамп', [o('путин', 0), o('трамп', 0)], []],
    ['путин NOT', [t('путин')], []],
    ['NOT NOT путин', [t('путин', true)], []],
    ['путин OR -трамп', [t('путин'), t('трамп', true)], []],
    ['путин OR NOT трамп', [t('путин'), t('трамп', true)], []],
    ['-путин OR трамп', [t('путин', true), t('трамп')], []],
    ['"путин" OR трамп', [t('трамп')], [p(['путин'])]],
    ['путин OR "трамп"', [t('путин')], [p(['трамп'])]],
    ['title:путин OR трамп', [t('путин', false, 'title'), t('трамп')], []],
    ['OR', [], []],
  ])('%j drops the operator and says so', (input, terms, phrases) => {
    const q = parseQuery(input);
    expect(shape(q)).toEqual({ terms, phrases });
    expect(q.issues.map((i) => i.kind)).toContain('ignored-operator');
  });
});

describe('parseQuery: malformed input degrades to plain words', () => {
  it.each([
    ['"северная корея', [t('северная'), t('корея')], [], 'unbalanced-quote'],
    ['северная корея"', [t('северная'), t('корея')], [], 'unbalanced-quote'],
    ['-"северная корея', [t('северная'), t('корея')], [], 'unbalanced-quote'],
    ['title:"павел дуров', [t('павел'), t('дуров')], [], 'unbalanced-quote'],
    ['«путин', [t('путин')], [], 'unbalanced-quote'],
    ['"-трамп', [t('трамп')], [], 'unbalanced-quote'],
    ['«совет директоров', [t('совет'), t('директоров')], [], 'unbalanced-quote'],
    ['совет директоров»', [t('совет'), t('директоров')], [], 'unbalanced-quote'],
    ['«совет директоров"', [t('совет'), t('директоров')], [], 'unbalanced-quote'],
    ['путин - трамп', [t('путин'), t('трамп')], [], 'dangling-minus'],
    ['путин -', [t('путин')], [], 'dangling-minus'],
    ['-', [], [], 'dangling-minus'],
    ['title:', [t('title')], [], 'empty-field'],
    ['title: дуров', [t('title'), t('дуров')], [], 'empty-field'],
    ['заголовок: новости', [t('заголовок'), t('новости')], [], 'empty-field'],
    ['""', [], [], 'empty-phrase'],
    ['" "', [], [], 'empty-phrase'],
    ['путин !!! ??? трамп', [t('путин'), t('трамп')], [], 'ignored-punctuation'],
    ['путин — трамп', [t('путин'), t('трамп')], [], 'ignored-punctuation'],
    ['(путин OR трамп)', [o('путин', 0), o('трамп', 0)], [], undefined],
    ['путин,трамп', [t('путин'), t('трамп')], [], undefined],
    ['-путин,трамп', [t('путин', true), t('трамп', true)], [], undefined],
    ['foo:bar', [t('foo'), t('bar')], [], undefined],
    ['title:title:дуров', [t('title', false, 'title'), t('дуров', false, 'title')], [], undefined],
    ['--путин', [t('путин', true)], [], undefined],
    ['-30 градусов', [t('30'), t('градусов')], [], undefined],
    ['word- -word', [t('word'), t('word', true)], [], undefined],
    ['"a" "b', [t('b')], [p(['a'])], 'unbalanced-quote'],
    ['путин"трамп байден"', [t('путин'), t('трамп'), t('байден')], [], undefined],
  ])('%j', (input, terms, phrases, issue) => {
    const q = parseQuery(input);
    expect(shape(q)).toEqual({ terms, phrases });
    if (issue) expect(q.issues.map((i) => i.kind)).toContain(issue);
  });

  it('can negate numbers when asked', () => {
    expect(parseQuery('-30', { negateNumbers: true }).terms).toEqual([t('30', true)]);
  });

  it('handles empty and whitespace-only input', () => {
    for (const input of ['', '   ', '\n\t', '\u00a0']) {
      expect(parseQuery(input)).toEqual({ terms: [], phrases: [], truncated: false, issues: [] });
    }
  });

  it('tolerates non-string input at runtime', () => {
    expect(parseQuery(undefined as unknown as string).terms).toEqual([]);
  });
});

describe('parseQuery: bounds', () => {
  it('keeps at most the 32 words production searches by default and reports truncation', () => {
    // The server refuses a longer query (protection.ts) and the query plan cuts at its limit: one number.
    expect(MAX_QUERY_WORDS).toBe(32);
    expect(defaultQueryOptions.limits.maxWords).toBe(MAX_QUERY_WORDS);
    const input = Array.from({ length: 40 }, (_, i) => `слово${i}`).join(' ');
    const q = parseQuery(input);
    expect(q.terms).toHaveLength(32);
    expect(q.terms[31]!.text).toBe('слово31');
    expect(q.truncated).toBe(true);
    expect(q.issues.filter((i) => i.kind === 'word-limit')).toHaveLength(1);
  });

  it('does not truncate a query of exactly the default limit', () => {
    const q = parseQuery(Array.from({ length: MAX_QUERY_WORDS }, (_, i) => `слово${i}`).join(' '));
    expect(q.terms).toHaveLength(MAX_QUERY_WORDS);
    expect(q.truncated).toBe(false);
  });

  it('counts phrase words and cuts a phrase that crosses the limit', () => {
    const q = parseQuery('а б "в г д е" ж', { maxWords: 4 });
    expect(shape(q)).toEqual({ terms: [t('а'), t('б')], phrases: [p(['в', 'г'])] });
    expect(q.truncated).toBe(true);
  });

  it('exactly N words is not truncated', () => {
    const q = parseQuery('а б в', { maxWords: 3 });
    expect(q.truncated).toBe(false);
  });

  it('truncates over-long input without splitting surrogate pairs', () => {
    const q = parseQuery('путин '.repeat(500));
    expect(q.truncated).toBe(true);
    expect(q.issues.map((i) => i.kind)).toContain('input-truncated');
    const emoji = parseQuery('a😀', { maxInputLength: 2 });
    expect(emoji.truncated).toBe(true);
    expect(emoji.terms).toEqual([t('a')]);
  });

  it('cuts over-long words', () => {
    const q = parseQuery('ы'.repeat(100));
    expect(q.terms[0]!.text).toHaveLength(64);
    expect(q.truncated).toBe(true);
  });
});

describe('positiveWords', () => {
  it('lists the words that must match', () => {
    expect(positiveWords(parseQuery('путин -трамп "северная корея" -"южная корея"'))).toEqual([
      'путин',
      'северная',
      'корея',
    ]);
  });
});

describe('parseQuery: properties', () => {
  const syntaxy = fc.string({
    maxLength: 80,
    unit: fc.constantFrom(...'аб cd-"«»“”„:title-заголовок ,.!?()\t\n—–−\'’0123456789😀'),
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), syntaxy), (s) => {
        expect(() => parseQuery(s)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });

  it('respects the word bound and yields non-empty words', () => {
    fc.assert(
      fc.property(syntaxy, fc.integer({ min: 0, max: 15 }), (s, maxWords) => {
        const q = parseQuery(s, { maxWords });
        const words = [...q.terms.map((x) => x.text), ...q.phrases.flatMap((x) => x.words)];
        expect(words.length).toBeLessThanOrEqual(maxWords);
        for (const w of words) {
          expect(w.length).toBeGreaterThan(0);
          expect(w).not.toMatch(/\s/u);
          expect(w).not.toMatch(/^[-'’]|[-'’]$/u);
        }
        for (const ph of q.phrases) expect(ph.words.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('plain space-separated words come back unchanged', () => {
    const word = fc.stringMatching(/^[а-яa-z0-9]{1,8}$/u);
    fc.assert(
      fc.property(fc.array(word, { maxLength: MAX_QUERY_WORDS }), (words) => {
        expect(parseQuery(words.join(' ')).terms.map((x) => x.text)).toEqual(words);
      }),
    );
  });
});
