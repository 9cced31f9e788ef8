/**
 * Fills that cross recorded quotes: a buy pays the ask and a sell gets the bid of the latest quote at or before the
 * fill time; without such a quote the fill falls back to a reference (bar) price moved by constant slippage. The
 * functions take one fill at a time, so a live paper trader can use them as well as the backtest.
 */
import { type Costs, type OpenPosition, sizePosition } from './fills';
import type { LegQuotes } from './types';
import { BacktestSettingsError } from './validate';

/** Index of the latest quote with time ≤ t that is at most `maxAgeMs` old, or −1. */
export function quoteIndexAt(quotes: LegQuotes, t: number, maxAgeMs = Infinity): number {
  const time = quotes.time;
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  return i >= 0 && t - time[i] <= maxAgeMs ? i : -1;
}

/** The price one leg can trade at: a quote's bid and ask, or (bid and ask NaN) a reference price with slippage. */
export interface LegPrice {
  bid: number;
  ask: number;
  /** The bar price used when there is no quote. */
  reference: number;
}

/** The leg's price at time t: its quote then, or only `reference` when `quotes` is absent or has none recent enough. */
export function legPriceAt(quotes: LegQuotes | undefined, t: number, reference: number, maxAgeMs = Infinity): LegPrice {
  const i = quotes === undefined ? -1 : quoteIndexAt(quotes, t, maxAgeMs);
  return i < 0 ? { bid: NaN, ask: NaN, reference } : { bid: (quotes as LegQuotes).bid[i], ask: (quotes as LegQuotes).ask[i], reference };
}

export const isQuoted = (p: LegPrice): boolean => p.bid === p.bid;

/** Mid of the quote, else the reference price: what an order is sized at. */
export const sizingPrice = (p: LegPrice): number => (isQuoted(p) ? (p.bid + p.ask) / 2 : p.reference);

/** One leg's fill of a signed quantity: the price and what crossing the spread or slippage cost (positive = paid). */
export interface LegFill {
  price: number;
  spreadCost: number;
  slippage: number;
}

/** Buys (qty > 0) at the ask and sells at the bid; without a quote, at the reference price moved against the order by `slip`. */
export function fillLeg(qty: number, p: LegPrice, slip: number, side = Math.sign(qty)): LegFill {
  const abs = Math.abs(qty);
  if (isQuoted(p)) {
    const price = side > 0 ? p.ask : p.bid;
    return { price, spreadCost: abs * (p.ask - p.bid) / 2, slippage: 0 };
  }
  return { price: p.reference * (1 + side * slip), spreadCost: 0, slippage: abs * p.reference * slip };
}

/** Enters direction `dir` sized at the legs' mids (reference prices when unquoted); returns the fee paid. */
export function openPositionAt(pos: OpenPosition, c: Costs, dir: number, beta: number, py: LegPrice, px: LegPrice): number {
  sizePosition(pos, c, dir, beta, sizingPrice(py), sizingPrice(px));
  const fy = fillLeg(pos.qY, py, c.slip, dir);
  const fx = fillLeg(pos.qX, px, c.slip, pos.sideX);
  pos.eY = fy.price;
  pos.eX = fx.price;
  pos.entryFee = (Math.abs(pos.qY) * fy.price + Math.abs(pos.qX) * fx.price) * c.feeRate;
  pos.spreadCost = fy.spreadCost + fx.spreadCost;
  pos.slippage = fy.slippage + fx.slippage;
  return pos.entryFee;
}

/** Exits at these prices (selling a long leg at the bid, buying back a short at the ask); leaves exit fields in `pos`. */
export function closePositionAt(pos: OpenPosition, c: Costs, py: LegPrice, px: LegPrice): void {
  const fy = fillLeg(-pos.qY, py, c.slip, -pos.side);
  const fx = fillLeg(-pos.qX, px, c.slip, -pos.sideX);
  pos.xY = fy.price;
  pos.xX = fx.price;
  pos.exitFee = (Math.abs(pos.qY) * fy.price + Math.abs(pos.qX) * fx.price) * c.feeRate;
  pos.pricePnl = pos.qY * (pos.xY - pos.eY) + pos.qX * (pos.xX - pos.eX);
  pos.spreadCost += fy.spreadCost + fx.spreadCost;
  pos.slippage += fy.slippage + fx.slippage;
}

/** Checks one leg's quotes: equal lengths, increasing finite times, 0 < bid ≤ ask. */
export function validateQuotes(q: LegQuotes, name: string): void {
  const n = q.time.length;
  if (q.bid.length !== n || q.ask.length !== n) {
    throw new BacktestSettingsError(`quotes ${name}: time has ${n} values but bid has ${q.bid.length} and ask ${q.ask.length}; give one bid and ask per time`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(q.time[i]) || (i > 0 && !(q.time[i] > q.time[i - 1]))) {
      throw new BacktestSettingsError(`quotes ${name}: time[${i}] is ${q.time[i]}, not a finite time after the previous one; sort the quotes by time and drop duplicates`);
    }
    if (!(q.bid[i] > 0 && q.ask[i] >= q.bid[i] && q.ask[i] < Infinity)) {
      throw new BacktestSettingsError(`quotes ${name}[${i}]: bid ${q.bid[i]} and ask ${q.ask[i]} are not a market (need 0 < bid ≤ ask); drop that row`);
    }
  }
}
