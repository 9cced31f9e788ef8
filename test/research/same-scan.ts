// Two scans are the same when every field of every row is identical: numbers compared with Object.is (bit-equal
// doubles, NaN equal to NaN), rows in the same rank order.
import { expect } from 'vitest';
import type { PairScanRow } from '../../src/analytics';
import type { LakeScan, LakeSearch } from '../../src/research';

export function expectSameRows(actual: readonly PairScanRow[], expected: readonly PairScanRow[]): void {
  expect(actual.map((r) => `${r.rank} ${r.y}/${r.x}`)).toEqual(expected.map((r) => `${r.rank} ${r.y}/${r.x}`));
  const keys = Object.keys(expected[0] ?? {}) as Array<keyof PairScanRow>;
  const differences = expected.flatMap((e, i) => keys
    .filter((k) => !Object.is(actual[i][k], e[k]))
    .map((k) => `${e.y}/${e.x} ${k}: ${String(actual[i][k])} vs ${String(e[k])}`));
  expect(differences).toEqual([]);
}

export function expectSameScan(actual: LakeScan, expected: LakeScan): void {
  expect({ bars: actual.bars, from: actual.from, to: actual.to, skipped: actual.skipped })
    .toEqual({ bars: expected.bars, from: expected.from, to: expected.to, skipped: expected.skipped });
  expectSameRows(actual.rows, expected.rows);
}

/** Two searches are the same when the grid and every field of every pair's rows are identical (Object.is on numbers). */
export function expectSameSearch(actual: LakeSearch, expected: LakeSearch): void {
  expect({ bars: actual.bars, from: actual.from, to: actual.to, skipped: actual.skipped, pairs: actual.pairs.map((p) => `${p.y}/${p.x} ${p.rows.length} ${p.runs}`) })
    .toEqual({ bars: expected.bars, from: expected.from, to: expected.to, skipped: expected.skipped, pairs: expected.pairs.map((p) => `${p.y}/${p.x} ${p.rows.length} ${p.runs}`) });
  const differences: string[] = [];
  const compare = (where: string, a: unknown, e: unknown): void => {
    if (typeof e === 'object' && e !== null && typeof a === 'object' && a !== null) {
      for (const k of Object.keys(e)) compare(`${where}.${k}`, (a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k]);
    } else if (!Object.is(a, e)) {
      differences.push(`${where}: ${String(a)} vs ${String(e)}`);
    }
  };
  expected.pairs.forEach((p, i) => compare(`${p.y}/${p.x}`, actual.pairs[i].rows, p.rows));
  expect(differences).toEqual([]);
}
