// The Spread tab's OU cards and the Backtest tab's "Use OU levels" (extension/src/views/ouLevels.ts): the kernel's
// Bertram levels in z become entry |z| rounded to 0.01 with exit at the mirror level −entry, or a reason; cards never say undefined or NaN.
import { describe, expect, it } from 'vitest';
import type { OuCardData } from '../../extension/src/protocol';
import { Z_LIMIT, ouCardTexts, ouStrategyLevels } from '../../extension/src/views/ouLevels';

const fitted = (z: number): OuCardData => ({
  theta: 0.001, halfLifeSeconds: Math.LN2 / 0.001, mu: 1, sigma: 0.2, entry: 1 - z, exit: 1 + z, cost: 0.1, entryZ: -z, exitZ: z, reason: null,
});
const refused = (reason: string): OuCardData => ({
  theta: null, halfLifeSeconds: null, mu: null, sigma: null, entry: null, exit: null, cost: null, entryZ: null, exitZ: null, reason,
});

describe('Use OU levels', () => {
  it('enters at |entryZ| rounded to 0.01 and exits at the mirror level (exit = −entry)', () => {
    const z = 1.23456;
    expect(ouStrategyLevels(fitted(z))).toEqual({ entry: Math.round(z * 100) / 100, exit: -Math.round(z * 100) / 100 });
  });

  it('refuses a level that rounds to 0 or passes the form\'s limit, and a refused fit, saying why', () => {
    for (const [ou, why] of [[fitted(0.004), /rounds to 0/], [fitted(Z_LIMIT + 1), /beyond the form's limit/], [refused('the spread alternates bar to bar'), /alternates bar to bar/], [undefined, /no OU fit/]] as const) {
      const r = ouStrategyLevels(ou);
      expect(r).toHaveProperty('reason');
      if ('reason' in r) {
        expect(r.reason).toMatch(why);
        expect(r.reason).not.toMatch(/undefined|NaN/);
      }
    }
  });
});

describe('OU cards', () => {
  it('show the half-life as a duration and the signed levels', () => {
    const t = ouCardTexts(fitted(1.5));
    expect(t.halfLife).toBe(`about ${Math.round(Math.LN2 / 0.001 / 60)} min`);
    expect(t.levels).toBe('−1.50 / +1.50');
  });

  it('say why when the fit refused, and never undefined or NaN', () => {
    const reason = 'spread is constant: an OU fit needs a series that moves';
    const t = ouCardTexts(refused(reason));
    expect([t.halfLife, t.levels]).toEqual(['no fit', 'no fit']);
    expect(t.note).toContain(reason);
    expect(t.halfLifeNote).toContain(reason);
    const old = ouCardTexts(undefined);
    expect(old.note).toMatch(/no OU fit/);
    for (const x of [t, old]) expect(Object.values(x).join(' ')).not.toMatch(/undefined|NaN/);
  });

  it('show — with the warm-up note while the view waits for bars, and before the first snapshot', () => {
    const waiting = 'needs 120 bars, 30 so far';
    for (const ou of [refused('spread has 2 values; the OU fit needs at least 4'), null]) {
      expect(ouCardTexts(ou, waiting)).toEqual({ halfLife: '—', levels: '—', note: waiting, halfLifeNote: waiting });
    }
  });
});
