// A pair view's backtest on a store recorded from the simulated exchange (trades, quotes, mark prices and funding, the
// clock 14,400× faster so two settlements fall inside the bars) charges the recorded funding events at their mark
// prices and fills at the recorded quotes: its funding equals Σ −qty × mark × rate over the events each trade held,
// recomputed here from lab.funding() and lab.mark().
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acceleratedClock } from '../../src/feed/clock';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { FUNDING_INTERVAL_MS } from '../../src/feed/sim/market-data';
import { type Lab, openLab } from '../../kernel-lib/src/session/lab';
import { waitFor } from '../feed/helpers';

const HOUR = 3_600_000;
const SPEED = 14_400;
const symbols = ['BTCUSDT', 'ETHUSDT'];
const START = Date.UTC(2026, 11, 5, 7, 50);

describe('backtest costs from a recorded store', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kernel-backtest-recorded-'));
  let recorder: Recorder | undefined;
  let lab: Lab | undefined;
  afterAll(async () => {
    await recorder?.stop();
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('charges recorded funding at the mark price of each event held and fills at recorded quotes', async () => {
    const clock = acceleratedClock(SPEED, START);
    recorder = await startRecorder({
      dataDir: dir, symbols, source: 'simulated', clock, fundingHistoryDays: 1, healthIntervalMs: 0,
      simulatedExchange: { tradesPerSecond: 0.05, quotesPerSecond: 0.5, bursts: false, seed: 7, pongTimeoutMs: 100 * HOUR },
      feed: { staleTimeoutMs: 4 * HOUR },
    });
    const r = recorder;
    // settlements at 08:00, 16:00, 00:00 and 08:00 (the first comes before the bars' warm-up ends); bars run past the last one
    const lastSettlement = START - (START % FUNDING_INTERVAL_MS) + 4 * FUNDING_INTERVAL_MS;
    await waitFor(() => symbols.every((s) => (r.health().funding?.newest[s] ?? 0) >= lastSettlement), 20_000, 'the fourth settlement fetched');
    await waitFor(() => clock.now() > lastSettlement + 20 * 60_000, 5_000, 'bars past the last settlement');
    await r.stop();
    recorder = undefined;

    const l = await openLab({ dataDir: dir, universe: symbols });
    lab = l;
    const view = await l.pair('BTCUSDT', 'ETHUSDT', { timeframe: '15m', window: 8, hedge: 'ols', hedgeWindow: 16 });
    const from = view.time[0];
    const to = view.time[view.length - 1] + 1;
    const events = await Promise.all(symbols.map(async (symbol) => {
      const f = await l.funding(symbol, { from, to });
      expect(f.fundingTime.length, `${symbol} events in the bars`).toBeGreaterThanOrEqual(3);
      const mark = await Promise.all(Array.from(f.fundingTime, async (tau, i) => {
        if (f.markPrice[i] > 0) return f.markPrice[i];
        const m = await l.mark(symbol, { from: tau - 5_000, to: tau + 1 });
        return m.markPrice[m.markPrice.length - 1];
      }));
      return { time: f.fundingTime, rate: f.fundingRate, mark };
    }));
    // at this speed the simulator's quotes come in bursts minutes of simulated time apart (further under load), so quotes
    // up to 10 min old fill, and a fill after a longer gap falls back to the bar price (counted)
    // whether a rule is in a position at a settlement depends on the recorded prices: several rules, so some are
    let held = 0;
    for (const entry of [0.05, 0.2, 0.5, 1]) {
      const report = await view.backtest({ entry, exit: 0 }, { quoteMaxAgeMs: 600_000 });
      expect(report.costModel.funding).toBe('recorded');
      expect(report.costModel.fills).toBe('quotes');
      if (report.trades.length) {
        expect(report.costUsage.quotedFills, report.costModel.note).toBeGreaterThan(0);
        expect(report.metrics.spreadCost).toBeGreaterThan(0);
      }
      // by hand: an event at τ is paid by a trade with entry fill time < τ ≤ exit fill time, on its quantity × the mark
      let expected = 0;
      for (const t of report.trades) {
        for (const [k, qty] of [[0, t.qtyY], [1, t.qtyX]] as const) {
          const e = events[k];
          for (let i = 0; i < e.time.length; i++) {
            if (!(t.entryTime < e.time[i] && e.time[i] <= t.exitTime)) continue;
            expect(e.mark[i]).toBeGreaterThan(0);
            expected += -qty * e.mark[i] * e.rate[i];
            held++;
          }
        }
      }
      expect(report.metrics.funding, `funding at entry ${entry}`).toBeCloseTo(expected, 9);
      expect(report.trades.reduce((s, t) => s + t.funding, 0)).toBeCloseTo(expected, 9);
    }
    expect(held, 'funding events held by a trade').toBeGreaterThan(0);

    const plain = await view.backtest({ entry: 0.3, exit: 0 }, { funding: 'none', fills: 'bars' });
    expect(plain.costModel).toMatchObject({ funding: 'none', fills: 'bars' });
    expect(plain.costModel.note).toContain('fills at bar prices + 1 bps slippage');
    expect(plain.metrics.funding).toBe(0);
    expect(plain.metrics.spreadCost).toBe(0);
    expect(plain.metrics.slippageCost).toBeGreaterThan(0);
  }, 40_000);
});
