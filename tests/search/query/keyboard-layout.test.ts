import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convertLayout,
  enToRu,
  guessWrongLayout,
  ruToEn,
  scoreToken,
} from '../../../src/search/query/keyboard-layout.js';

describe('enToRu / ruToEn conversion', () => {
  it.each([
    ['lehjd', 'дуров'],
    ['ntktuhfv', 'телеграм'],
    ['ghbdtn vbh', 'привет мир'],
    ['genby', 'путин'],
    ['vjcrdf', 'москва'],
    ['k.,jdm', 'любовь'],
    ['[jhjij', 'хорошо'],
    ['j,]tvysq', 'объемный'],
    ["'rcgthn", 'эксперт'],
    ['`krf', 'ёлка'],
    [';ehyfkbcn', 'журналист'],
    ['Ghbdtn', 'Привет'],
    ['GHBDTN', 'ПРИВЕТ'],
    ['{jkjl', 'Холод'],
    ['~Krf', 'ЁЛка'],
    ['<HBRC', 'БРИКС'],
    ['>UJ', 'ЮГО'],
    [':ERJD', 'ЖУКОВ'],
    ['"NJ', 'ЭТО'],
    ['}', 'Ъ'],
    ['ghbdtn/', 'привет.'],
    ['ghbdtn?', 'привет,'],
    ['@', '"'],
    ['#1', '№1'],
    ['2024 ujl', '2024 год'],
  ])('enToRu(%j) = %j', (typed, expected) => {
    expect(enToRu(typed)).toBe(expected);
    expect(convertLayout(typed, 'en-to-ru')).toBe(expected);
  });

  it.each([
    ['руддщ', 'hello'],
    ['цщкдв', 'world'],
    ['фззду шзрщту', 'apple iphone'],
    ['Руддщ', 'Hello'],
    ['ыщтп.', 'song/'],
    ['ьфсищщл', 'macbook'],
  ])('ruToEn(%j) = %j', (typed, expected) => {
    expect(ruToEn(typed)).toBe(expected);
    expect(convertLayout(typed, 'ru-to-en')).toBe(expected);
  });

  it('leaves digits, spaces, hyphens and other scripts alone', () => {
    expect(enToRu('c-400 2025')).toBe('с-400 2025');
    expect(enToRu('日本 ü')).toBe('日本 ü');
    expect(ruToEn('123 - 456')).toBe('123 - 456');
  });

  const qwertyKeys = [..."`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>? "];
  const jcukenKeys = [...'ё1234567890-=йцукенгшщзхъ\\фывапролджэячсмитьбю.Ё!"№;%:?*()_+ЙЦУКЕНГШЩЗХЪ/ФЫВАПРОЛДЖЭЯЧСМИТЬБЮ, '];

  it('round-trips anything typed on QWERTY (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...qwertyKeys), { maxLength: 40 }), (keys) => {
        const typed = keys.join('');
        expect(ruToEn(enToRu(typed))).toBe(typed);
      }),
    );
  });

  it('round-trips anything typed on ЙЦУКЕН (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...jcukenKeys), { maxLength: 40 }), (keys) => {
        const typed = keys.join('');
        expect(enToRu(ruToEn(typed))).toBe(typed);
      }),
    );
  });

  it('round-trips arbitrary strings without Cyrillic (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        fc.pre(!/[\u0400-\u04ff№]/u.test(s));
        expect(ruToEn(enToRu(s))).toBe(s);
      }),
    );
  });

  it('preserves length in code points (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'grapheme' }), (s) => {
        expect([...enToRu(s)].length).toBe([...s].length);
        expect([...ruToEn(s)].length).toBe([...s].length);
      }),
    );
  });
});

describe('guessWrongLayout: Russian typed on QWERTY', () => {
  it.each([
    ['lehjd', 'дуров'],
    ['ntktuhfv', 'телеграм'],
    ['genby', 'путин'],
    ['vjcrdf', 'москва'],
    ['ghbdtn vbh', 'привет мир'],
    ['Ntktuhfv', 'Телеграм'],
    ['GHBDTN', 'ПРИВЕТ'],
    ['ckjdj', 'слово'],
    ['xnj', 'что'],
    ['nhfvg', 'трамп'],
    ['k.,jdm', 'любовь'],
    ['[jhjij', 'хорошо'],
    [',fyr', 'банк'],
    ['rehc ljkkfhf', 'курс доллара'],
    ['gjujlf d vjcrdt', 'погода в москве'],
    ['ctdthyfz rjhtz', 'северная корея'],
    ['ujkjcjdfybt', 'голосование'],
    ['rjyathtywbz', 'конференция'],
    ['pljhjdmt', 'здоровье'],
    ['lfkmybq djcnjr', 'дальний восток'],
    ['ghbdtn.', 'привет.'],
    ['vjcrdf,', 'москва,'],
    ['(ntcn)', '(тест)'],
    // held-out words that do not occur in the sample text
    ['vjkjrj', 'молоко'],
    ['rfhnjatkm', 'картофель'],
    ['ujcgjlf', 'господа'],
    ['fgtkmcby', 'апельсин'],
    ['gjlcjkytxybr', 'подсолнечник'],
  ])('%j → %j', (typed, expected) => {
    const guess = guessWrongLayout(typed);
    expect(guess?.direction).toBe('en-to-ru');
    expect(guess?.converted).toBe(expected);
  });

  it('converts only the wrongly typed words of a mixed query', () => {
    expect(guessWrongLayout('путин ntktuhfv')?.converted).toBe('путин телеграм');
    expect(guessWrongLayout('iphone xthysq')?.converted).toBe('iphone черный');
    expect(guessWrongLayout('ghbdtn 2024')?.converted).toBe('привет 2024');
  });

  it('converts short words only next to a confident long word', () => {
    expect(guessWrongLayout('ghbdtn b vbh')?.converted).toBe('привет и мир');
    expect(guessWrongLayout('yf')).toBeNull();
    expect(guessWrongLayout('b')).toBeNull();
  });
});

describe('guessWrongLayout: English typed on ЙЦУКЕН', () => {
  it.each([
    ['руддщ', 'hello'],
    ['руддщ цщкдв', 'hello world'],
    ['фззду', 'apple'],
    ['пщщпду', 'google'],
    ['ьшскщыщае', 'microsoft'],
    ['еуыдф', 'tesla'],
    ['туцы', 'news'],
    ['ызщкеы', 'sports'],
  ])('%j → %j', (typed, expected) => {
    const guess = guessWrongLayout(typed);
    expect(guess?.direction).toBe('ru-to-en');
    expect(guess?.converted).toBe(expected);
  });
});

describe('guessWrongLayout: leaves genuine queries alone', () => {
  it.each([
    'telegram', 'apple', 'Trump', 'Air Astana', 'iphone', 'iphone 15 pro', 'xiaomi', 'google',
    'bitcoin', 'nvidia', 'NATO', 'USA', 'BBC', 'rbc', 'cnn', 'covid', 'wifi', 'ok', 'zoom',
    'tiktok', 'github', 'xbox', 'ubuntu', 'crypto', 'python', 'zuckerberg', 'interfax',
    // transliterated Russian names are Latin on purpose
    'putin', 'navalny', 'zelensky', 'moskva', 'durov', 'shoigu', 'peskov', 'lavrov',
    'medvedev', 'brezhnev', 'khrushchev', 'tchaikovsky', 'yekaterinburg',
    // Russian typed correctly
    'путин', 'телеграм', 'привет мир', 'курс доллара', 'США', 'ФСБ', 'МВД', 'РЖД', 'сво',
    'шойгу', 'яндекс', 'ютуб', 'экс-советник', 'С-400',
    // nothing to decide
    '', '   ', '2024', 'c-400', "don't", "O'Brien", 'U.S.', 'e.g.', 'hh.ru',
  ])('%j', (query) => {
    expect(guessWrongLayout(query)).toBeNull();
  });
});

describe('scoreToken', () => {
  it('ignores mixed-script and letterless tokens', () => {
    expect(scoreToken('iPhoneы')).toBeNull();
    expect(scoreToken('123')).toBeNull();
    expect(scoreToken('')).toBeNull();
  });

  it('reports the direction from the script typed', () => {
    expect(scoreToken('lehjd')?.direction).toBe('en-to-ru');
    expect(scoreToken('руддщ')?.direction).toBe('ru-to-en');
  });

  it('never throws and returns a finite score (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const guess = guessWrongLayout(s);
        // Most arbitrary strings get no guess: the properties below cover the ones that must.
        expect(guess === null || Number.isFinite(guess.score)).toBe(true);
      }),
    );
  });

  // Each long enough for the letter model to be confident on its own.
  const russianWords = ['дуров', 'телеграм', 'путин', 'москва', 'привет', 'слово', 'трамп', 'любовь', 'хорошо', 'доллара', 'погода', 'северная', 'корея', 'голосование', 'здоровье', 'молоко', 'картофель', 'подсолнечник'];
  const englishWords = ['hello', 'world', 'apple', 'google', 'microsoft', 'tesla', 'sports'];

  it('guesses any query of Russian words typed on QWERTY, with a finite score (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...russianWords), { minLength: 1, maxLength: 5 }), (words) => {
        const meant = words.join(' ');
        const guess = guessWrongLayout(ruToEn(meant));
        expect(guess).not.toBeNull();
        expect(guess?.direction).toBe('en-to-ru');
        expect(guess?.converted).toBe(meant);
        expect(Number.isFinite(guess?.score)).toBe(true);
      }),
    );
  });

  it('guesses any query of English words typed on ЙЦУКЕН, with a finite score (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...englishWords), { minLength: 1, maxLength: 5 }), (words) => {
        const meant = words.join(' ');
        const guess = guessWrongLayout(enToRu(meant));
        expect(guess).not.toBeNull();
        expect(guess?.direction).toBe('ru-to-en');
        expect(guess?.converted).toBe(meant);
        expect(Number.isFinite(guess?.score)).toBe(true);
      }),
    );
  });
});
