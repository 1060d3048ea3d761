import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cyrillicToLatin,
  latinToCyrillic,
  latinToCyrillicStrings,
} from '../../../src/search/query/transliterate.js';

describe('cyrillicToLatin (fixed practical scheme)', () => {
  it.each([
    ['Дуров', 'durov'],
    ['Зеленский', 'zelenskiy'],
    ['Щёлково', 'shchelkovo'],
    ['Хабаровск', 'khabarovsk'],
    ['Эрдоган', 'erdogan'],
    ['Путин', 'putin'],
    ['Шойгу', 'shoygu'],
    ['Навальный', 'navalny'],
    ['Жириновский', 'zhirinovskiy'],
    ['Чайковский', 'chaykovskiy'],
    ['Ельцин', 'yeltsin'],
    ['Соловьёв', 'solovyev'],
    ['Алексеев', 'alekseyev'],
    ['Юрий', 'yuriy'],
    ['Яковлев', 'yakovlev'],
    ['Царь', 'tsar'],
    ['Подъезд', 'podyezd'],
    ['Новый Уренгой', 'novy urengoy'],
    ['Нижний Новгород', 'nizhniy novgorod'],
    ['Екатеринбург', 'yekaterinburg'],
    ['Объём', 'obyem'],
    ['Мария', 'mariya'],
    ['Набиуллина', 'nabiullina'],
    ['С-400', 's-400'],
    ['экс-советник', 'eks-sovetnik'],
    ['iPhone 15 и Samsung', 'iPhone 15 i Samsung'],
  ])('%j → %j', (cyr, lat) => {
    expect(cyrillicToLatin(cyr)).toBe(lat);
  });

  it('can preserve case', () => {
    expect(cyrillicToLatin('Дуров', { preserveCase: true })).toBe('Durov');
    expect(cyrillicToLatin('МВД и ФСБ', { preserveCase: true })).toBe('MVD i FSB');
    expect(cyrillicToLatin('Щукин', { preserveCase: true })).toBe('Shchukin');
  });

  it('outputs only ASCII for Cyrillic input (property)', () => {
    const letters = [...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ -'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...letters), { maxLength: 30 }), (chars) => {
        expect(cyrillicToLatin(chars.join(''))).toMatch(/^[a-z -]*$/u);
      }),
    );
  });
});

describe('latinToCyrillic candidates', () => {
  it.each([
    ['durov', 'дуров'],
    ['telegram', 'телеграм'],
    ['putin', 'путин'],
    ['moskva', 'москва'],
    ['zelensky', 'зеленский'],
    ['zelenskiy', 'зеленский'],
    ['erdogan', 'эрдоган'],
    ['shoigu', 'шойгу'],
    ['peskov', 'песков'],
    ['lavrov', 'лавров'],
    ['medvedev', 'медведев'],
    ['khabarovsk', 'хабаровск'],
    ['shchelkovo', 'щелково'],
    ['zhirinovsky', 'жириновский'],
    ['sergey', 'сергей'],
    ['rossiya', 'россия'],
    ['novosti', 'новости'],
    ['pogoda', 'погода'],
    ['vyborg', 'выборг'],
    ['krym', 'крым'],
    ['yakutsk', 'якутск'],
    ['novy', 'новый'],
    ['Durov', 'дуров'],
  ])('%j → %j first', (lat, cyr) => {
    expect(latinToCyrillicStrings(lat)[0]).toBe(cyr);
  });

  it.each([
    ['navalny', 'навальный'],
    ['dmitry', 'дмитрий'],
    ['yeltsin', 'ельцин'],
    ['solovyov', 'соловьев'],
    ['tchaikovsky', 'чайковский'],
    ['nabiullina', 'набиуллина'],
    ['kreml', 'кремль'],
    ['tsar', 'царь'],
    ['rossii', 'россии'],
    ['nizhny novgorod', 'нижний новгород'],
    ['mishustin', 'мишустин'],
    ['sobyanin', 'собянин'],
  ])('%j → %j among candidates', (lat, cyr) => {
    expect(latinToCyrillicStrings(lat)).toContain(cyr);
  });

  it('keeps separators and handles several words', () => {
    expect(latinToCyrillicStrings('nizhny-novgorod')).toContain('нижний-новгород');
    expect(latinToCyrillicStrings('s-400')[0]).toBe('с-400');
    expect(latinToCyrillicStrings('pavel durov')[0]).toBe('павел дуров');
  });

  it('returns a bounded, distinct, cost-ordered list', () => {
    for (const word of ['navalny', 'yeltsin', 'zelensky', 'shoigu', 'x', 'schastye']) {
      const list = latinToCyrillic(word);
      expect(list.length).toBeGreaterThan(0);
      expect(list.length).toBeLessThanOrEqual(4);
      expect(new Set(list.map((c) => c.text)).size).toBe(list.length);
      for (let i = 1; i < list.length; i++) expect(list[i]!.cost).toBeGreaterThanOrEqual(list[i - 1]!.cost);
    }
    expect(latinToCyrillic('navalny', { maxCandidates: 1 })).toHaveLength(1);
    expect(latinToCyrillic('navalny', { maxCandidates: 99 }).length).toBeLessThanOrEqual(4);
  });

  it('returns nothing for text without Latin letters or over-long words', () => {
    expect(latinToCyrillic('')).toEqual([]);
    expect(latinToCyrillic('123')).toEqual([]);
    expect(latinToCyrillic('a'.repeat(41))).toEqual([]);
  });

  it('can keep ё', () => {
    expect(latinToCyrillicStrings('yolka', { useYo: true })).toContain('ёлка');
    expect(latinToCyrillicStrings('yolka').some((c) => c.includes('ё'))).toBe(false);
  });

  it('round-trips the scheme for common words: latin(cyr) ranks cyr in the candidates', () => {
    for (const cyr of ['дуров', 'путин', 'москва', 'шойгу', 'хабаровск', 'песков', 'лавров', 'погода']) {
      expect(latinToCyrillicStrings(cyrillicToLatin(cyr))).toContain(cyr);
    }
  });

  it('never throws, always ≤ 4 Cyrillic candidates (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,14}$/u), (word) => {
        const list = latinToCyrillicStrings(word);
        expect(list.length).toBeGreaterThan(0);
        expect(list.length).toBeLessThanOrEqual(4);
        for (const c of list) expect(c).toMatch(/^[а-яё]+$/u);
      }),
      { numRuns: 200 },
    );
  });
});
