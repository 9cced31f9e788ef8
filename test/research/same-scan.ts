// Two scans are the same when every field of every row is identical: numbers compared with Object.is (bit-equal
// doubles, NaN equal to NaN), rows in the same rank order.
import { expect } from 'vitest';
import type { PairScanRow } from '../../src/analytics';
import type { LakeScan } from '../../src/research';

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
