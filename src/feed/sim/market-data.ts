// The simulated exchange's market data beside its trades: a best bid/ask around each symbol's trades
// (`bookTicker`), mark and index price with the estimated funding rate (`markPrice@1s`), and funding
// settlements every 8 h of clock time (UTC 00:00, 08:00, 16:00) kept as history for `GET /fapi/v1/fundingRate`.
import type { Clock } from '../clock';
import type { SymbolSpec } from '../universe';
import type { SimMarket, SimTrade } from './market';
import { Prng } from './prng';

export const FUNDING_INTERVAL_MS = 8 * 3_600_000;

export interface SimQuote {
  symbol: string;
  updateId: number;
  /** Transaction time `T`; the event time `E` is a millisecond later. */
  time: number;
  bid: string;
  bidQty: string;
  ask: string;
  askQty: string;
}

export interface SimMark {
  symbol: string;
  time: number;
  markPrice: string;
  indexPrice: string;
  estimatedSettlePrice: string;
  fundingRate: string;
  nextFundingTime: number;
}

export interface SimFunding {
  symbol: string;
  fundingTime: number;
  fundingRate: string;
  markPrice: string;
}

export interface SimMarketDataStep {
  quotes: SimQuote[];
  marks: SimMark[];
  fundings: SimFunding[];
}

export interface SimMarketDataOptions {
  /** Quote changes per second of clock time over all symbols besides the one after every trade. */
  quotesPerSecond: number;
  /** Days of funding history before the start. Default 30. */
  fundingHistoryDays: number;
  seed: number;
}

/** Best bid/ask of a symbol: `spreadTicks` apart, the bid at or below the mid on the tick grid. */
export function quoteAround(mid: number, spec: SymbolSpec, spreadTicks: number): { bid: number; ask: number } {
  const tick = 10 ** -spec.priceDecimals;
  const bid = Math.max(tick, Math.floor(mid / tick + 1e-9) * tick);
  return { bid, ask: bid + spreadTicks * tick };
}

function fundingTimeAtOrBefore(t: number): number {
  return Math.floor(t / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS;
}

interface SymbolState {
  spec: SymbolSpec;
  updateId: number;
  spreadTicks: number;
  /** Estimated rate of the running funding period; settles at the next funding time. */
  fundingRate: number;
  /** Index price sits this fraction below (above, if negative) the mark. */
  basis: number;
  fundings: SimFunding[];
}

export class SimMarketData {
  private readonly rng: Prng;
  private readonly state = new Map<string, SymbolState>();
  private lastStep: number;
  private lastMarkSecond: number;
  private lastFundingTime: number;

  constructor(private readonly market: SimMarket, private readonly clock: Clock, private readonly opts: SimMarketDataOptions) {
    this.rng = new Prng(opts.seed ^ 0x5eed);
    const now = clock.now();
    this.lastStep = now;
    this.lastMarkSecond = Math.floor(now / 1000);
    this.lastFundingTime = fundingTimeAtOrBefore(now);
    // Update ids start from the clock so that a restarted simulator keeps them increasing, as trade ids do.
    const idBase = Math.floor(now / 1000) * 100;
    market.symbols.forEach((symbol, i) => {
      const spec = market.spec(symbol) as SymbolSpec;
      const st: SymbolState = { spec, updateId: idBase + i * 1_000_000_000_000, spreadTicks: 1, fundingRate: 0.0001, basis: 0.0002, fundings: [] };
      this.state.set(symbol, st);
      this.seedFundingHistory(symbol, st, now);
    });
  }

  setQuotesPerSecond(rate: number): void {
    this.opts.quotesPerSecond = rate;
  }

  /** Current best bid and ask of a symbol, as numbers. */
  quote(symbol: string): { bid: number; ask: number } {
    const st = this.stateOf(symbol);
    return quoteAround(this.market.mid(symbol), st.spec, st.spreadTicks);
  }

  /** Advances to the clock's now: a quote after every trade in `trades`, background quote changes, marks, settlements. */
  step(trades: readonly SimTrade[]): SimMarketDataStep {
    const now = this.clock.now();
    const dtSec = Math.max(0, (now - this.lastStep) / 1000);
    this.lastStep = now;
    const quotes: SimQuote[] = [];
    // The quote after a trade keeps the spread the trade saw, so every trade is at its quotes; only background changes widen or narrow it.
    for (const t of trades) quotes.push(this.makeQuote(t.symbol, t.time));
    const symbols = this.market.symbols;
    const background = this.rng.poisson(this.opts.quotesPerSecond * dtSec);
    for (let k = 0; k < background; k++) {
      const symbol = symbols[Math.floor(this.rng.next() * symbols.length)];
      const st = this.stateOf(symbol);
      if (this.rng.next() < 0.1) st.spreadTicks = 1 + Math.floor(this.rng.next() * 3);
      quotes.push(this.makeQuote(symbol, now));
    }
    const fundings: SimFunding[] = [];
    for (let ft = this.lastFundingTime + FUNDING_INTERVAL_MS; ft <= now; ft += FUNDING_INTERVAL_MS) {
      for (const s of symbols) fundings.push(this.settle(s, ft));
      this.lastFundingTime = ft;
    }
    const marks: SimMark[] = [];
    const second = Math.floor(now / 1000);
    if (second > this.lastMarkSecond) {
      this.lastMarkSecond = second;
      for (const s of symbols) {
        this.driftFunding(this.stateOf(s), dtSec);
        marks.push(this.mark(s, now));
      }
    }
    return { quotes, marks, fundings };
  }

  /** Settled funding events of `symbol` with startTime ≤ fundingTime ≤ endTime, ascending, at most `limit`. */
  fundingHistory(symbol: string, startTime: number, endTime: number, limit: number): SimFunding[] {
    const out: SimFunding[] = [];
    for (const f of this.stateOf(symbol).fundings) {
      if (f.fundingTime < startTime || f.fundingTime > endTime) continue;
      out.push(f);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The newest `limit` settled funding events of `symbol`, ascending. */
  latestFundings(symbol: string, limit: number): SimFunding[] {
    const all = this.stateOf(symbol).fundings;
    return all.slice(Math.max(0, all.length - limit));
  }

  mark(symbol: string, time: number): SimMark {
    const st = this.stateOf(symbol);
    const d = st.spec.priceDecimals + 2;
    const mark = this.market.mid(symbol);
    return {
      symbol,
      time,
      markPrice: mark.toFixed(d),
      indexPrice: (mark * (1 - st.basis)).toFixed(d),
      estimatedSettlePrice: (mark * (1 - st.basis / 2)).toFixed(d),
      fundingRate: st.fundingRate.toFixed(8),
      nextFundingTime: fundingTimeAtOrBefore(time) + FUNDING_INTERVAL_MS,
    };
  }

  private stateOf(symbol: string): SymbolState {
    const st = this.state.get(symbol);
    if (!st) throw new Error(`unknown simulated symbol ${symbol}`);
    return st;
  }

  private makeQuote(symbol: string, time: number): SimQuote {
    const st = this.stateOf(symbol);
    const { bid, ask } = quoteAround(this.market.mid(symbol), st.spec, st.spreadTicks);
    const step = 10 ** -st.spec.qtyDecimals;
    const size = (): string => (Math.max(1, Math.round((200 * Math.exp(this.rng.normal())) / bid / step)) * step).toFixed(st.spec.qtyDecimals);
    return { symbol, updateId: ++st.updateId, time, bid: bid.toFixed(st.spec.priceDecimals), bidQty: size(), ask: ask.toFixed(st.spec.priceDecimals), askQty: size() };
  }

  /** The estimated rate wanders around 0.01 % per 8 h (Binance's interest component) within ±0.3 %. */
  private driftFunding(st: SymbolState, dtSec: number): void {
    const theta = 1 / 3_600;
    st.fundingRate += theta * Math.min(dtSec, 3_600) * (0.0001 - st.fundingRate) + 0.00002 * Math.sqrt(Math.min(dtSec, 3_600) / 60) * this.rng.normal();
    st.fundingRate = Math.max(-0.003, Math.min(0.003, st.fundingRate));
    st.basis = 0.0002 + st.fundingRate;
  }

  private settle(symbol: string, fundingTime: number): SimFunding {
    const st = this.stateOf(symbol);
    const f: SimFunding = { symbol, fundingTime, fundingRate: st.fundingRate.toFixed(8), markPrice: this.market.mid(symbol).toFixed(st.spec.priceDecimals + 2) };
    st.fundings.push(f);
    return f;
  }

  /** Funding events before the start, from a generator of their own so that history does not shift the live market. */
  private seedFundingHistory(symbol: string, st: SymbolState, now: number): void {
    let h = this.opts.seed >>> 0;
    for (const c of symbol) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
    const rng = new Prng(h);
    const last = fundingTimeAtOrBefore(now);
    const count = Math.floor((this.opts.fundingHistoryDays * 86_400_000) / FUNDING_INTERVAL_MS);
    let rate = 0.0001;
    for (let ft = last - (count - 1) * FUNDING_INTERVAL_MS; ft <= last; ft += FUNDING_INTERVAL_MS) {
      rate = Math.max(-0.003, Math.min(0.003, rate + 0.5 * (0.0001 - rate) + 0.00005 * rng.normal()));
      st.fundings.push({ symbol, fundingTime: ft, fundingRate: rate.toFixed(8), markPrice: (st.spec.basePrice * (1 + 0.01 * rng.normal())).toFixed(st.spec.priceDecimals + 2) });
    }
    st.fundingRate = rate;
  }
}
