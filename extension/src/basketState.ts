// The basket on screen: its view and backtest as the kernel last sent them, and the requests that ask for them. A basket
// view comes whole on every refresh (no increments), so a reply simply replaces the one held.
import type { BasketBacktestData, BasketBacktestParams, BasketData, BasketParams } from './protocol';
import type { IControls, IStrategyControls } from './tokens';

/** Newest bars a basket view reads: its Johansen fit and stability windows are re-run on every refresh. */
export const BASKET_MAX_BARS = 5_000;

/** Legs of a basket, Y and X included. */
export const MAX_BASKET_LEGS = 6;

export class BasketState {
  constructor(private readonly viewKey: () => string, private readonly emit: () => void) {}

  /** The view held, or null; `waiting` says why there is none yet (e.g. the legs share too few bars). */
  view: BasketData | null = null;
  waiting: string | null = null;
  backtest: BasketBacktestData | null = null;
  /** When the backtest held was run, epoch ms. */
  backtestAt = 0;

  /** Takes a view made for `key`; dropped when the controls have left that view. A new basket drops the old backtest. */
  apply(data: BasketData, key: string): boolean {
    if (key !== this.viewKey()) return false;
    if (key !== this._key) this.backtest = null;
    this._key = key;
    this.view = data;
    this.waiting = null;
    this.emit();
    return true;
  }

  /** No view for `key` yet, and why. */
  setWaiting(text: string, key: string): void {
    if (key !== this.viewKey()) return;
    if (key !== this._key) {
      this.view = null;
      this.backtest = null;
    }
    this._key = key;
    this.waiting = text;
    this.emit();
  }

  setBacktest(data: BasketBacktestData, key: string): boolean {
    if (key !== this.viewKey()) return false;
    this.backtest = data;
    this.backtestAt = Date.now();
    this.emit();
    return true;
  }

  /** Whether what is held belongs to the controls on screen. */
  get current(): boolean {
    return this._key === this.viewKey();
  }

  clear(): void {
    this.view = null;
    this.backtest = null;
    this.waiting = null;
    this._key = '';
    this.emit();
  }

  private _key = '';
}

/** The `basket` request of the controls: Y, X and the added legs on the controls' bars and window. */
export function basketParams(c: Readonly<IControls>, maxBars: number): BasketParams {
  return {
    legs: [c.y, c.x, ...c.legs], weights: c.basketWeights, timeframe: c.timeframe, window: c.window, minVolume: c.minVolume,
    maxBars: Math.min(maxBars, BASKET_MAX_BARS),
  };
}

/** The `basketBacktest` request: the basket of the controls with the Backtest tab's strategy and costs. */
export function basketBacktestParams(c: Readonly<IControls>, s: Readonly<IStrategyControls>, maxBars: number): BasketBacktestParams {
  return {
    ...basketParams(c, maxBars), entry: s.entry, exit: s.exit, ...(s.stop !== null ? { stop: s.stop } : {}),
    feeBps: s.feeBps, slippageBps: s.slippageBps, notional: s.notional, ...(s.funding ? { funding: s.funding } : {}), ...(s.fills ? { fills: s.fills } : {}),
  };
}
