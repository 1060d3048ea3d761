import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceWithin, fuzzyDistance, maxEditsFor } from '../../../src/search/query/edit-distance.js';

/** Unbounded reference OSA implementation for property tests. */
function osa(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

describe('distanceWithin', () => {
  it.each([
    ['путин', 'путин', 2, 0],
    ['путин', 'путни', 2, 1], // transposition
    ['путин', 'пцтин', 2, 1], // substitution
    ['путин', 'путинн', 2, 1], // insertion
    ['путин', 'пути', 2, 1], // deletion
    ['телеграм', 'телеграмм', 2, 1],
    ['зеленский', 'зеленскый', 2, 1],
    ['навальный', 'навальны', 2, 1],
    ['хабаровск', 'хабароск', 2, 1],
    ['ельцин', 'ельцын', 1, 1],
    ['ёлка', 'елка', 1, 1], // ё is a different letter: fold before calling
    ['москва', 'моск', 2, 2],
    ['дуров', 'дуровъ', 1, 1],
    ['ca', 'abc', 3, 3], // OSA (not full Damerau: that would be 2)
    ['', 'abc', 3, 3],
    ['abc', '', 3, 3],
    ['', '', 0, 0],
    ['кот', 'кит', 0, null],
    ['путин', 'трамп', 2, null],
    ['москва', 'мск', 2, null], // length difference 3 > 2
    ['эрдоган', 'эрдогана', 0, null],
    ['дуров', 'дуров', 0, 0],
    ['😀a', 'a😀', 1, 1], // code points, not UTF-16 units
  ])('distanceWithin(%j, %j, %i) = %j', (a, b, max, expected) => {
    expect(distanceWithin(a, b, max)).toBe(expected);
    expect(distanceWithin(b, a, max)).toBe(expected);
  });

  it('returns null for negative or non-finite max', () => {
    expect(distanceWithin('a', 'a', -1)).toBeNull();
    expect(distanceWithin('a', 'b', Number.NaN)).toBeNull();
  });

  it('floors fractional max', () => {
    expect(distanceWithin('путин', 'путни', 1.9)).toBe(1);
    expect(distanceWithin('путин', 'пути', 0.5)).toBeNull();
  });

  const word = fc.string({ maxLength: 10, unit: fc.constantFrom(...'абвгдеёжпрстaeb') });

  it('agrees with an unbounded reference (property)', () => {
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 6 }), (a, b, max) => {
        const full = osa(a, b);
        expect(distanceWithin(a, b, max)).toBe(full <= max ? full : null);
      }),
      { numRuns: 2000 },
    );
  });

  it('is symmetric and zero only for equal strings (property)', () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(distanceWithin(a, b, 20)).toBe(distanceWithin(b, a, 20));
        expect(distanceWithin(a, b, 20) === 0).toBe(a === b);
      }),
    );
  });
});

describe('maxEditsFor', () => {
  it.each([
    ['', 0],
    ['в', 0],
    ['мир', 0],
    ['США', 0],
    ['сво', 0],
    ['путин'.slice(0, 4), 1],
    ['путин', 1],
    ['дуров', 1],
    ['москва', 1],
    ['эрдоган', 1],
    ['телеграм', 2],
    ['навальный', 2],
    ['зеленский', 2],
    ['экс-советник', 2],
    ['😀😀😀', 0], // counted in code points
    ['😀😀😀😀', 1],
  ] as const)('maxEditsFor(%j) = %i', (w, edits) => {
    expect(maxEditsFor(w)).toBe(edits);
  });

  it('accepts a custom policy', () => {
    expect(maxEditsFor('кот', { oneEditFrom: 3 })).toBe(1);
    expect(maxEditsFor('москва', { twoEditsFrom: 6 })).toBe(2);
  });
});

describe('fuzzyDistance', () => {
  it.each([
    ['мир', 'мор', null],
    ['путин', 'путни', 1],
    ['путин', 'пктни', null],
    ['телеграм', 'тилиграм', 2],
    ['навальный', 'новальний', 2],
    ['хабаровск', 'хабаровск', 0],
  ])('fuzzyDistance(%j, %j) = %j', (q, c, expected) => {
    expect(fuzzyDistance(q, c)).toBe(expected);
  });
});
