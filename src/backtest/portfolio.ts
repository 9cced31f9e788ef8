/**
 * Many pairs and baskets (the members) on shared capital. Each member's rule decides exactly as in `backtestPair` or
 * `backtestBasket` (same signals, same entries and exits); the portfolio only sizes each round trip at its entry fill:
 *
 * - the member's target notional per leg comes from the allocation (see `Allocation`);
 * - gross leverage limit: at an entry fill on bar e, the book's gross (Σ over open members and legs of |qty| × close of
 *   bar e − 1, after the exits filling on bar e) plus the entry's gross at its fill prices may not exceed
 *   `maxGrossLeverage` × equity at close e − 1. An entry that would exceed it is **scaled down** to fit; one whose
 *   scale would be at most `minEntryFraction` (default 1e-6: no room, up to rounding) is **skipped**, and the member sits that
 *   round trip out (it does not chase the signal later). Both are counted. Entries filling on the same bar are sized in
 *   the order the members are given. The limit is on the book's gross (per-member legs), which is at least the net gross.
 *
 * Because fills, fees, slippage and funding are linear in quantity, a round trip at scale s books s × the P&L, fees
 * and funding of the same round trip at the target size, bar by bar; the portfolio equity at each close is capital +
 * Σ members Σ bars s × (that member's equity change at the target size). Fees are charged on each member's own fills
 * (the books are independent: BTC bought by a pair and sold by a basket on the same bar pays both fees); the net
 * position per symbol across members (BTC in a pair and in a basket is one position) is reported beside them. All
 * members must share one time axis (same bars).
 */
import { type Allocation, allocate, pnlReturnMoments } from './allocation';
import { resolveRange } from './backtest';
import type { BasketTrade } from './basketTypes';
import type { SimulationRange } from './engine';
import { metricsFromSummary } from './metrics';
import { summariseCurve } from './curveStats';
import { type LegTrade, type PortfolioMember, type PreparedMember, prepareMembers } from './portfolioMembers';
import { resolveExecution } from './settings';
import { tradeStats } from './tradeStats';
import type { ExecutionSettings, Metrics, Trade } from './types';
import { BacktestSettingsError } from './validate';

export { type PortfolioBasket, type PortfolioMember, type PortfolioPair } from './portfolioMembers';

export interface PortfolioOptions {
  allocation?: Allocation;
  /** Fees, slippage, fill time and sizing mode of every member; `capital` is the shared capital (`notionalPerLeg` is set by the allocation). */
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

/** A basket's round trip as the portfolio booked it: its trade at the target size times `scale`. */
export interface PortfolioBasketTrade extends BasketTrade {
  basket: string;
  scale: number;
}

interface Attribution<T> {
  id: string;
  /** Target notional per leg from the allocation (a basket: leg 1's, the others sized from their weights). */
  notionalPerLeg: number;
  /** Cumulative P&L the member contributed at each close; the members' curves sum to equity − capital. */
  pnl: Float64Array;
  trades: T[];
  fees: number;
  funding: number;
  /** Entries taken in full, scaled down by the leverage limit, and skipped. */
  entries: { full: number; scaled: number; skipped: number };
}

export interface PairAttribution extends Attribution<PortfolioTrade> {
  y: string;
  x: string;
}

export interface BasketAttribution extends Attribution<PortfolioBasketTrade> {
  /** The legs' symbols, leg 1 first. */
  symbols: string[];
}

export interface SymbolPosition {
  symbol: string;
  /** Net quantity held at each close, summed over the members that trade the symbol. */
  quantity: Float64Array;
}

export interface PortfolioResult {
  time: Float64Array;
  equity: Float64Array;
  /** Σ over members and legs of |qty| × close at each close (what the leverage limit reads). */
  grossExposure: Float64Array;
  /** Σ over symbols of |net qty| × close at each close (the exchange's view; the close is the first member's that trades the symbol). */
  netExposure: Float64Array;
  symbols: SymbolPosition[];
  /** The pair members, in the order given. */
  pairs: PairAttribution[];
  /** The basket members, in the order given. */
  baskets: BasketAttribution[];
  /** Every round trip booked by a pair, by entry bar. `metrics.zPnl` is NaN: z units of different members do not add. */
  trades: PortfolioTrade[];
  /** Every round trip booked by a basket, by entry bar. */
  basketTrades: PortfolioBasketTrade[];
  metrics: Metrics;
}

function estimationMoments(members: PreparedMember[], exec: ExecutionSettings, allocation: Allocation, tradeStart: number) {
  return () => {
    const est = 'estimation' in allocation ? allocation.estimation : undefined;
    if (est === undefined) throw new BacktestSettingsError(`allocation ${allocation.kind} needs an estimation range of bars (before the traded bars) to measure the members' returns`);
    const range = resolveRange(members[0].time.length, est.start, est.end);
    if (range.end > tradeStart) throw new BacktestSettingsError(`the estimation bars end at ${range.end}, after trading starts at bar ${tradeStart}: estimate on earlier bars only`);
    return members.map((p) => pnlReturnMoments(p.run(exec, exec.capital, range).equity, exec.capital));
  };
}

/** Per-member state while the book is walked bar by bar. */
interface Book {
  p: PreparedMember;
  equity: Float64Array;
  trades: LegTrade<Trade | BasketTrade>[];
  next: number;
  open: LegTrade<Trade | BasketTrade> | null;
  scale: number;
  /** The round trips taken, each with its scale. */
  booked: { t: LegTrade<Trade | BasketTrade>; scale: number }[];
  entries: { full: number; scaled: number; skipped: number };
  pnl: Float64Array;
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

function scaledBasket(t: BasketTrade, basket: string, s: number): PortfolioBasketTrade {
  const times = (v: number) => v * s;
  return {
    side: t.side, entryBar: t.entryBar, exitBar: t.exitBar, entryTime: t.entryTime, exitTime: t.exitTime, entryZ: t.entryZ, exitZ: t.exitZ,
    weights: t.weights, qty: t.qty.map(times), entryPrice: t.entryPrice, exitPrice: t.exitPrice, legFees: t.legFees.map(times), fees: t.fees * s,
    legFunding: t.legFunding.map(times), funding: t.funding * s, spreadCost: t.spreadCost * s, slippage: t.slippage * s, pnl: t.pnl * s,
    holdingBars: t.holdingBars, holdingMs: t.holdingMs, exitReason: t.exitReason, basket, scale: s,
  };
}

/** Σ over legs of |qty| × price; summed from 0 leg by leg so a pair's figure is |qY|·pY + |qX|·pX to the bit. */
function legGross(qty: readonly number[], price: (leg: number) => number): number {
  let g = 0;
  for (let i = 0; i < qty.length; i++) g += Math.abs(qty[i]) * price(i);
  return g;
}

/** Decides the scale of `t` filling on bar e of `b`, against the book's gross at close e − 1. */
function sizeEntry(books: Book[], b: Book, t: LegTrade<unknown>, e: number, equityBefore: number, limit: number, minFraction: number): number {
  let gross = 0;
  for (const o of books) {
    const open = o.open;
    if (open === null || open.exitBar === e) continue; // exits fill before entries
    gross += o.scale * legGross(open.qty, (i) => o.p.close[i][e - 1]);
  }
  const entryGross = legGross(t.qty, (i) => t.entryPrice[i]);
  const room = limit * equityBefore - gross;
  const s = entryGross > 0 ? Math.min(1, room / entryGross) : 1;
  const counts = b.entries;
  if (s <= minFraction) {
    counts.skipped++;
    return 0;
  }
  if (s < 1) counts.scaled++;
  else counts.full++;
  return s;
}

/** Backtests pairs and baskets on shared capital (see the module comment); members are told apart by `basket` vs `y`/`x`. */
export function backtestPortfolio(members: readonly PortfolioMember[], options: PortfolioOptions = {}): PortfolioResult {
  const prepared = prepareMembers(members);
  const exec = resolveExecution(options.execution);
  const n = prepared[0].time.length;
  const range = resolveRange(n, options.start, options.end);
  const limit = options.maxGrossLeverage ?? Infinity;
  if (!(limit > 0)) throw new BacktestSettingsError(`maxGrossLeverage is ${limit}: give a positive number (e.g. 2), or leave it out for no limit`);
  const minFraction = options.minEntryFraction ?? 1e-6;
  if (!(minFraction >= 0 && minFraction < 1)) throw new BacktestSettingsError(`minEntryFraction is ${minFraction}: give a fraction in [0, 1) of the target size below which an entry is skipped`);
  const allocation = options.allocation ?? { kind: 'equal' };
  const notionals = allocate(allocation, prepared.length, exec.capital, estimationMoments(prepared, exec, allocation, range.start));
  const len = range.end - range.start;
  const books: Book[] = prepared.map((p, i) => {
    // a member allocated nothing takes no trade
    const r = notionals[i] > 0 ? p.run(exec, notionals[i], range) : null;
    return {
      p, equity: r?.equity ?? new Float64Array(len).fill(exec.capital), trades: r?.trades ?? [], next: 0, open: null, scale: 0,
      booked: [], entries: { full: 0, scaled: 0, skipped: 0 }, pnl: new Float64Array(len),
    };
  });
  const equity = walk(books, range, exec.capital, limit, minFraction);
  return report(books, notionals, equity, range, exec);
}

/** Marks the shared equity bar by bar, sizing each entry as it fills; fills each member's P&L curve. */
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
      if (b.scale > 0) b.booked.push({ t: trade, scale: b.scale });
    }
    let total = capital;
    for (let i = 0; i < books.length; i++) {
      const b = books[i];
      if (b.open !== null) {
        cumulative[i] += b.scale * (b.equity[j] - (j > 0 ? b.equity[j - 1] : capital));
        if (b.open.exitBar === t) b.open = null;
      }
      b.pnl[j] = cumulative[i];
      total += cumulative[i];
    }
    equity[j] = total;
    prev = total;
  }
  return equity;
}

/** The pair's or basket's attribution with its booked round trips scaled. */
function attribution(b: Book, notionalPerLeg: number): { pair?: PairAttribution; basket?: BasketAttribution } {
  const { id } = b.p;
  const base = { id, notionalPerLeg, pnl: b.pnl, fees: 0, funding: 0, entries: b.entries };
  const add = (a: { fees: number; funding: number }, t: { fees: number; funding: number }) => {
    a.fees += t.fees;
    a.funding += t.funding;
  };
  if (b.p.kind === 'pair') {
    const a: PairAttribution = { ...base, y: b.p.symbols[0], x: b.p.symbols[1], trades: b.booked.map(({ t, scale }) => scaled(t.trade as Trade, id, scale)) };
    a.trades.forEach((t) => add(a, t));
    return { pair: a };
  }
  const a: BasketAttribution = { ...base, symbols: b.p.symbols, trades: b.booked.map(({ t, scale }) => scaledBasket(t.trade as BasketTrade, id, scale)) };
  a.trades.forEach((t) => add(a, t));
  return { basket: a };
}

function report(books: Book[], notionals: number[], equity: Float64Array, range: SimulationRange, exec: ExecutionSettings): PortfolioResult {
  const len = range.end - range.start;
  const first = books[0].p;
  const time = first.time.subarray(range.start, range.end);
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
  let traded = 0;
  for (const b of books) {
    const { close } = b.p;
    const held = b.p.symbols.map((symbol, i) => symbolOf(symbol, close[i]));
    for (const { t, scale } of b.booked) {
      const q = t.qty.map((v) => v * scale);
      traded += legGross(q, (i) => t.entryPrice[i] + t.exitPrice[i]);
      // held at the closes from the entry bar up to (not including) the exit bar
      for (let k = t.entryBar; k < t.exitBar; k++) {
        const j = k - range.start;
        let gross = 0;
        for (let i = 0; i < q.length; i++) {
          held[i][j] += q[i];
          gross += Math.abs(q[i]) * close[i][k];
        }
        grossExposure[j] += gross;
      }
    }
  }
  const netExposure = new Float64Array(len);
  const symbols: SymbolPosition[] = [];
  for (const [symbol, { quantity, close }] of quantities) {
    symbols.push({ symbol, quantity });
    for (let j = 0; j < len; j++) netExposure[j] += Math.abs(quantity[j]) * close[range.start + j];
  }
  let exposed = 0;
  for (let j = 0; j < len; j++) if (grossExposure[j] > 0) exposed++;
  const parts = books.map((b, i) => attribution(b, notionals[i]));
  const pairs = parts.flatMap((p) => (p.pair ? [p.pair] : []));
  const baskets = parts.flatMap((p) => (p.basket ? [p.basket] : []));
  const trades = pairs.flatMap((p) => p.trades).sort((a, b) => a.entryBar - b.entryBar);
  const basketTrades = baskets.flatMap((p) => p.trades).sort((a, b) => a.entryBar - b.entryBar);
  const metrics = metricsFromSummary(summariseCurve(equity, time, exec.capital), {
    capital: exec.capital, barMs: first.barMs, trades: tradeStats([...trades, ...basketTrades]), zPnl: NaN, tradedNotional: traded, exposedBars: exposed,
  });
  return { time, equity, grossExposure, netExposure, symbols, pairs, baskets, trades, basketTrades, metrics };
}
