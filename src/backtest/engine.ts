/**
 * The simulation loop over precomputed per-bar arrays. At each bar t, in this order:
 * 1. funding events placed on bar t are paid by the position held going into the bar (at each event's mark price
 *    when given, else at the bar's open);
 * 2. the order decided at close t−1 fills at bar t's open (or close), both legs, with fees: at the bar price with
 *    slippage, or crossing the leg's latest quote at the fill time (bar start for the open, bar end for the close);
 * 3. equity is marked at close t;
 * 4. the rule reads z[t] and hedgeRatio[t] (known at close t) and decides the order for bar t+1.
 * A position still open on the last bar is closed at its close (exit reason `end`); no entry fills on the last bar.
 */
import { CurveStats, type CurveSummary } from './curveStats';
import { type Costs, OpenPosition, closePosition, costsOf, fundingAt, openPosition } from './fills';
import { closePositionAt, isQuoted, legPriceAt, openPositionAt } from './quoteFills';
import { TradeLog } from './tradeLog';
import { type TradeStats, addTrade, emptyTradeStats } from './tradeStats';
import type { AlignedPair, CostUsage, ExecutionSettings, ExitReason, LegQuotes, StrategyParams } from './types';

export interface SimulationInput {
  pair: AlignedPair;
  /** β per bar, estimated on data up to and including that bar's close; NaN = not known yet. */
  hedgeRatio: Float64Array;
  /** z-score per bar, known at that bar's close; NaN = not known yet. */
  z: Float64Array;
  /** Funding rate per bar for each leg (see `fundingPerBar`), or null. */
  fundingY: Float64Array | null;
  fundingX: Float64Array | null;
  /** The funding arrays hold quote currency per unit of position (`pricedFundingPerBar`), not rates. Default false. */
  fundingPriced?: boolean;
  /** Quotes to fill each leg at (buy at the ask, sell at the bid), or null for bar prices with slippage. */
  quotesY?: LegQuotes | null;
  quotesX?: LegQuotes | null;
  /** A quote older than this at the fill time is not used. Default: any age. */
  quoteMaxAgeMs?: number;
  /** Funding events that had no mark price (reported in `costUsage`). */
  fundingWithoutMark?: number;
}

/** Bars [start, end) of the pair; the simulation starts flat with `capital` at `start`. */
export interface SimulationRange {
  start: number;
  end: number;
}

export interface SimulationOutput {
  /** Equity at each close of the range (index 0 = bar `start`). */
  equity: Float64Array;
  position: Int8Array;
  /** Every round trip (build records with `log.toTrades(pair.time)`), or null when `recordTrades` was false. */
  log: TradeLog | null;
  tradeStats: TradeStats;
  /** Return and drawdown statistics of `equity`, gathered while it was written. */
  curve: CurveSummary;
  zPnl: number;
  tradedNotional: number;
  exposedBars: number;
  costUsage: CostUsage;
}

/** Reusable output arrays (length ≥ range length) so a parameter search does not allocate per run. */
export interface SimulationBuffers {
  equity: Float64Array;
  position: Int8Array;
}

export interface SimulationOptions {
  /** Default: every bar. */
  range?: SimulationRange;
  buffers?: SimulationBuffers;
  /** Keep every round trip in a `TradeLog` (default true); a parameter search needs only the totals. */
  recordTrades?: boolean;
}

/** Everything one run reads and the totals it keeps; the loops are small functions over it so V8 optimises each. */
class Run {
  readonly time: Float64Array;
  readonly yOpen: Float64Array;
  readonly yClose: Float64Array;
  readonly xOpen: Float64Array;
  readonly xClose: Float64Array;
  readonly beta: Float64Array;
  readonly z: Float64Array;
  readonly fy: Float64Array | null;
  readonly fx: Float64Array | null;
  readonly fundingPriced: boolean;
  readonly quotesY: LegQuotes | undefined;
  readonly quotesX: LegQuotes | undefined;
  readonly quoted: boolean;
  readonly quoteMaxAgeMs: number;
  readonly barMs: number;
  readonly usage: CostUsage = { quotedFills: 0, barFills: 0, firstFallbackTime: null, fundingWithoutMark: 0 };
  readonly equity: Float64Array;
  readonly position: Int8Array;
  readonly costs: Costs;
  readonly atOpen: boolean;
  readonly entryZ: number;
  readonly exitZ: number;
  readonly stopZ: number;
  readonly maxHold: number;
  readonly maxHoldMs: number;
  readonly cooldown: number;
  readonly start: number;
  readonly end: number;
  readonly pos = new OpenPosition();
  readonly curve: CurveStats;
  cash: number;
  zPnl = 0;
  traded = 0;
  exposed = 0;
  cooldownUntil: number;
  reason: ExitReason = 'end';

  constructor(input: SimulationInput, params: StrategyParams, exec: ExecutionSettings, range: SimulationRange, equity: Float64Array, position: Int8Array) {
    ({ time: this.time, yOpen: this.yOpen, yClose: this.yClose, xOpen: this.xOpen, xClose: this.xClose } = input.pair);
    this.beta = input.hedgeRatio;
    this.z = input.z;
    this.fy = input.fundingY;
    this.fx = input.fundingX;
    this.fundingPriced = input.fundingPriced ?? false;
    this.quotesY = input.quotesY ?? undefined;
    this.quotesX = input.quotesX ?? undefined;
    this.quoted = this.quotesY !== undefined || this.quotesX !== undefined;
    this.quoteMaxAgeMs = input.quoteMaxAgeMs ?? Infinity;
    this.barMs = input.pair.barMs;
    this.usage.fundingWithoutMark = input.fundingWithoutMark ?? 0;
    this.equity = equity;
    this.position = position;
    this.costs = costsOf(exec);
    this.atOpen = exec.fillAt === 'open';
    this.entryZ = params.entry;
    this.exitZ = params.exit;
    this.stopZ = params.stop ?? Infinity;
    this.maxHold = params.maxHoldingBars ?? Infinity;
    this.maxHoldMs = params.maxHoldingMs ?? Infinity;
    this.cooldown = params.cooldownBars ?? 0;
    this.start = range.start;
    this.end = range.end;
    this.cash = exec.capital;
    this.curve = new CurveStats(exec.capital);
    this.cooldownUntil = range.start;
  }
}

/** First close in [from, last] that decides an entry (|z| beyond entry, inside the stop, β finite), or −1. */
function nextEntryDecision(r: Run, from: number, last: number): number {
  const { z, beta, entryZ, stopZ } = r;
  for (let d = from; d <= last; d++) {
    const a = Math.abs(z[d]); // NaN compares false
    // β is read on every bar, not only at candidates: streamed beside z it is in cache when an entry needs it,
    // where a lone read at each entry would be a cache miss
    const b = beta[d];
    if (a > entryZ && a < stopZ && b - b === 0) return d; // b − b: NaN and ±Infinity give NaN
  }
  return -1;
}

// TypedArray#fill has a large fixed cost; most flat stretches between trades are short.
function markFlat(r: Run, from: number, to: number): void {
  const { equity, cash, start } = r;
  r.curve.addFlat(from - start, to - start);
  if (to - from > 4096) {
    equity.fill(cash, from - start, to - start);
    return;
  }
  for (let i = from - start; i < to - start; i++) equity[i] = cash;
}

/**
 * Holds the position filled at bar e (decided at close d): books funding and the z-unit P&L, marks each
 * close and decides the exit. Returns the exit fill bar, with the reason in `r.reason` (`end` = last bar).
 */
function hold(r: Run, e: number, d: number): number {
  const { z, time, yClose, xClose, yOpen, xOpen, fy, fx, fundingPriced, equity, position, pos, curve, start, exitZ, stopZ, maxHold } = r;
  const holdUntil = time[d] + r.maxHoldMs;
  const hasFunding = fy !== null || fx !== null;
  const lastBar = r.end - 1;
  const { side: dir, qY, qX, eY, eX } = pos;
  let cash = r.cash;
  let zPnl = r.zPnl;
  let k = e;
  let reason: ExitReason = 'end';
  for (;;) {
    if (k > e) {
      if (hasFunding) cash += fundingAt(pos, fy, fx, yOpen, xOpen, k, fundingPriced);
      const dz = z[k] - z[k - 1];
      if (dz === dz) zPnl += dir * dz;
    }
    if (k === lastBar) break;
    equity[k - start] = cash + qY * (yClose[k] - eY) + qX * (xClose[k] - eX);
    position[k - start] = dir;
    const against = -dir * z[k]; // how far z is on the side the position entered from (NaN compares false)
    if (against < exitZ) reason = 'exit';
    else if (against > stopZ) {
      reason = 'stop';
      r.cooldownUntil = k + 1 + r.cooldown;
    } else if (k - d >= maxHold || time[k] >= holdUntil) reason = 'maxHolding';
    k++;
    if (reason !== 'end') break;
  }
  r.exposed += k - e;
  curve.addSeries(equity, e - start, k - start); // the closes marked above
  if (reason !== 'end') {
    // the exit fills at bar k: funding and the z step into k are booked before the fill
    if (hasFunding) cash += fundingAt(pos, fy, fx, yOpen, xOpen, k, fundingPriced);
    const dz = z[k] - z[k - 1];
    if (dz === dz) zPnl += dir * dz;
  }
  r.cash = cash;
  r.zPnl = zPnl;
  r.reason = reason;
  return k;
}

/** Both legs' prices at the fill on bar k (its start, or its end for a fill at the close); counts how each leg fills. */
function quotedPrices(r: Run, k: number, atClose: boolean) {
  const t = atClose ? r.time[k] + r.barMs : r.time[k];
  const y = legPriceAt(r.quotesY, t, atClose ? r.yClose[k] : r.yOpen[k], r.quoteMaxAgeMs);
  const x = legPriceAt(r.quotesX, t, atClose ? r.xClose[k] : r.xOpen[k], r.quoteMaxAgeMs);
  for (const [p, given] of [[y, r.quotesY], [x, r.quotesX]] as const) {
    if (isQuoted(p)) r.usage.quotedFills++;
    else {
      r.usage.barFills++;
      if (given !== undefined) r.usage.firstFallbackTime ??= t;
    }
  }
  return { y, x };
}

/** Fills the entry decided at close d on bar d + 1. */
function enter(r: Run, d: number): void {
  const { pos, z } = r;
  const e = d + 1;
  pos.entryBar = e;
  pos.entryZ = z[d];
  const dir = z[d] > 0 ? -1 : 1;
  if (r.quoted) {
    const p = quotedPrices(r, e, !r.atOpen);
    r.cash -= openPositionAt(pos, r.costs, dir, r.beta[d], p.y, p.x);
  } else {
    r.cash -= openPosition(pos, r.costs, dir, r.beta[d], r.atOpen ? r.yOpen[e] : r.yClose[e], r.atOpen ? r.xOpen[e] : r.xClose[e]);
    r.usage.barFills += 2;
  }
  r.traded += Math.abs(pos.qY) * pos.eY + Math.abs(pos.qX) * pos.eX;
}

/** Fills the exit on bar k (at the close for the forced `end` exit) and books the trade. */
function exit(r: Run, k: number, stats: TradeStats, log: TradeLog | null): void {
  const { pos, time, z, reason } = r;
  const atClose = reason === 'end' || !r.atOpen;
  if (r.quoted) {
    const p = quotedPrices(r, k, atClose);
    closePositionAt(pos, r.costs, p.y, p.x);
  } else {
    closePosition(pos, r.costs, atClose ? r.yClose[k] : r.yOpen[k], atClose ? r.xClose[k] : r.xOpen[k]);
    r.usage.barFills += 2;
  }
  addTrade(stats, pos.pnl, pos.entryFee + pos.exitFee, pos.funding, k - pos.entryBar, time[k] - time[pos.entryBar], pos.spreadCost, pos.slippage);
  if (log !== null) log.push(pos, k, reason, reason === 'end' ? z[k] : z[k - 1]);
  r.traded += Math.abs(pos.qY) * pos.xY + Math.abs(pos.qX) * pos.xX;
  r.cash += pos.pricePnl - pos.exitFee;
  pos.side = 0;
  r.equity[k - r.start] = r.cash;
  r.curve.addSeries(r.equity, k - r.start, k - r.start + 1);
}

/** Runs the rule over the range; the loop body is a few calls so V8 optimises each part on its own. */
export function simulate(input: SimulationInput, params: StrategyParams, exec: ExecutionSettings, options: SimulationOptions = {}): SimulationOutput {
  const { range = { start: 0, end: input.pair.time.length }, buffers, recordTrades = true } = options;
  const len = range.end - range.start;
  const equity = buffers ? buffers.equity.subarray(0, len) : new Float64Array(len);
  // flat bars are never written: the position starts all zero
  const position = buffers ? buffers.position.subarray(0, len).fill(0) : new Int8Array(len);
  const r = new Run(input, params, exec, range, equity, position);
  const log = recordTrades ? new TradeLog() : null;
  const stats = emptyTradeStats();
  const lastBar = r.end - 1;
  const lastEntryDecision = r.end - 3; // an entry decided later would fill on the last bar
  let marked = r.start; // equity and position are written for bars before this
  let scanFrom = r.start;
  for (;;) {
    const d = nextEntryDecision(r, Math.max(scanFrom, r.cooldownUntil), lastEntryDecision);
    markFlat(r, marked, d < 0 ? r.end : d + 1);
    if (d < 0) break;
    enter(r, d);
    const k = hold(r, d + 1, d);
    exit(r, k, stats, log);
    marked = k + 1;
    scanFrom = k; // the close of the exit bar may already decide a new entry
    if (k === lastBar) break;
  }
  const curve = r.curve.summary(len, r.time.subarray(r.start, r.end));
  return { equity, position, log, tradeStats: stats, curve, zPnl: r.zPnl, tradedNotional: r.traded, exposedBars: r.exposed, costUsage: r.usage };
}
