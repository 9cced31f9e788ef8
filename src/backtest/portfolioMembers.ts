/**
 * The members of a portfolio, pairs and baskets, seen through one shape: named legs with their closes, a backtest at a
 * given notional per leg, and its round trips as per-leg quantities and prices. Each member's rule decides exactly as
 * in its own backtest (`backtestPair`, `backtestBasket`); the portfolio only scales the round trips.
 */
import { type BacktestOptions, runBacktest, toAligned } from './backtest';
import { basketSignals, runBasketBacktest, toAlignedBasket } from './basketBacktest';
import type { AlignedBasket, BasketBacktestOptions, BasketBars, BasketSignals, BasketStrategy, BasketTrade } from './basketTypes';
import type { PairStrategy } from './backtestPair';
import type { SimulationRange } from './engine';
import { computeSignals, type Signals } from './signals';
import type { AlignedPair, ExecutionSettings, FundingSettings, PairInput, QuoteSettings, Trade } from './types';
import { BacktestSettingsError, validateStrategy } from './validate';

export interface PortfolioPair {
  /** Symbol of the y leg and of the x leg (positions in one symbol are netted across members). */
  y: string;
  x: string;
  /** Default `y/x`; must be unique. */
  id?: string;
  bars: PairInput | AlignedPair;
  strategy: PairStrategy;
  funding?: FundingSettings;
  quotes?: QuoteSettings;
}

export interface PortfolioBasket {
  /** 3 to 6 legs on the portfolio's bars, named by `symbols` (positions in one symbol are netted across members). */
  basket: BasketBars | AlignedBasket;
  /** The rule, the z window and the weights (fixed, trained or rolling), as for `backtestBasket`. */
  strategy: BasketStrategy;
  /** Default the symbols joined by `+`; must be unique. */
  id?: string;
  funding?: BasketBacktestOptions['funding'];
  quotes?: BasketBacktestOptions['quotes'];
}

export type PortfolioMember = PortfolioPair | PortfolioBasket;

/** A round trip at the member's target size, leg by leg (leg order = `PreparedMember.symbols`). */
export interface LegTrade<T> {
  trade: T;
  entryBar: number;
  exitBar: number;
  qty: number[];
  entryPrice: number[];
  exitPrice: number[];
}

export interface MemberRun<T> {
  equity: Float64Array;
  trades: LegTrade<T>[];
}

interface MemberBase {
  id: string;
  symbols: string[];
  /** Closes of each leg, on the portfolio's time axis. */
  close: Float64Array[];
  time: Float64Array;
  barMs: number;
}

export interface PreparedPair extends MemberBase {
  kind: 'pair';
  run(exec: ExecutionSettings, notionalPerLeg: number, range: SimulationRange): MemberRun<Trade>;
}

export interface PreparedBasket extends MemberBase {
  kind: 'basket';
  run(exec: ExecutionSettings, notionalPerLeg: number, range: SimulationRange): MemberRun<BasketTrade>;
}

export type PreparedMember = PreparedPair | PreparedBasket;

export function isBasketMember(m: PortfolioMember): m is PortfolioBasket {
  return 'basket' in m;
}

function preparePair(p: PortfolioPair): PreparedPair {
  const bars = toAligned(p.bars);
  validateStrategy(p.strategy);
  const signals: Signals = computeSignals(bars, p.strategy.hedge, p.strategy.window, p.strategy.scale);
  const options: BacktestOptions = { funding: p.funding, quotes: p.quotes };
  return {
    kind: 'pair', id: p.id ?? `${p.y}/${p.x}`, symbols: [p.y, p.x], close: [bars.yClose, bars.xClose], time: bars.time, barMs: bars.barMs,
    run(exec, notionalPerLeg, range) {
      const r = runBacktest(bars, signals, p.strategy, { ...options, execution: { ...exec, notionalPerLeg }, start: range.start, end: range.end });
      return {
        equity: r.equity,
        trades: r.trades.map((t) => ({
          trade: t, entryBar: t.entryBar, exitBar: t.exitBar, qty: [t.qtyY, t.qtyX], entryPrice: [t.entryPriceY, t.entryPriceX], exitPrice: [t.exitPriceY, t.exitPriceX],
        })),
      };
    },
  };
}

function prepareBasket(b: PortfolioBasket, index: number): PreparedBasket {
  const named = 'barMs' in b.basket || b.basket.symbols !== undefined;
  if (!named) throw new BacktestSettingsError(`basket member ${index + 1} has no symbols: name its legs (basket.symbols) so its positions net with the other members'`);
  const basket: AlignedBasket = toAlignedBasket(b.basket);
  const legs = basket.open.length;
  const id = b.id ?? basket.symbols.join('+');
  if (legs < 3) throw new BacktestSettingsError(`basket ${JSON.stringify(id)} has ${legs} legs: a portfolio basket has 3 to 6; give a two-leg spread as a pair { y, x, bars, strategy }`);
  validateStrategy(b.strategy);
  const signals: BasketSignals = basketSignals(basket, b.strategy.weights, b.strategy.window, b.strategy.fit);
  const options: BasketBacktestOptions = { funding: b.funding, quotes: b.quotes };
  return {
    kind: 'basket', id, symbols: basket.symbols, close: basket.close, time: basket.time, barMs: basket.barMs,
    run(exec, notionalPerLeg, range) {
      const r = runBasketBacktest(basket, signals, b.strategy, { ...options, execution: { ...exec, notionalPerLeg }, start: range.start, end: range.end });
      return {
        equity: r.equity,
        trades: r.trades.map((t) => ({ trade: t, entryBar: t.entryBar, exitBar: t.exitBar, qty: t.qty, entryPrice: t.entryPrice, exitPrice: t.exitPrice })),
      };
    },
  };
}

function checkSameAxis(first: PreparedMember, m: PreparedMember): void {
  const a = first.time;
  const time = m.time;
  const what = `${m.kind} ${JSON.stringify(m.id)} is not on the time axis of ${first.kind} ${JSON.stringify(first.id)}`;
  const fix = 'align every member on the same bars first (the portfolio marks equity on one grid)';
  if (time.length !== a.length) throw new BacktestSettingsError(`${what}: ${time.length} bars against ${a.length}; ${fix}`);
  for (let i = 0; i < a.length; i++) {
    if (time[i] !== a[i]) throw new BacktestSettingsError(`${what}: bar ${i} starts at ${new Date(time[i]).toISOString()} against ${new Date(a[i]).toISOString()}; ${fix}`);
  }
}

/** Checks and prepares every member (signals computed once); all must share one time axis and have distinct ids. */
export function prepareMembers(members: readonly PortfolioMember[]): PreparedMember[] {
  if (members.length === 0) throw new BacktestSettingsError('no pairs given: a portfolio needs at least one pair or basket');
  const seen = new Set<string>();
  const out: PreparedMember[] = [];
  members.forEach((m, i) => {
    const p = isBasketMember(m) ? prepareBasket(m, i) : preparePair(m);
    if (seen.has(p.id)) throw new BacktestSettingsError(`${p.kind} id ${JSON.stringify(p.id)} is given twice: give each member a distinct id`);
    seen.add(p.id);
    if (out.length > 0) checkSameAxis(out[0], p);
    out.push(p);
  });
  return out;
}
