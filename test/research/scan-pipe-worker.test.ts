// The scan worker Spark's executors pipe pairs into: rows equal to the analytics library's, NaN and ±Infinity kept
// through the JSON lines, and a bad line fails the process (so Spark fails the task) with the reason on stdout too.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { scanPairRows } from '../../src/analytics';
import { fromLine, parseRowLine, type PairSearchLine } from '../../src/research/pairLines';
import { gridPair, searchPair } from '../../src/research/pairSearch';
import { tinyGrid } from './exported-lake';
import { rng } from '../store/helpers';

const worker = path.resolve(__dirname, '..', '..', 'dist', 'src', 'research', 'scanPipeWorker.js');

function walk(n: number, seed: number): number[] {
  const rand = rng(seed);
  let v = 100;
  return Array.from({ length: n }, () => (v += rand() - 0.5));
}

describe('scan pipe worker', () => {
  test('writes the rows scanPairRows gives, one per pair line, with NaN and -Infinity intact', () => {
    const a = walk(500, 1);
    const b = a.map((v, i) => 0.5 * v + 3 + Math.sin(i) * 0.3);
    const c = a.map((v) => 2 * v + 1); // collinear with a: no ADF on a zero spread, no half-life
    const lines = [{ y: 'AUSDT', x: 'BUSDT', yClose: a, xClose: b }, { y: 'AUSDT', x: 'CUSDT', yClose: a, xClose: c }];
    const r = spawnSync(process.execPath, [worker], { input: lines.map((l) => JSON.stringify(l)).join('\n'), encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n').map(parseRowLine);
    const expected = lines.flatMap((l) => scanPairRows([l.y, l.x], [Float64Array.from(l.yClose), Float64Array.from(l.xClose)], [[0, 1]]));
    expect(rows).toHaveLength(2);
    rows.forEach((row, i) => (Object.keys(expected[i]) as Array<keyof typeof row>).forEach((k) => expect(Object.is(row[k], expected[i][k]), `${k}`).toBe(true)));
    expect(rows[1].adfStatistic).toBe(-Infinity);
    expect(rows[1].halfLife).toBeNaN();
  });

  test('a search line gets the pair\'s grid search, every number bit for bit as searchPair computes it', () => {
    const a = walk(400, 3);
    const b = a.map((v, i) => 0.8 * v + 5 + Math.sin(i / 3) * 0.4);
    const from = Date.parse('2026-11-02T00:00:00Z');
    const line = { i: 4, y: 'AUSDT', x: 'BUSDT', yClose: a, xClose: b, from, timeframeMs: 60_000, search: tinyGrid };
    const r = spawnSync(process.execPath, [worker], { input: JSON.stringify(line), encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    const got = fromLine<PairSearchLine>(r.stdout.trim());
    const expected = searchPair(gridPair(Float64Array.from(a), Float64Array.from(b), from, 60_000), tinyGrid);
    expect([got.i, got.y, got.x, got.runs, got.skipped]).toEqual([4, 'AUSDT', 'BUSDT', expected.runs, expected.skipped]);
    expect(got.rows).toHaveLength(8);
    const bits = (v: unknown): unknown => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? (Object.is(x, -0) ? '-0' : String(x)) : x));
    expect(bits(got.rows)).toBe(bits(expected.rows));
  });

  test('a pair of unequal lengths fails the process with the reason', () => {
    const r = spawnSync(process.execPath, [worker], { input: JSON.stringify({ y: 'AUSDT', x: 'BUSDT', yClose: walk(40, 1), xClose: walk(39, 2) }), encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('pairs-lab scan worker: BUSDT has 39 bars but AUSDT has 40');
    // the reason also reaches the Spark job, which sees only stdout
    expect(JSON.parse(r.stdout) as unknown).toEqual({ error: expect.stringContaining('BUSDT has 39 bars but AUSDT has 40') as unknown });
  });
});
