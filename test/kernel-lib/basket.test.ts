// lab.basket and lab.basketScan on a store: imported 1m bars where CUSDT ≈ AUSDT + BUSDT (no pair cointegrated) and
// DUSDT is an independent walk; the basket's statistics, its backtest with rolling weights, and the ranking.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, openLab } from '../../kernel-lib/src/session/lab';
import { analytics, backtest } from '../../kernel-lib/src';

const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-basket-'));
const bars = 1500;
const t0 = Date.UTC(2026, 0, 5);
let lab: Lab;

function csv(): string {
  let seed = 20261206;
  const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const g = () => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
  let a = 200;
  let b = 150;
  let d = 120;
  let e = 0;
  const lines = ['timestamp,symbol,open,high,low,close,volume'];
  const prev: Record<string, number> = {};
  for (let t = 0; t < bars; t++) {
    a += 0.4 * g();
    b += 0.3 * g();
    d += 0.4 * g();
    e = 0.8 * e + 0.5 * g();
    const closes: Record<string, number> = { AUSDT: a, BUSDT: b, CUSDT: a + b + e, DUSDT: d };
    const ts = new Date(t0 + t * 60_000).toISOString();
    for (const [s, c] of Object.entries(closes)) {
      const o = prev[s] ?? c;
      lines.push(`${ts},${s},${o.toFixed(4)},${Math.max(o, c).toFixed(4)},${Math.min(o, c).toFixed(4)},${c.toFixed(4)},100`);
      prev[s] = c;
    }
  }
  return lines.join('\n');
}

beforeAll(async () => {
  lab = await openLab({ dataDir: dir });
  await lab.importCsv(csv(), { timeframe: '1m' });
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('lab.basket', () => {
  it('gives the basket statistics of the legs on their common bars (Johansen weights, leg 1 = 1)', async () => {
    const view = await lab.basket(['CUSDT', 'AUSDT', 'BUSDT'], { timeframe: '1m', weights: 'johansen', window: 60 });
    const m = view.metrics;
    expect(m.bars).toBe(bars);
    expect(m.weights[0]).toBe(1);
    m.weights.slice(1).forEach((w) => expect(w).toBeCloseTo(-1, 1));
    expect(m.cointRejects).toBe(true);
    expect(m.stability).toBe(1);
    expect(m.halfLife).toBeLessThan(10);
    const direct = analytics.johansenWeights(view.basket.close);
    expect(m.weights).toEqual(Array.from(direct.weights));
    expect(view.series.z).toHaveLength(bars);
    expect(Object.keys(view.series.close)).toEqual(['CUSDT', 'AUSDT', 'BUSDT']);
    const eg = await lab.basket(['CUSDT', 'AUSDT', 'BUSDT'], { timeframe: '1m', weights: 'eg' });
    expect(eg.metrics.cointPValue).toBeLessThan(0.01);
  });

  it('backtests with rolling weights, legs filled at bar prices without recorded quotes', async () => {
    const view = await lab.basket(['CUSDT', 'AUSDT', 'BUSDT'], { timeframe: '1m', window: 60, weightWindow: 300, weightEvery: 30 });
    const report = await view.backtest({ entry: 1.5, exit: 0.3 }, { feeBps: 4, slippageBps: 2 });
    expect(report.metrics.trades).toBeGreaterThan(5);
    expect(Number.isNaN(report.signals.weights[1][298])).toBe(true);
    expect(report.costUsage.quotedFills).toBe(0);
    expect(report.costNotes.join(' ')).toMatch(/no recorded quotes/);
    // the same run through the backtester directly
    const direct = backtest.backtestBasket(view.basket, {
      entry: 1.5, exit: 0.3, window: 60, weights: { kind: 'rolling', method: 'johansen', window: 300, every: 30 },
    }, { execution: { takerFeeBps: 4, slippageBps: 2 } });
    expect(Array.from(report.equity)).toEqual(Array.from(direct.equity));
    expect(report.trades[0].legFees).toHaveLength(3);
    const figure = view.charts.equity(report);
    expect(figure.data.length).toBeGreaterThan(0);
    expect(view.charts.spread({ entry: 1.5 }).layout).toBeDefined();
  });

  it('refuses a bad leg list with what to do', async () => {
    await expect(lab.basket(['CUSDT'], { timeframe: '1m' })).rejects.toThrow(/2 to 6 legs/);
    await expect(lab.basket(['CUSDT', 'cusdt'], { timeframe: '1m' })).rejects.toThrow(/not a symbol/);
    await expect(lab.basket(['CUSDT', 'CUSDT'], { timeframe: '1m' })).rejects.toThrow(/repeats/);
    await expect(lab.basket(['CUSDT', 'AUSDT'], { timeframe: '1m', window: 5000 })).rejects.toThrow(/at least 5000/);
  });
});

describe('lab.basketScan', () => {
  it('ranks the cointegrated triple first among the 4 triples of the universe', async () => {
    const scan = await lab.basketScan({ timeframe: '1m', size: 3 });
    expect(scan.bars).toBe(bars);
    expect(scan.rows).toHaveLength(4);
    expect([...scan.rows[0].legs].sort()).toEqual(['AUSDT', 'BUSDT', 'CUSDT']);
    expect(scan.rows[0].egPValue).toBeLessThan(0.01);
    expect(scan.rows[1].egPValue).toBeGreaterThan(0.01);
  });
});

describe('basket scan on worker threads', () => {
  it('gives exactly the rows of the one-thread scan, 35 baskets × 20,000 bars on 2 threads', async () => {
    const { scanBasketsParallel, scanThreads, scanWorkerScript } = await import('../../kernel-lib/src/analysis/parallelScan');
    const script = scanWorkerScript();
    expect(script, 'the compiled worker (npm run build)').not.toBeNull();
    expect(scanThreads(35 * 3, 20_000, 2, script)).toBe(2);
    let seed = 77;
    const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const g = () => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
    const universe: Record<string, Float64Array> = {};
    for (let k = 0; k < 7; k++) {
      let p = 100 + 10 * k;
      universe[`S${k}USDT`] = Float64Array.from({ length: 20_000 }, () => (p += g()));
    }
    const one = analytics.scanBaskets(universe, { size: 3 });
    const two = await scanBasketsParallel(universe, { size: 3, threads: 2 });
    expect(two).toEqual(one);
    expect(two).toHaveLength(35);
  }, 60_000);
});
