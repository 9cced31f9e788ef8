// Recorded market data as backtest costs: the legs' funding events at their mark prices and their one-second quotes,
// read from the store for the backtest's bars, and the words saying which cost model ran and why.
import type { BacktestOptions, BacktestResult, FundingRates, FundingSettings, LegQuotes } from '../../../src/backtest';
import type { FundingSeries, StoreReader } from '../../../src/store';
import type { BacktestCostModel, CostModelParams } from '../protocol';

/** What recorded costs are read from: a store reader (a view over a cache of bars has none). */
export type MarketDataSource = Pick<StoreReader, 'quotes1s' | 'funding' | 'marks'>;

/** A notebook's choice of cost model: the panel's, or funding rates of its own per leg. */
export interface CostChoice extends Omit<CostModelParams, 'funding'> {
  funding?: CostModelParams['funding'] | FundingSettings;
  /** A quote older than this at a fill is not used (the fill falls back to the bar price with slippage). Default 60 s. */
  quoteMaxAgeMs?: number;
}

/** Default of {@link CostChoice.quoteMaxAgeMs}. */
export const QUOTE_MAX_AGE_MS = 60_000;
const SECOND_MS = 1_000;
/** An event recorded without a mark price takes the newest recorded mark at most this long before it. */
const MARK_LOOKBACK_MS = 5_000;

/** The backtester's funding and quote inputs, and what was found, before the run. */
export interface RecordedCosts {
  options: Pick<BacktestOptions, 'funding' | 'quotes'>;
  funding: BacktestCostModel['funding'];
  fills: BacktestCostModel['fills'];
  notes: string[];
}

interface Period {
  /** First bar's start and the last bar's end, epoch ms. */
  from: number;
  to: number;
  barMs: number;
}

const utc = (t: number): string => `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
const listed = (symbols: string[]): string => symbols.join(' and ');

/** Each event's mark price: as recorded with it, else the newest mark price at most a few seconds before it. */
export async function fundingWithMarks(source: MarketDataSource, f: FundingSeries): Promise<FundingRates> {
  const markPrice = Float64Array.from(f.markPrice);
  for (let i = 0; i < markPrice.length; i++) {
    if (markPrice[i] > 0) continue;
    const tau = f.fundingTime[i];
    const marks = await source.marks({ symbol: f.symbol, from: tau - MARK_LOOKBACK_MS, to: tau + 1 });
    markPrice[i] = marks.markPrice.length ? marks.markPrice[marks.markPrice.length - 1] : NaN;
  }
  return { time: f.fundingTime, rate: f.fundingRate, markPrice };
}

async function recordedFunding(source: MarketDataSource | null, legs: Record<'y' | 'x', string>, p: Period, notes: string[]): Promise<FundingSettings | undefined> {
  if (source === null) {
    notes.push('Funding: none charged (this view reads no store of recorded market data).');
    return undefined;
  }
  // events after the last bar's start land on no bar
  const series = await Promise.all([legs.y, legs.x].map((symbol) => source.funding({ symbol, from: p.from, to: p.to - p.barMs + 1 })));
  const counts = series.map((s) => `${s.fundingTime.length} for ${s.symbol}`);
  if (series.every((s) => s.fundingTime.length === 0)) {
    notes.push(`Funding: no recorded funding events of ${listed([legs.y, legs.x])} between ${utc(p.from)} and ${utc(p.to)}; none charged.`);
    return undefined;
  }
  notes.push(`Funding: recorded events (${counts.join(', ')}), each charged on quantity × the mark price at the event.`);
  const [y, x] = await Promise.all(series.map((s) => fundingWithMarks(source, s)));
  return { y, x };
}

/** One-second quotes as of each second's end (its last bid/ask is known only then), so no fill sees a later quote. */
export async function legQuotes(source: MarketDataSource, symbol: string, p: Period, maxAgeMs: number): Promise<LegQuotes> {
  const s = await source.quotes1s({ symbol, from: p.from - maxAgeMs - SECOND_MS, to: p.to });
  return { time: s.time.map((t) => t + SECOND_MS), bid: s.bid, ask: s.ask };
}

/** Reads the recorded funding events and quotes a backtest over `time` (bars of `barMs`) uses under `choice`. */
export async function recordedCosts(source: MarketDataSource | null, legs: Record<'y' | 'x', string>, time: Float64Array, barMs: number, choice: CostChoice = {}, slippageBps = 1): Promise<RecordedCosts> {
  const notes: string[] = [];
  const options: RecordedCosts['options'] = {};
  const p: Period = { from: time[0], to: time[time.length - 1] + barMs, barMs };
  const empty = time.length === 0;
  const maxAgeMs = choice.quoteMaxAgeMs ?? QUOTE_MAX_AGE_MS;
  if (!(maxAgeMs >= 0 && maxAgeMs <= 86_400_000)) throw new Error(`quoteMaxAgeMs is ${String(maxAgeMs)}: give how old a quote may be at a fill, in ms between 0 and 86,400,000 (one day)`);
  let funding: BacktestCostModel['funding'] = 'none';
  if (typeof choice.funding === 'object') {
    options.funding = choice.funding;
    funding = 'given';
    notes.push('Funding: the rates given.');
  } else if ((choice.funding ?? 'recorded') === 'none') notes.push('Funding: off.');
  else if (!empty) {
    options.funding = await recordedFunding(source, legs, p, notes);
    if (options.funding) funding = 'recorded';
  }
  let fills: BacktestCostModel['fills'] = 'bars';
  const atBars = `fills at bar prices + ${slippageBps} bps slippage`;
  if (choice.fills === 'bars') notes.push(`Fills: ${atBars} (recorded quotes not used).`);
  else if (source === null) notes.push(`Fills: this view reads no store of recorded quotes; ${atBars}.`);
  else if (!empty) {
    const [y, x] = await Promise.all([legQuotes(source, legs.y, p, maxAgeMs), legQuotes(source, legs.x, p, maxAgeMs)]);
    const missing = [[legs.y, y], [legs.x, x]].filter(([, q]) => (q as LegQuotes).time.length === 0).map(([s]) => s as string);
    if (missing.length === 2) notes.push(`Fills: no recorded quotes of ${listed(missing)} between ${utc(p.from)} and ${utc(p.to)}; ${atBars}.`);
    else {
      fills = 'quotes';
      options.quotes = { ...(y.time.length ? { y } : {}), ...(x.time.length ? { x } : {}), maxAgeMs };
      notes.push('Fills: buy at the ask, sell at the bid of the latest recorded quote at the fill time.');
      if (missing.length) notes.push(`No recorded quotes for ${missing[0]} in the period; its fills at bar prices + ${slippageBps} bps slippage.`);
      for (const [symbol, q] of [[legs.y, y], [legs.x, x]] as const) {
        if (q.time.length && q.time[0] - SECOND_MS > p.from) notes.push(`No recorded quotes for ${symbol} before ${utc(q.time[0] - SECOND_MS)}.`);
      }
    }
  }
  return { options, funding, fills, notes };
}

/** The cost model of a finished run: what was found, and how the fills and funding events were met. */
export function costModelOf(costs: RecordedCosts, result: Pick<BacktestResult, 'costUsage'>, slippageBps: number, quoteMaxAgeMs = QUOTE_MAX_AGE_MS): BacktestCostModel {
  const u = result.costUsage;
  const notes = [...costs.notes];
  if (costs.fills === 'quotes' && u.barFills > 0) {
    const first = u.firstFallbackTime === null ? '' : ` (the first at ${utc(u.firstFallbackTime)})`;
    notes.push(`${u.barFills} of ${u.barFills + u.quotedFills} leg fills had no quote within ${quoteMaxAgeMs / 1000} s${first} and filled at bar prices + ${slippageBps} bps slippage.`);
  }
  if (u.fundingWithoutMark > 0) notes.push(`${u.fundingWithoutMark} funding events had no recorded mark price and were charged at their bar's open.`);
  return { funding: costs.funding, fills: costs.fills, note: notes.join(' ') };
}
