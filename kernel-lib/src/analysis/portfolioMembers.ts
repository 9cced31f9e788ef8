// Pair and basket views as members of one portfolio (`pl.backtest.backtestPortfolio`): every member must be on the
// same bars, so each view is cut to a span all of them cover.
import type { AlignedBasket, AlignedPair, BasketStrategy, PairStrategy, PortfolioBasket, PortfolioPair } from '../../../src/backtest';
import type { BasketView } from './basketView';
import type { PairView } from './pairView';
import { alignedPair } from './viewOutputs';

/** First and last bar start (epoch ms, both included). */
export interface BarSpan {
  from: number;
  to: number;
}

/** The bars every view covers: from the latest first bar to the earliest last bar. */
export function commonSpan(views: ReadonlyArray<{ time: Float64Array }>): BarSpan {
  if (views.length === 0) throw new Error('commonSpan needs at least one view');
  const from = Math.max(...views.map((v) => v.time[0]));
  const to = Math.min(...views.map((v) => v.time[v.time.length - 1]));
  if (!(from <= to)) throw new Error(`the views share no bars: the latest starts at ${new Date(from).toISOString()}, after the earliest ends at ${new Date(to).toISOString()}; load overlapping periods`);
  return { from, to };
}

/** Index range [a, b) of `span` in `time`; both ends must be bars of the view. */
function cut(time: Float64Array, span: BarSpan | undefined, what: string): [number, number] {
  if (span === undefined) return [0, time.length];
  const a = time.indexOf(span.from);
  const b = time.indexOf(span.to) + 1;
  if (a < 0 || b <= 0) {
    throw new Error(`${what} has no bar at ${new Date(a < 0 ? span.from : span.to).toISOString()}: give a span inside its bars (commonSpan of all the members' views)`);
  }
  return [a, b];
}

/** A pair view as a portfolio member `{ y, x, bars, strategy }` on the bars of `span` (default all of them). */
export function pairMember(view: PairView, strategy: PairStrategy, span?: BarSpan): PortfolioPair & { bars: AlignedPair } {
  const p = alignedPair(view);
  const [a, b] = cut(p.time, span, `pair ${view.y}/${view.x}`);
  const bars: AlignedPair = {
    time: p.time.slice(a, b), yOpen: p.yOpen.slice(a, b), yClose: p.yClose.slice(a, b), xOpen: p.xOpen.slice(a, b), xClose: p.xClose.slice(a, b), barMs: p.barMs,
  };
  return { y: view.y, x: view.x, bars, strategy };
}

/** A basket view as a portfolio member `{ basket, strategy }` on the bars of `span` (default all of them). */
export function basketMember(view: BasketView, strategy: BasketStrategy, span?: BarSpan): PortfolioBasket & { basket: AlignedBasket } {
  const k = view.basket;
  const [a, b] = cut(k.time, span, `basket ${view.legs.join('+')}`);
  const basket: AlignedBasket = {
    time: k.time.slice(a, b), open: k.open.map((c) => c.slice(a, b)), close: k.close.map((c) => c.slice(a, b)), symbols: k.symbols, barMs: k.barMs,
  };
  return { basket, strategy };
}
