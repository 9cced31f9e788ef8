// Backtester speed: one backtest on 1,000,000 bars and a 1,000-point grid on 100,000 bars.
import { loadavg } from 'node:os';
import { type Benchmark, medianMs } from './harness';
import { alignPair, backtestPair, backtestPortfolio, computeSignals, gridSearch, runBacktest, type AlignedPair, type GridSpec, type PortfolioPair } from '../src/backtest';

/** A cointegrated pair of 1-minute bars: x a random walk, y = 2x + 10 + AR(1) noise. */
function syntheticPair(n: number, seed = 1): AlignedPair {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const gauss = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const time = new Float64Array(n);
  const yOpen = new Float64Array(n);
  const yClose = new Float64Array(n);
  const xOpen = new Float64Array(n);
  const xClose = new Float64Array(n);
  let x = 100;
  let e = 0;
  for (let i = 0; i < n; i++) {
    time[i] = 1_700_000_000_000 + i * 60_000;
    xOpen[i] = x;
    x *= 1 + 0.001 * gauss();
    xClose[i] = x;
    e = 0.95 * e + 0.5 * gauss();
    yOpen[i] = i > 0 ? yClose[i - 1] : 2 * x + 10;
    yClose[i] = 2 * x + 10 + e;
  }
  return alignPair({ y: { time, open: yOpen, close: yClose }, x: { time, open: xOpen, close: xClose } });
}

/** The 1-minute load average: timings on this shared 2-core machine mean little when it is far above 2. */
function loadAverage(): string {
  return loadavg()[0].toFixed(1);
}

/** 10 entry × 5 exit × 4 window × 5 stop = 1,000 points on one hedge method. */
const grid: GridSpec = {
  entry: [1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.25, 3.5],
  exit: [0, 0.25, 0.5, 0.75, 1],
  window: [30, 60, 120, 240],
  stop: [null, 3.75, 4, 4.5, 5],
  hedge: [{ kind: 'rolling', estimator: 'ols', window: 500, every: 10 }],
  maxHoldingBars: 1_000,
};

const oneMillion = { pair: null as AlignedPair | null };
const gridRun = { ms: NaN };

async function timeGrid(): Promise<number> {
  if (Number.isNaN(gridRun.ms)) {
    const pair = syntheticPair(100_000, 2);
    let points = 0;
    gridRun.ms = await medianMs(() => {
      points = gridSearch(pair, grid).rows.length;
    }, 3, 1);
    if (points !== 1000) throw new Error(`grid ran ${points} points, expected 1000`);
  }
  return gridRun.ms;
}

function bigPair(): AlignedPair {
  oneMillion.pair ??= syntheticPair(1_000_000);
  return oneMillion.pair;
}

/** 20 pairs over 8 symbols (each symbol in 5 pairs), every pair on its own synthetic prices and one time grid. */
function portfolioPairs(bars: number): PortfolioPair[] {
  const symbols = ['BTC', 'ETH', 'SOL', 'BNB', 'XRP', 'ADA', 'DOGE', 'AVAX'];
  const pairs: PortfolioPair[] = [];
  for (let i = 0; i < 20; i++) {
    const y = symbols[i % 8];
    const x = symbols[(i + 1 + Math.floor(i / 8)) % 8];
    pairs.push({ id: `${y}/${x}#${i}`, y, x, bars: syntheticPair(bars, 10 + i), strategy: { entry: 2, exit: 0.5, stop: 4, window: 120, hedge: { kind: 'rolling', estimator: 'ols', window: 500, every: 10 } } });
  }
  return pairs;
}

export const benchmarks: Benchmark[] = [
  {
    group: 'backtest',
    name: 'one backtest, 1,000,000 bars (precomputed β and z)',
    target: { kind: 'max', value: 20 },
    async run() {
      const pair = bigPair();
      const signals = computeSignals(pair, { kind: 'rolling', estimator: 'ols', window: 500, every: 10 }, 120);
      let trades = 0;
      const cpu: number[] = [];
      const ms = await medianMs(() => {
        const c0 = process.cpuUsage();
        trades = runBacktest(pair, signals, { entry: 2, exit: 0.5, stop: 4 }).metrics.trades;
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }, 15, 3);
      cpu.sort((a, b) => a - b);
      const records = await medianMs(() => runBacktest(pair, signals, { entry: 2, exit: 0.5, stop: 4 }).trades.length, 5, 1);
      return {
        value: ms,
        unit: 'ms',
        detail: `${trades} trades; equity, position, metrics (returns and trade records on first access: with records ${records.toFixed(1)} ms); CPU median ${cpu[cpu.length >> 1].toFixed(1)} ms; load ${loadAverage()}`,
      };
    },
  },
  {
    group: 'backtest',
    name: 'one backtest with signals, 1,000,000 bars (rolling OLS β every 10 bars + z)',
    async run() {
      const pair = bigPair();
      const ms = await medianMs(() => backtestPair(pair, { entry: 2, exit: 0.5, stop: 4, window: 120, hedge: { kind: 'rolling', estimator: 'ols', window: 500, every: 10 } }), 3, 1);
      return { value: ms, unit: 'ms', detail: 'hedge ratio and z-score from src/analytics, then the backtest' };
    },
  },
  {
    group: 'backtest',
    name: 'grid of 1,000 parameter sets, 100,000 bars',
    target: { kind: 'max', value: 2000 },
    async run() {
      const ms = await timeGrid();
      return { value: ms, unit: 'ms', detail: `${Math.round(1e6 / ms)} backtests/s; includes β and 4 z windows; load ${loadAverage()}` };
    },
  },
  {
    group: 'backtest',
    name: 'grid throughput, 100,000 bars',
    target: { kind: 'min', value: 500 },
    async run() {
      const ms = await timeGrid();
      return { value: 1e6 / ms, unit: 'backtests/s', detail: "1,000 points (10 entry × 5 exit × 4 window × 5 stop); vectorbt's pairs example: ~565/s" };
    },
  },
  {
    group: 'backtest',
    name: 'portfolio of 20 pairs × 100,000 bars on shared capital',
    target: { kind: 'max', value: 1000 },
    async run() {
      const pairs = portfolioPairs(100_000);
      let trades = 0;
      let limited = 0;
      const cpu: number[] = [];
      const ms = await medianMs(() => {
        const c0 = process.cpuUsage();
        const r = backtestPortfolio(pairs, { allocation: { kind: 'equal', budget: 2 }, maxGrossLeverage: 1.5, execution: { capital: 100_000 } });
        trades = r.metrics.trades;
        limited = r.pairs.reduce((a, p) => a + p.entries.scaled + p.entries.skipped, 0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }, 3, 1);
      cpu.sort((a, b) => a - b);
      return { value: ms, unit: 'ms', detail: `CPU median ${cpu[cpu.length >> 1].toFixed(0)} ms; signals (rolling OLS β every 10 bars + z) and the backtest of every pair, sizing at each fill, net positions per symbol; ${trades} trades, ${limited} entries scaled or skipped by the 1.5× gross limit; load ${loadAverage()}` };
    },
  },
];
