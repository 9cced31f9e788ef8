/**
 * Many pairs on shared capital. Each pair's rule decides exactly as in `backtestPair` (same signals, same entries and
 * exits); the portfolio only sizes each round trip at its entry fill:
 *
 * - the pair's target notional per leg comes from the allocation (see `Allocation`);
 * - gross leverage limit: at an entry fill on bar e, the book's gross (Σ over open pairs and legs of |qty| × close of
 *   bar e − 1, after the exits filling on bar e) plus the entry's gross at its fill prices may not exceed
 *   `maxGrossLeverage` × equity at close e − 1. An entry that would exceed it is **scaled down** to fit; one whose
 *   scale would be at most `minEntryFraction` (default 1e-6: no room, up to rounding) is **skipped**, and the pair sits that round
 *   trip out (it does not chase the signal later). Both are counted. Entries filling on the same bar are sized in the
 *   order the pairs are given. The limit is on the book's gross (per-pair legs), which is at least the net gross.
 *
 * Because fills, fees, slippage and funding are linear in quantity, a round trip at scale s books s × the P&L, fees
 * and funding of the same round trip at the target size, bar by bar; the portfolio equity at each close is capital +
 * Σ pairs Σ bars s × (that pair's equity change at the target size). Fees are charged on each pair's own fills (the
 * books are independent: BTC bought by one pair and sold by another on the same bar pays both fees); the net
 * position per symbol across pairs is reported beside them. All pairs must share one time axis (same bars).
 */
import { type Allocation, allocate, pnlReturnMoments } from './allocation';
import { type BacktestOptions, resolveRange, runBacktest, toAligned } from './backtest';
import type { PairStrategy } from './backtestPair';
import type { SimulationRange } from './engine';
import { metricsFromSummary } from './metrics';
import { summariseCurve } from './curveStats';
import { resolveExecution } from './settings';
import { computeSignals, type Signals } from './signals';
import { tradeStats } from './tradeStats';
import type { AlignedPair, BacktestResult, ExecutionSettings, FundingSettings, Metrics, PairInput, QuoteSettings, Trade } from './types';
import { BacktestSettingsError, validateStrategy } from './validate';

export interface PortfolioPair {
  /** Symbol of the y leg and of the x leg (positions in one symbol are netted across pairs). */
  y: string;
  x: string;
  /** Default `y/x`; must be unique. */
  id?: string;
  bars: PairInput | AlignedPair;
  strategy: PairStrategy;
  funding?: FundingSettings;
  quotes?: QuoteSettings;
}

export interface PortfolioOptions {
  allocation?: Allocation;
  /** Fees, slippage, fill time and sizing mode of every pair; `capital` is the shared capital (`notionalPerLeg` is set by the allocation). */
  execution?: Partial<ExecutionSettings>;
  /** Book gross ÷ equity allowed at an entry fill. Default Infinity (no limit). */
  maxGrossLeverage?: number;
  /** An entry scaled to at most this fraction of its target is skipped. Default 1e-6. */
  minEntryFraction?: number;
  /** Trade bars [start, end) only (signals still look back before `start`). */
  start?: number;
  end?: number;
}

/** A round trip as the portfolio booked it: the pair's trade at the target size times `scale`. */
export interface PortfolioTrade extends Trade {
  pair: string;
  scale: number;
}

export interface PairAttribution {
  id: string;
  y: string;
  x: string;
  /** Target notional per leg from the allocation. */
  notionalPerLeg: number;
  /** Cumulative P&L the pair contributed at each close; the pairs' curves sum to equity − capital. */
  pnl: Float64Array;
  trades: PortfolioTrade[];
  fees: number;
  funding: number;
  /** Entries taken in full, scaled down by the leverage limit, and skipped. */
  entries: { full: number; scaled: number; skipped: number };
}

export interface SymbolPosition {
  symbol: string;
  /** Net quantity held at each close, summed over the pairs that trade the symbol. */
  quantity: Float64Array;
}

export interface PortfolioResult {
  time: Float64Array;
  equity: Float64Array;
  /** Σ over pairs and legs of |qty| × close at each close (what the leverage limit reads). */
  grossExposure: Float64Array;
  /** Σ over symbols of |net qty| × close at each close (the exchange's view; the close is the first pair's that trades the symbol). */
  netExposure: Float64Array;
  symbols: SymbolPosition[];
  pairs: PairAttribution[];
  /** Every booked round trip, by entry bar. `metrics.zPnl` is NaN: z units of different pairs do not add. */
  trades: PortfolioTrade[];
  metrics: Metrics;
}

interface PreparedPair {
  id: string;
  y: string;
  x: string;
  bars: AlignedPair;
  strategy: PairStrategy;
  signals: Signals;
  options: BacktestOptions;
}

function prepare(pairs: readonly PortfolioPair[]): PreparedPair[] {
  if (pairs.length === 0) throw new BacktestSettingsError('no pairs given: a portfolio needs at least one pair');
  const seen = new Set<string>();
  let first: { id: string; time: Float64Array } | null = null;
  return pairs.map((p) => {
    const id = p.id ?? `${p.y}/${p.x}`;
    if (seen.has(id)) throw new BacktestSettingsError(`pair id ${JSON.stringify(id)} is given twice: give each pair a distinct id`);
    seen.add(id);
    const bars = toAligned(p.bars);
    if (first === null) first = { id, time: bars.time };
    else checkSameAxis(first, id, bars.time);
    validateStrategy(p.strategy);
    const signals = computeSignals(bars, p.strategy.hedge, p.strategy.window, p.strategy.scale);
    return { id, y: p.y, x: p.x, bars, strategy: p.strategy, signals, options: { funding: p.funding, quotes: p.quotes } };
  });
}

function checkSameAxis(first: { id: string; time: Float64Array }, id: string, time: Float64Array): void {
  const a = first.time;
  const what = `pair ${JSON.stringify(id)} is not on the time axis of pair ${JSON.stringify(first.id)}`;
  const fix = 'align every pair on the same bars first (the portfolio marks equity on one grid)';
  if (time.length !== a.length) throw new BacktestSettingsError(`${what}: ${time.length} bars against ${a.length}; ${fix}`);
  for (let i = 0; i < a.length; i++) {
    if (time[i] !== a[i]) throw new BacktestSettingsError(`${what}: bar ${i} starts at ${new Date(time[i]).toISOString()} against ${new Date(a[i]).toISOString()}; ${fix}`);
  }
}

function run(p: PreparedPair, exec: ExecutionSettings, notionalPerLeg: number, range: SimulationRange): BacktestResult {
  return runBacktest(p.bars, p.signals, p.strategy, { ...p.options, execution: { ...exec, notionalPerLeg }, start: range.start, end: range.end });
}

function estimationMoments(pairs: PreparedPair[], exec: ExecutionSettings, allocation: Allocation, tradeStart: number) {
  return () => {
    const est = 'estimation' in allocation ? allocation.estimation : undefined;
    if (est === undefined) throw new BacktestSettingsError(`allocation ${allocation.kind} needs an estimation range of bars (before the traded bars) to measure the pairs' returns`);
    const range = resolveRange(pairs[0].bars.time.length, est.start, est.end);
    if (range.end > tradeStart) throw new BacktestSettingsError(`the estimation bars end at ${range.end}, after trading starts at bar ${tradeStart}: estimate on earlier bars only`);
    return pairs.map((p) => pnlReturnMoments(run(p, exec, exec.capital, range).equity, exec.capital));
  };
}

/** Per-pair state while the book is walked bar by bar. */
interface Book {
  p: PreparedPair;
  equity: Float64Array;
  trades: Trade[];
  next: number;
  open: Trade | null;
  scale: number;
  attribution: PairAttribution;
}

// every field written out: one object shape for all trades (a spread copy is slower to build and to read)
function scaled(t: Trade, pair: string, s: number): PortfolioTrade {
  return {
    side: t.side, entryBar: t.entryBar, exitBar: t.exitBar, entryTime: t.entryTime, exitTime: t.exitTime, entryZ: t.entryZ, exitZ: t.exitZ,
    hedgeRatio: t.hedgeRatio, qtyY: t.qtyY * s, qtyX: t.qtyX * s, entryPriceY: t.entryPriceY, entryPriceX: t.entryPriceX,
    exitPriceY: t.exitPriceY, exitPriceX: t.exitPriceX, fees: t.fees * s, spreadCost: (t.spreadCost ?? 0) * s, slippage: (t.slippage ?? 0) * s,
    funding: t.funding * s, pnl: t.pnl * s, holdingBars: t.holdingBars, holdingMs: t.holdingMs, exitReason: t.exitReason, pair, scale: s,
  };
}

/** Decides the scale of `t` filling on bar e of `b`, against the book's gross at close e − 1. */
function sizeEntry(books: Book[], b: Book, t: Trade, e: number, equityBefore: number, limit: number, minFraction: number): number {
  let gross = 0;
  for (const o of books) {
    const open = o.open;
    if (open === null || open.exitBar === e) continue; // exits fill before entries
    gross += o.scale * (Math.abs(open.qtyY) * o.p.bars.yClose[e - 1] + Math.abs(open.qtyX) * o.p.bars.xClose[e - 1]);
  }
  const entryGross = Math.abs(t.qtyY) * t.entryPriceY + Math.abs(t.qtyX) * t.entryPriceX;
  const room = limit * equityBefore - gross;
  const s = entryGross > 0 ? Math.min(1, room / entryGross) : 1;
  const counts = b.attribution.entries;
  if (s <= minFraction) {
    counts.skipped++;
    return 0;
  }
  if (s < 1) counts.scaled++;
  else counts.full++;
  return s;
}

export function backtestPortfolio(pairs: readonly PortfolioPair[], options: PortfolioOptions = {}): PortfolioResult {
  const prepared = prepare(pairs);
  const exec = resolveExecution(options.execution);
  const n = prepared[0].bars.time.length;
  const range = resolveRange(n, options.start, options.end);
  const limit = options.maxGrossLeverage ?? Infinity;
  if (!(limit > 0)) throw new BacktestSettingsError(`maxGrossLeverage is ${limit}: give a positive number (e.g. 2), or leave it out for no limit`);
  const minFraction = options.minEntryFraction ?? 1e-6;
  if (!(minFraction >= 0 && minFraction < 1)) throw new BacktestSettingsError(`minEntryFraction is ${minFraction}: give a fraction in [0, 1) of the target size below which an entry is skipped`);
  const allocation = options.allocation ?? { kind: 'equal' };
  const notionals = allocate(allocation, prepared.length, exec.capital, estimationMoments(prepared, exec, allocation, range.start));
  const len = range.end - range.start;
  const books: Book[] = prepared.map((p, i) => {
    const attribution: PairAttribution = {
      id: p.id, y: p.y, x: p.x, notionalPerLeg: notionals[i], pnl: new Float64Array(len), trades: [], fees: 0, funding: 0,
      entries: { full: 0, scaled: 0, skipped: 0 },
    };
    // a pair allocated nothing takes no trade
    const r = notionals[i] > 0 ? run(p, exec, notionals[i], range) : null;
    return { p, equity: r?.equity ?? new Float64Array(len).fill(exec.capital), trades: r?.trades ?? [], next: 0, open: null, scale: 0, attribution };
  });
  const equity = walk(books, range, exec.capital, limit, minFraction);
  return report(books, equity, range, exec);
}

/** Marks the shared equity bar by bar, sizing each entry as it fills; fills each pair's attribution. */
function walk(books: Book[], range: SimulationRange, capital: number, limit: number, minFraction: number): Float64Array {
  const len = range.end - range.start;
  const equity = new Float64Array(len);
  const cumulative = new Float64Array(books.length);
  let prev = capital;
  for (let j = 0; j < len; j++) {
    const t = range.start + j;
    for (const b of books) {
      const trade = b.trades[b.next];
      if (trade === undefined || trade.entryBar !== t) continue;
      b.next++;
      b.open = trade;
      b.scale = sizeEntry(books, b, trade, t, prev, limit, minFraction);
      if (b.scale > 0) b.attribution.trades.push(scaled(trade, b.p.id, b.scale));
    }
    let total = capital;
    for (let i = 0; i < books.length; i++) {
      const b = books[i];
      if (b.open !== null) {
        cumulative[i] += b.scale * (b.equity[j] - (j > 0 ? b.equity[j - 1] : capital));
        if (b.open.exitBar === t) b.open = null;
      }
      b.attribution.pnl[j] = cumulative[i];
      total += cumulative[i];
    }
    equity[j] = total;
    prev = total;
  }
  return equity;
}

function report(books: Book[], equity: Float64Array, range: SimulationRange, exec: ExecutionSettings): PortfolioResult {
  const len = range.end - range.start;
  const bars = books[0].p.bars;
  const time = bars.time.subarray(range.start, range.end);
  const grossExposure = new Float64Array(len);
  const quantities = new Map<string, { quantity: Float64Array; close: Float64Array }>();
  const symbolOf = (symbol: string, close: Float64Array) => {
    let s = quantities.get(symbol);
    if (s === undefined) {
      s = { quantity: new Float64Array(len), close };
      quantities.set(symbol, s);
    }
    return s.quantity;
  };
  const trades: PortfolioTrade[] = [];
  let traded = 0;
  for (const b of books) {
    const { yClose, xClose } = b.p.bars;
    const qy = symbolOf(b.p.y, yClose);
    const qx = symbolOf(b.p.x, xClose);
    for (const t of b.attribution.trades) {
      b.attribution.fees += t.fees;
      b.attribution.funding += t.funding;
      traded += Math.abs(t.qtyY) * (t.entryPriceY + t.exitPriceY) + Math.abs(t.qtyX) * (t.entryPriceX + t.exitPriceX);
      // held at the closes from the entry bar up to (not including) the exit bar
      for (let k = t.entryBar; k < t.exitBar; k++) {
        const j = k - range.start;
        qy[j] += t.qtyY;
        qx[j] += t.qtyX;
        grossExposure[j] += Math.abs(t.qtyY) * yClose[k] + Math.abs(t.qtyX) * xClose[k];
      }
    }
    trades.push(...b.attribution.trades);
  }
  trades.sort((a, b) => a.entryBar - b.entryBar);
  const netExposure = new Float64Array(len);
  const symbols: SymbolPosition[] = [];
  for (const [symbol, { quantity, close }] of quantities) {
    symbols.push({ symbol, quantity });
    for (let j = 0; j < len; j++) netExposure[j] += Math.abs(quantity[j]) * close[range.start + j];
  }
  let exposed = 0;
  for (let j = 0; j < len; j++) if (grossExposure[j] > 0) exposed++;
  const metrics = metricsFromSummary(summariseCurve(equity, time, exec.capital), {
    capital: exec.capital, barMs: bars.barMs, trades: tradeStats(trades), zPnl: NaN, tradedNotional: traded, exposedBars: exposed,
  });
  return { time, equity, grossExposure, netExposure, symbols, pairs: books.map((b) => b.attribution), trades, metrics };
}
