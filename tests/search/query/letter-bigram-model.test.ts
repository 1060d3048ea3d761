import { describe, expect, it } from 'vitest';
import {
  BOUNDARY,
  englishModel,
  russianModel,
  trainBigramModel,
} from '../../../src/search/query/letter-bigram-model.js';

describe('trainBigramModel', () => {
  const model = trainBigramModel('аб аб ав', 'абв');

  it('gives seen transitions more probability than unseen ones', () => {
    expect(model.logProb('а', 'б')).toBeGreaterThan(model.logProb('б', 'а'));
    expect(model.logProb(BOUNDARY, 'а')).toBeGreaterThan(model.logProb(BOUNDARY, 'б'));
  });

  it('is a proper distribution over next symbols', () => {
    for (const prev of [BOUNDARY, 'а', 'б', 'в']) {
      const total = [BOUNDARY, 'а', 'б', 'в'].reduce((sum, next) => sum + Math.exp(model.logProb(prev, next)), 0);
      expect(total).toBeCloseTo(1, 9);
    }
  });

  it('scores words piecewise, splitting on unknown characters', () => {
    const whole = model.scoreWord('аб');
    expect(whole.transitions).toBe(3);
    expect(model.scoreWord('аб-аб').transitions).toBe(6);
    expect(model.scoreWord('АБ').logProb).toBeCloseTo(whole.logProb);
    expect(model.scoreWord('').transitions).toBe(0);
  });
});

describe('bundled models', () => {
  it.each([
    ['russian', 'привет', 'рпвиет'],
    ['russian', 'москва', 'мсквао'],
    ['english', 'hello', 'hlelo'],
    ['english', 'telegram', 'tlgerame'],
  ] as const)('%s prefers %j over scrambled %j', (lang, good, bad) => {
    const m = lang === 'russian' ? russianModel() : englishModel();
    expect(m.scoreWord(good).logProb).toBeGreaterThan(m.scoreWord(bad).logProb);
  });
});
