// The paper book stepped bar by bar, as bars close and quotes and funding arrive, trades exactly what one backtest
// over the same bars, quotes and funding trades; losing the end of an append (a kill mid-write) changes nothing.
import { describe, expect, it } from 'vitest';
import { type AlignedPair, type LegQuotes, type PairStrategy, backtestPair, resolveExecution } from '../../src/backtest';
import { type PaperBookSpec, type PaperEvent, foldBook, ruleDecisions, stepBook } from '../../src/paper';
import { rng } from '../backtest/helpers';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 6, 6, 0);
const N = 420;

function market(seed: number) {
  const rnd = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const time = new Float64Array(N);
  const xOpen = new Float64Array(N), xClose = new Float64Array(N), yOpen = new Float64Array(N), yClose = new Float64Array(N);
  let x = 100;
  let u = 0;
  for (let i = 0; i < N; i++) {
    time[i] = T0 + i * MIN;
    xOpen[i] = x;
    yOpen[i] = 2 * x + 5 + u;
    x *= 1 + 0.001 * gauss();
    u = 0.9 * u + 0.15 * gauss();
    xClose[i] = x;
    yClose[i] = 2 * x + 5 + u;
  }
  const pair: AlignedPair = { time, yOpen, yClose, xOpen, xClose, barMs: MIN };
  const quotes = (close: Float64Array): LegQuotes => {
    const t: number[] = [], bid: number[] = [], ask: number[] = [];
    for (let ms = T0 + 900; ms < T0 + N * MIN; ms += 3_000 + Math.floor(rnd() * 9_000)) {
      const mid = close[Math.min(N - 1, Math.floor((ms - T0) / MIN))] * (1 + 0.0002 * gauss());
      const half = mid * (0.00005 + 0.0002 * rnd());
      t.push(ms); bid.push(mid - half); ask.push(mid + half);
    }
    return { time: Float64Array.from(t), bid: Float64Array.from(bid), ask: Float64Array.from(ask) };
  };
  const fundingTimes = [T0 + 2 * 3_600_000, T0 + 4 * 3_600_000, T0 + 6 * 3_600_000 + 30_000];
  const funding = (leg: 'y' | 'x') => ({
    time: Float64Array.from(fundingTimes),
    rate: Float64Array.from(fundingTimes.map((_, i) => (leg === 'y' ? 0.0001 * (i + 1) : -0.00007 * (i + 2)))),
    markPrice: Float64Array.from(fundingTimes.map((t, i) => (i === 1 && leg === 'x' ? NaN : (leg === 'y' ? yClose : xClose)[(t - T0) / MIN | 0] * 1.0003))),
  });
  return { pair, quotes: { y: quotes(yClose), x: quotes(xClose) }, funding: { y: funding('y'), x: funding('x') } };
}

const slice = (a: Float64Array, n: number) => a.subarray(0, n);
const upTo = (q: LegQuotes, t: number): LegQuotes => {
  let n = 0;
  while (n < q.time.length && q.time[n] <= t) n++;
  return { time: slice(q.time, n), bid: slice(q.bid, n), ask: slice(q.ask, n) };
};

describe('a paper book', () => {
  for (const seed of [3, 11, 29]) {
    it(`stepped as bars close trades what the backtest over the same data trades (seed ${seed})`, () => {
      const m = market(seed);
      const strategy: PairStrategy = { entry: 1.2, exit: 0.2, stop: 3.5, maxHoldingBars: 40, window: 30, hedge: { kind: 'rolling', estimator: 'ols', window: 60, every: 5 } };
      const startBar = 80;
      const spec: PaperBookSpec = {
        name: 'test', y: 'YUSDT', x: 'XUSDT', timeframe: '1m', barMs: MIN, strategy, execution: resolveExecution({}), quoteMaxAgeMs: 20_000,
        historyFrom: T0, startAt: m.pair.time[startBar], createdAt: m.pair.time[startBar],
      };
      let journal: PaperEvent[] = [{ kind: 'start', time: spec.createdAt, spec }];
      let torn = 0;
      let writes = 0;
      for (let n = startBar + 1; n <= N; n++) {
        const bars: AlignedPair = { time: slice(m.pair.time, n), yOpen: slice(m.pair.yOpen, n), yClose: slice(m.pair.yClose, n), xOpen: slice(m.pair.xOpen, n), xClose: slice(m.pair.xClose, n), barMs: MIN };
        const closedUntil = bars.time[n - 1] + MIN;
        const storedTo = closedUntil + 1_500; // the quotes stored by the time the bar is seen closed
        const leg = (k: 'y' | 'x', symbol: string) => {
          const q = upTo(m.quotes[k], storedTo);
          const f = m.funding[k];
          const stored = [...f.time].map((time, i) => ({ time, rate: f.rate[i], markPrice: f.markPrice[i] })).filter((e) => e.time <= closedUntil);
          return { symbol, quotes: q, quotesFinalTo: q.time.length ? q.time[q.time.length - 1] : -Infinity, funding: stored };
        };
        const state = foldBook(journal);
        const step = stepBook(state, ruleDecisions(bars, strategy, startBar), {
          closedUntil,
          barOpen: (t) => {
            const i = (t - T0) / MIN;
            return i <= n && i < N ? { y: m.pair.yOpen[i], x: m.pair.xOpen[i] } : { y: NaN, x: NaN };
          },
          y: leg('y', 'YUSDT'),
          x: leg('x', 'XUSDT'),
        });
        expect(step.diverged).toBeNull();
        // every third step that appends anything dies before its last event is on the disk
        const tear = n < N && step.events.length > 0 && ++writes % 3 === 0; // the last step stands for the restart
        const kept = tear ? step.events.length - 1 : step.events.length;
        if (tear) torn++;
        journal = [...journal, ...step.events.slice(0, kept)];
      }
      const book = foldBook(journal);
      const bt = backtestPair(m.pair, strategy, { quotes: { ...m.quotes, maxAgeMs: 20_000 }, funding: m.funding, start: startBar });
      const closed = bt.trades.filter((t) => t.exitReason !== 'end');
      const paperClosed = book.trades.filter((t) => t.exitTime !== null);
      expect(closed.length).toBeGreaterThan(4);
      expect(torn).toBeGreaterThan(0);
      expect(paperClosed.length).toBe(closed.length);
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
      closed.forEach((t, i) => {
        const p = paperClosed[i];
        expect({ i, side: p.side, entry: p.entryTime, exit: p.exitTime, reason: p.exitReason }).toEqual({ i, side: t.side, entry: t.entryTime, exit: t.exitTime, reason: t.exitReason });
        for (const [a, b] of [[p.qtyY, t.qtyY], [p.qtyX, t.qtyX], [p.entryPriceY, t.entryPriceY], [p.entryPriceX, t.entryPriceX], [p.exitPriceY, t.exitPriceY], [p.exitPriceX, t.exitPriceX],
          [p.fees, t.fees], [p.spreadCost, t.spreadCost ?? NaN], [p.slippage, t.slippage ?? NaN], [p.funding, t.funding], [p.pnl, t.pnl]] as Array<[number, number]>) {
          expect(close(a, b), `trade ${i}: paper ${a} vs backtest ${b}`).toBe(true);
        }
      });
      expect(book.funding.length).toBeGreaterThan(0);
      expect(book.trades.every((t) => t.spreadCost > 0)).toBe(true);
      // funding was paid by held positions, and each settlement once
      expect(book.funding.length).toBe(new Set(book.funding.map((f) => f.id)).size);
      const ids = journal.filter((e) => e.kind === 'order').map((e) => (e as { id: string }).id);
      expect(ids.length).toBe(new Set(ids).size);
    });
  }
});
