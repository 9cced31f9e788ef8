import { describe, expect, it } from 'vitest';
import { johansen } from '../../src/analytics';
import { closeTo, loadFixture } from './fixtures';

interface Run { detOrder: number; kArDiff: number; eig: number[]; evec: number[][]; lr1: number[]; lr2: number[] }
interface AccuracyRun { kArDiff: number; lr1: number[]; lr2: number[]; refLr1: number[]; refLr2: number[] }
const fixture = loadFixture<{ cases: Record<string, { data: number[][]; runs: Run[] }>; longDouble: { data: number[][]; runs: AccuracyRun[] } }>('johansen.json');

describe('johansen on statsmodels\' published test data (173 rows × 8 series)', () => {
  const { data, runs } = fixture.cases.published173;
  it.each(runs.map((r) => [`det_order ${r.detOrder}, k_ar_diff ${r.kArDiff}`, r] as const))('%s: every eigenvalue and statistic within 1e-10 relative, vectors within 1e-9', (_label, run) => {
    const r = johansen(data, run.detOrder, run.kArDiff);
    run.eig.forEach((v, i) => expect(closeTo(r.eigenvalues[i], v, 1e-10), `eig ${i}: ${r.eigenvalues[i]} vs ${v}`).toBe(true));
    run.lr1.forEach((v, i) => expect(closeTo(r.traceStat[i], v, 1e-10), `trace ${i}: ${r.traceStat[i]} vs ${v}`).toBe(true));
    run.lr2.forEach((v, i) => expect(closeTo(r.maxEigStat[i], v, 1e-10), `max-eig ${i}: ${r.maxEigStat[i]} vs ${v}`).toBe(true));
    for (let col = 0; col < run.eig.length; col++) {
      const ref = run.evec.map((row) => row[col]);
      const sign = Math.sign(ref.find((v) => v !== 0) ?? 1) * Math.sign(r.eigenvectors[col].find((v) => v !== 0) ?? 1);
      const scale = Math.max(...ref.map(Math.abs));
      ref.forEach((v, i) => expect(closeTo(sign * r.eigenvectors[col][i], v, 1e-9, scale), `evec ${col},${i}`).toBe(true));
    }
  });
});

describe('johansen accuracy against an 80-bit long-double computation (6,000 rows, price level 20,000)', () => {
  it.each(fixture.longDouble.runs.map((r) => [r.kArDiff, r] as const))('k_ar_diff %i: trace and max-eig statistics within 1e-13 of the reference', (_k, run) => {
    const r = johansen(fixture.longDouble.data, 0, run.kArDiff);
    run.refLr1.forEach((v, i) => expect(closeTo(r.traceStat[i], v, 1e-13), `trace ${i}: ${r.traceStat[i]} vs ${v} (statsmodels ${run.lr1[i]})`).toBe(true));
    run.refLr2.forEach((v, i) => expect(closeTo(r.maxEigStat[i], v, 1e-13), `max-eig ${i}: ${r.maxEigStat[i]} vs ${v}`).toBe(true));
  });

  it('is at least as accurate as statsmodels on every statistic', () => {
    const worst = (values: ArrayLike<number>, ref: number[]) => Math.max(...ref.map((v, i) => Math.abs(values[i] - v) / Math.abs(v)));
    for (const run of fixture.longDouble.runs) {
      const r = johansen(fixture.longDouble.data, 0, run.kArDiff);
      const ours = Math.max(worst(r.traceStat, run.refLr1), worst(r.maxEigStat, run.refLr2));
      const theirs = Math.max(worst(run.lr1, run.refLr1), worst(run.lr2, run.refLr2));
      expect(ours, `k_ar_diff ${run.kArDiff}: ours ${ours}, statsmodels ${theirs}`).toBeLessThanOrEqual(theirs);
    }
  });
});
