// A paper book as the panel shows it: position, totals, the newest orders and trades, the equity curve thinned.
import type { BookState, PaperTrade } from '../../../src/paper';
import type { PaperStatus } from '../paper/paperTrader';
import type { PaperBookData, PaperTradeRow } from '../protocol';

const ORDERS = 20;
const TRADES = 50;
const CURVE_POINTS = 2_000;

const num = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

function tradeRow(t: PaperTrade): PaperTradeRow {
  return {
    side: t.side, entryTime: t.entryTime, exitTime: t.exitTime, qtyY: num(t.qtyY), qtyX: num(t.qtyX), entryY: num(t.entryPriceY), entryX: num(t.entryPriceX),
    exitY: num(t.exitPriceY), exitX: num(t.exitPriceX), fees: num(t.fees), spreadCost: num(t.spreadCost), funding: num(t.funding), pnl: num(t.pnl), exitReason: t.exitReason,
  };
}

function thin(time: Float64Array, equity: Float64Array): { time: number[]; equity: Array<number | null> } {
  const step = Math.max(1, Math.ceil(time.length / CURVE_POINTS));
  const out = { time: [] as number[], equity: [] as Array<number | null> };
  for (let i = 0; i < time.length; i += step) {
    const j = Math.min(time.length - 1, i + step - 1); // the newest close of each step, so the last point is now
    out.time.push(time[j]);
    out.equity.push(num(equity[j]));
  }
  return out;
}

/** The panel's rows of a book; `status` is null for a book shown from its journal only (another process trades it). */
export function paperBookData(state: BookState, status: PaperStatus | null): PaperBookData {
  const { spec, totals } = state;
  const p = state.position;
  return {
    name: spec.name, y: spec.y, x: spec.x, timeframe: spec.timeframe, entry: spec.strategy.entry, exit: spec.strategy.exit, stop: num(spec.strategy.stop),
    startAt: spec.startAt,
    state: state.stopped ? 'stopped' : status === null ? 'elsewhere' : 'here',
    position: p === null ? null : { side: p.side, qtyY: num(p.qtyY), qtyX: num(p.qtyX), entryY: num(p.entryPriceY), entryX: num(p.entryPriceX), entryTime: p.entryTime },
    capital: spec.execution.capital,
    equity: num(status?.equity ?? spec.execution.capital + totals.realized),
    realized: num(totals.realized), fees: num(totals.fees), spreadCost: num(totals.spreadCost), slippage: num(totals.slippage), funding: num(totals.funding),
    closedTrades: totals.trades,
    orders: state.orders.slice(-ORDERS).reverse().map((o) => ({ time: o.time, action: o.action, side: o.side === 1 ? 'long' : 'short', z: num(o.z), reason: o.reason ?? null, filledAt: o.filledAt })),
    trades: state.trades.slice(-TRADES).reverse().map(tradeRow),
    curve: status ? thin(status.curve.time, status.curve.equity) : { time: [], equity: [] },
    closedUntil: status && Number.isFinite(status.closedUntil) ? status.closedUntil : null,
    waiting: status?.waiting ?? null, diverged: status?.diverged ?? null, error: status?.error ?? null,
  };
}
