// The panel's chart decimation (extension/src/decimate.ts, browser code with no DOM): what a chart draws from
// 86,400 points looks like the full line — every pixel column's lowest and highest point, gaps kept — and a zoom
// redraws its range at full resolution.
import { describe, expect, it } from 'vitest';
import { WEBGL_MIN_POINTS, decimateLine, lineTrace } from '../../extension/src/decimate';
import type { Num } from '../../kernel-lib/src/protocol';
import { Prng } from '../../src/feed/sim/prng';

function walk(n: number, seed: number): { x: number[]; y: Num[] } {
  const rng = new Prng(seed);
  const x: number[] = [];
  const y: Num[] = [];
  let v = 0;
  for (let i = 0; i < n; i++) {
    x.push(1_700_000_000_000 + i * 1000);
    y.push((v += rng.normal()));
  }
  return { x, y };
}

describe('decimateLine', () => {
  const { x, y } = walk(86_400, 4);
  const width = 800;

  it('keeps each pixel column\'s lowest and highest point, in time order, from the input', () => {
    const d = decimateLine(x, y, { width, xRange: null });
    expect(d.x.length).toBeLessThanOrEqual(2 * width);
    expect(d.x.length).toBeGreaterThan(width);
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThan(d.x[i - 1]);
    const index = new Map(x.map((t, i) => [t, i]));
    d.x.forEach((t, i) => expect(d.y[i]).toBe(y[index.get(t)!]));
    // every column's extremes are there: check each column against the raw points in it
    const span = x[x.length - 1] - x[0];
    const drawn = new Set(d.x);
    for (let b = 0; b < width; b += 37) {
      const lo = x[0] + (span * b) / width;
      const hi = x[0] + (span * (b + 1)) / width;
      let min = Infinity, max = -Infinity, minT = 0, maxT = 0;
      for (let i = 0; i < x.length; i++) {
        if (x[i] < lo || x[i] >= hi) continue;
        const v = y[i] as number;
        if (v < min) [min, minT] = [v, x[i]];
        if (v > max) [max, maxT] = [v, x[i]];
      }
      expect(drawn.has(minT) && drawn.has(maxT), `column ${b}`).toBe(true);
    }
  });

  it('keeps a gap (undefined values) as a break in the line', () => {
    const withGap = y.slice();
    for (let i = 40_000; i < 40_500; i++) withGap[i] = null;
    const d = decimateLine(x, withGap, { width, xRange: null });
    const gaps = d.y.map((v, i) => (v === null ? d.x[i] : null)).filter((t) => t !== null);
    expect(gaps.length).toBeGreaterThan(0);
    for (const t of gaps) expect(t! >= x[40_000] && t! < x[40_500]).toBe(true);
  });

  it('a zoom keeps only its range (and a point either side), at full resolution once it fits', () => {
    const from = x[10_000], to = x[10_600];
    const d = decimateLine(x, y, { width, xRange: [from, to] });
    expect(d.x).toEqual(x.slice(9_999, 10_601));
    expect(d.y).toEqual(y.slice(9_999, 10_601));
    const wide = decimateLine(x, y, { width, xRange: [x[0], x[50_000]] });
    expect(wide.x.length).toBeLessThanOrEqual(2 * width);
    expect(wide.x[wide.x.length - 1]).toBeLessThanOrEqual(x[50_001]);
  });

  it('a short line is drawn as it is', () => {
    const short = walk(1_000, 5);
    expect(decimateLine(short.x, short.y, { width, xRange: null })).toEqual(short);
  });
});

describe('lineTrace', () => {
  it('uses WebGL only when more than WEBGL_MIN_POINTS points remain after decimation', () => {
    const { x, y } = walk(86_400, 6);
    expect(lineTrace(x, y, { width: 800, xRange: null }).type).toBe('scatter');
    expect(lineTrace(x, y, { width: 2_000, xRange: null }).type).toBe('scattergl');
    expect(2 * 2_000).toBeGreaterThan(WEBGL_MIN_POINTS);
  });

  it('draws a line of one value so far with a marker, since a line needs two points to show', () => {
    const view = { width: 800, xRange: null };
    expect(lineTrace([1, 2, 3], [null, null, 1.61], view).mode).toBe('lines+markers');
    expect(lineTrace([1, 2, 3], [null, 0.5, 1.61], view).mode).toBe('lines');
    expect(lineTrace([], [], view).mode).toBe('lines+markers');
  });
});
