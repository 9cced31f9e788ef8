// Simulated markets: symbols whose prices are cointegrated in pairs (y = hedgeRatio·x + an Ornstein–Uhlenbeck
// spread), random-walk legs, bursts of trading and quiet periods, and a per-symbol trade history with dense
// aggTrade ids that the REST endpoint serves.
import type { Clock } from '../clock';
import { type PairSpec, symbolSpec, type SymbolSpec } from '../universe';
import { Prng } from './prng';

export interface SimTrade {
  symbol: string;
  aggId: number;
  price: string;
  qty: string;
  firstTradeId: number;
  lastTradeId: number;
  time: number;
  isBuyerMaker: boolean;
}

export interface SimMarketOptions {
  symbols: readonly string[];
  pairs: readonly PairSpec[];
  seed: number;
  clock: Clock;
  /** Mean trades per second of clock time over all symbols, before bursts and quiet periods. */
  tradesPerSecond: number;
  /** Switch between normal, burst (×5) and quiet (×0.1) regimes. */
  bursts: boolean;
  /** Trades kept per symbol for REST (oldest dropped first). */
  historyLimit: number;
}

/**
 * The newest `limit` trades of one symbol as typed columns in a ring: 41 bytes a trade, and a full history never
 * allocates again (text prices and boxed arrays cost ~110 bytes a trade and grew a long-running simulator).
 */
class History {
  firstAggId: number;
  length = 0;
  private start = 0;
  private price = new Float64Array(0);
  private qty = new Float64Array(0);
  private f = new Float64Array(0);
  private l = new Float64Array(0);
  private t = new Float64Array(0);
  private m = new Uint8Array(0);

  constructor(firstAggId: number, private readonly limit: number) {
    this.firstAggId = firstAggId;
  }

  get nextAggId(): number {
    return this.firstAggId + this.length;
  }

  push(price: number, qty: number, first: number, last: number, time: number, isBuyerMaker: boolean): void {
    if (this.limit <= 0) {
      this.firstAggId++;
      return;
    }
    if (this.length === this.t.length && this.length < this.limit) this.grow(Math.min(this.limit, Math.max(65_536, this.length * 2)));
    let at: number;
    if (this.length < this.t.length) {
      at = this.length++;
    } else {
      at = this.start;
      this.start = (this.start + 1) % this.t.length;
      this.firstAggId++;
    }
    this.price[at] = price;
    this.qty[at] = qty;
    this.f[at] = first;
    this.l[at] = last;
    this.t[at] = time;
    this.m[at] = isBuyerMaker ? 1 : 0;
  }

  /** Index of the i-th oldest trade in the columns. */
  private at(i: number): number {
    return (this.start + i) % this.t.length;
  }

  time(i: number): number {
    return this.t[this.at(i)];
  }

  row(i: number): { price: number; qty: number; first: number; last: number; time: number; isBuyerMaker: boolean } {
    const k = this.at(i);
    return { price: this.price[k], qty: this.qty[k], first: this.f[k], last: this.l[k], time: this.t[k], isBuyerMaker: this.m[k] === 1 };
  }

  /** Only while the ring has not wrapped (start is 0 until length reaches the limit). */
  private grow(capacity: number): void {
    const g = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.price = g(this.price, (n) => new Float64Array(n));
    this.qty = g(this.qty, (n) => new Float64Array(n));
    this.f = g(this.f, (n) => new Float64Array(n));
    this.l = g(this.l, (n) => new Float64Array(n));
    this.t = g(this.t, (n) => new Float64Array(n));
    this.m = g(this.m, (n) => new Uint8Array(n));
  }
}

type Regime = 'normal' | 'burst' | 'quiet';
const regimeRate: Record<Regime, number> = { normal: 1, burst: 5, quiet: 0.1 };

export class SimMarket {
  private readonly rng: Prng;
  private readonly specs = new Map<string, SymbolSpec>();
  private readonly logPrice = new Map<string, number>();
  private readonly spread = new Map<string, number>();
  private readonly history = new Map<string, History>();
  private readonly weights: number[];
  private lastStep: number;
  private regime: Regime = 'normal';
  private tradeIdCounter = 1;
  private quoteOf: ((symbol: string) => { bid: number; ask: number }) | null = null;

  constructor(private readonly opts: SimMarketOptions) {
    this.rng = new Prng(opts.seed);
    // Ids start from the clock so that a restarted simulator keeps ids increasing, as the real exchange does.
    const idBase = Math.floor(opts.clock.now() / 1000) * 10_000;
    opts.symbols.forEach((s, i) => {
      const spec = symbolSpec(s);
      this.specs.set(s, spec);
      this.logPrice.set(s, Math.log(spec.basePrice));
      this.history.set(s, new History(idBase + i * 1_000_000_000_000, opts.historyLimit));
    });
    for (const p of opts.pairs) {
      if (!this.specs.has(p.y) || !this.specs.has(p.x)) throw new Error(`simulated pair ${p.y}/${p.x}: both legs must be among the symbols`);
      this.spread.set(p.y, 0);
    }
    this.weights = opts.symbols.map((_, i) => 1 / (1 + i * 0.25));
    const total = this.weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < this.weights.length; i++) this.weights[i] /= total;
    this.lastStep = opts.clock.now();
  }

  get symbols(): readonly string[] {
    return this.opts.symbols;
  }

  hasSymbol(symbol: string): boolean {
    return this.history.has(symbol);
  }

  spec(symbol: string): SymbolSpec | undefined {
    return this.specs.get(symbol);
  }

  /** Trades then happen at the quotes: a buyer-maker trade at the bid, the others at the ask. */
  setQuoteSource(quoteOf: (symbol: string) => { bid: number; ask: number }): void {
    this.quoteOf = quoteOf;
  }

  setTradesPerSecond(rate: number): void {
    this.opts.tradesPerSecond = rate;
  }

  /** Current mid price of a symbol. */
  mid(symbol: string): number {
    const lp = this.logPrice.get(symbol);
    if (lp === undefined) throw new Error(`unknown simulated symbol ${symbol}`);
    return Math.exp(lp);
  }

  /** Next aggId the symbol will trade at. */
  nextAggId(symbol: string): number {
    return this.historyOf(symbol).nextAggId;
  }

  /** Advances prices to the clock's now and returns the trades made meanwhile. */
  step(): SimTrade[] {
    const now = this.opts.clock.now();
    const dtSec = Math.max(0, (now - this.lastStep) / 1000);
    this.lastStep = now;
    if (dtSec === 0) return [];
    this.movePrices(dtSec);
    if (this.opts.bursts) this.switchRegime(dtSec);
    const count = this.rng.poisson(this.opts.tradesPerSecond * regimeRate[this.regime] * dtSec);
    const out: SimTrade[] = [];
    for (let k = 0; k < count; k++) out.push(this.trade(this.pickSymbol(), now));
    return out;
  }

  /** Makes `n` trades of `symbol` now (for faults: trades the WebSocket never shows). */
  trades(symbol: string, n: number): SimTrade[] {
    const now = this.opts.clock.now();
    return Array.from({ length: n }, () => this.trade(symbol, now));
  }

  /** Stored trades with aggId ≥ fromId, ascending, at most `limit`. */
  fromId(symbol: string, fromId: number, limit: number): SimTrade[] {
    const h = this.historyOf(symbol);
    const start = Math.max(0, fromId - h.firstAggId);
    const out: SimTrade[] = [];
    for (let i = start; i < h.length && out.length < limit; i++) out.push(this.row(symbol, h, i));
    return out;
  }

  /** Stored trades with startTime ≤ T ≤ endTime, ascending, at most `limit`. */
  byTime(symbol: string, startTime: number, endTime: number, limit: number): SimTrade[] {
    const h = this.historyOf(symbol);
    const out: SimTrade[] = [];
    for (let i = 0; i < h.length && out.length < limit; i++) {
      const t = h.time(i);
      if (t >= startTime && t <= endTime) out.push(this.row(symbol, h, i));
    }
    return out;
  }

  latest(symbol: string, limit: number): SimTrade[] {
    const h = this.historyOf(symbol);
    return this.fromId(symbol, Math.max(h.firstAggId, h.nextAggId - limit), limit);
  }

  private historyOf(symbol: string): History {
    const h = this.history.get(symbol);
    if (!h) throw new Error(`unknown simulated symbol ${symbol}`);
    return h;
  }

  private row(symbol: string, h: History, i: number): SimTrade {
    const spec = this.specs.get(symbol) as SymbolSpec;
    const r = h.row(i);
    return {
      symbol, aggId: h.firstAggId + i, price: r.price.toFixed(spec.priceDecimals), qty: r.qty.toFixed(spec.qtyDecimals),
      firstTradeId: r.first, lastTradeId: r.last, time: r.time, isBuyerMaker: r.isBuyerMaker,
    };
  }

  private pickSymbol(): string {
    let u = this.rng.next();
    for (let i = 0; i < this.weights.length; i++) {
      u -= this.weights[i];
      if (u <= 0) return this.opts.symbols[i];
    }
    return this.opts.symbols[this.opts.symbols.length - 1];
  }

  private trade(symbol: string, time: number): SimTrade {
    const spec = this.specs.get(symbol) as SymbolSpec;
    const h = this.historyOf(symbol);
    const tick = 10 ** -spec.priceDecimals;
    const mid = Math.exp(this.logPrice.get(symbol) as number);
    const isBuyerMaker = this.rng.next() < 0.5;
    const quote = this.quoteOf?.(symbol);
    const price = quote
      ? (isBuyerMaker ? quote.bid : quote.ask)
      : Math.max(tick, mid + (isBuyerMaker ? -tick : tick) * Math.floor(this.rng.next() * 2));
    const step = 10 ** -spec.qtyDecimals;
    const notional = 20 * Math.exp(1.5 * this.rng.normal()) + 5;
    const qty = Math.max(step, Math.round(notional / mid / step) * step);
    const fills = 1 + Math.floor(this.rng.next() * 3);
    const aggId = h.nextAggId;
    const first = this.tradeIdCounter;
    h.push(price, qty, first, first + fills - 1, time, isBuyerMaker);
    this.tradeIdCounter += fills;
    return {
      symbol, aggId, price: price.toFixed(spec.priceDecimals), qty: qty.toFixed(spec.qtyDecimals),
      firstTradeId: first, lastTradeId: first + fills - 1, time, isBuyerMaker,
    };
  }

  private movePrices(dt: number): void {
    const sigma = 0.0004;
    const legs = new Set(this.opts.pairs.map((p) => p.y));
    for (const s of this.opts.symbols) {
      if (!legs.has(s)) this.logPrice.set(s, (this.logPrice.get(s) as number) + sigma * Math.sqrt(dt) * this.rng.normal());
    }
    for (const p of this.opts.pairs) {
      const yBase = (this.specs.get(p.y) as SymbolSpec).basePrice;
      const xBase = (this.specs.get(p.x) as SymbolSpec).basePrice;
      const theta = Math.max(1e-6, p.meanReversion);
      const stationarySd = 0.002 * yBase;
      const decay = Math.exp(-theta * dt);
      const s = (this.spread.get(p.y) as number) * decay + stationarySd * Math.sqrt(1 - decay * decay) * this.rng.normal();
      this.spread.set(p.y, s);
      const x = Math.exp(this.logPrice.get(p.x) as number);
      const y = Math.max(10 ** -symbolSpec(p.y).priceDecimals, p.hedgeRatio * x + (yBase - p.hedgeRatio * xBase) + s);
      this.logPrice.set(p.y, Math.log(y));
    }
  }

  private switchRegime(dt: number): void {
    const u = this.rng.next();
    if (this.regime === 'normal') {
      if (u < 0.02 * dt) this.regime = 'burst';
      else if (u < 0.04 * dt) this.regime = 'quiet';
    } else if (u < 0.1 * dt) this.regime = 'normal';
  }
}
