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

class History {
  firstAggId: number;
  readonly price: string[] = [];
  readonly qty: string[] = [];
  readonly f: number[] = [];
  readonly l: number[] = [];
  readonly t: number[] = [];
  readonly m: boolean[] = [];

  constructor(firstAggId: number) {
    this.firstAggId = firstAggId;
  }

  get nextAggId(): number {
    return this.firstAggId + this.t.length;
  }

  trim(limit: number): void {
    if (this.t.length <= limit) return;
    const n = this.t.length - Math.floor(limit * 0.9);
    for (const arr of [this.price, this.qty, this.f, this.l, this.t, this.m] as unknown[][]) arr.splice(0, n);
    this.firstAggId += n;
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

  constructor(private readonly opts: SimMarketOptions) {
    this.rng = new Prng(opts.seed);
    // Ids start from the clock so that a restarted simulator keeps ids increasing, as the real exchange does.
    const idBase = Math.floor(opts.clock.now() / 1000) * 10_000;
    opts.symbols.forEach((s, i) => {
      const spec = symbolSpec(s);
      this.specs.set(s, spec);
      this.logPrice.set(s, Math.log(spec.basePrice));
      this.history.set(s, new History(idBase + i * 1_000_000_000_000));
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
    for (let i = start; i < h.t.length && out.length < limit; i++) out.push(this.row(symbol, h, i));
    return out;
  }

  /** Stored trades with startTime ≤ T ≤ endTime, ascending, at most `limit`. */
  byTime(symbol: string, startTime: number, endTime: number, limit: number): SimTrade[] {
    const h = this.historyOf(symbol);
    const out: SimTrade[] = [];
    for (let i = 0; i < h.t.length && out.length < limit; i++) if (h.t[i] >= startTime && h.t[i] <= endTime) out.push(this.row(symbol, h, i));
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
    return { symbol, aggId: h.firstAggId + i, price: h.price[i], qty: h.qty[i], firstTradeId: h.f[i], lastTradeId: h.l[i], time: h.t[i], isBuyerMaker: h.m[i] };
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
    const price = Math.max(tick, mid + (isBuyerMaker ? -tick : tick) * Math.floor(this.rng.next() * 2));
    const step = 10 ** -spec.qtyDecimals;
    const notional = 20 * Math.exp(1.5 * this.rng.normal()) + 5;
    const qty = Math.max(step, Math.round(notional / mid / step) * step);
    const fills = 1 + Math.floor(this.rng.next() * 3);
    const aggId = h.nextAggId;
    h.price.push(price.toFixed(spec.priceDecimals));
    h.qty.push(qty.toFixed(spec.qtyDecimals));
    h.f.push(this.tradeIdCounter);
    h.l.push(this.tradeIdCounter + fills - 1);
    h.t.push(time);
    h.m.push(isBuyerMaker);
    this.tradeIdCounter += fills;
    h.trim(this.opts.historyLimit);
    return { symbol, aggId, price: h.price[h.price.length - 1], qty: h.qty[h.qty.length - 1], firstTradeId: this.tradeIdCounter - fills, lastTradeId: this.tradeIdCounter - 1, time, isBuyerMaker };
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
