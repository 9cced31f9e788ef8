import { describe, expect, it } from 'vitest';
import { coint, scanPairs } from '../../src/analytics';
import { closeTo, lcg, loadFixture } from './fixtures';

interface CointRef { statistic: number; pvalue: number }
const { cases } = loadFixture<{ cases: Record<string, { y: number[]; x: number[]; coint: Record<string, CointRef> }> }>('stationarity.json');

describe('pair scan', () => {
  it('ranks every pair by Engle-Granger p-value, in the better orientation, with statsmodels p-values', () => {
    const c = cases.coint_pair;
    const rnd = lcg(3);
    let w = 70;
    const z = c.x.map(() => (w += rnd() - 0.5));
    const rows = scanPairs({ Y: c.y, X: c.x, Z: z });
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3]);
    for (let k = 1; k < rows.length; k++) expect(rows[k].egPValue).toBeGreaterThanOrEqual(rows[k - 1].egPValue);
    const top = rows[0];
    expect([top.y, top.x].sort()).toEqual(['X', 'Y']);
    const yx = c.coint.yx_c.pvalue;
    const xy = c.coint.xy_c.pvalue;
    expect(closeTo(top.egPValue, Math.min(yx, xy), 1e-8)).toBe(true);
    expect(closeTo(top.egPValueReverse, Math.max(yx, xy), 1e-8)).toBe(true);
    expect(top.halfLife).toBeGreaterThan(0);
    expect(top.correlation).toBeGreaterThan(0.5);
    // an unrelated pair: its p-value is the one coint gives for its orientation
    const other = rows.find((r) => r.y === 'Z' || r.x === 'Z');
    expect(other).toBeDefined();
    if (other) {
      const series: Record<string, number[]> = { Y: c.y, X: c.x, Z: z };
      expect(other.egPValue).toBe(coint(series[other.y], series[other.x]).pValue);
    }
  });

  it('refuses a universe with fewer than two symbols', () => {
    expect(() => scanPairs({ A: [1, 2, 3] })).toThrow(/at least 2 symbols/);
  });
});
