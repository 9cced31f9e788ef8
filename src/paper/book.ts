/** A paper book's state, folded from its journal: the position, the round trips, the orders and the totals. */
import type { FillEvent, FundingEvent, OrderEvent, PaperBookSpec, PaperEvent, PaperTrade } from './types';

export interface OpenLegs {
  side: 'long' | 'short';
  qtyY: number;
  qtyX: number;
  entryPriceY: number;
  entryPriceX: number;
  entryTime: number;
}

export interface BookTotals {
  /** Closed trades' price P&L − fees + funding, plus the open trade's fees and funding so far. */
  realized: number;
  fees: number;
  spreadCost: number;
  slippage: number;
  funding: number;
  trades: number;
}

export interface BookState {
  spec: PaperBookSpec;
  stopped: boolean;
  position: OpenLegs | null;
  /** Oldest first; the last may be open (`exitTime` null). */
  trades: PaperTrade[];
  orders: Array<OrderEvent & { filledAt: number | null }>;
  funding: FundingEvent[];
  totals: BookTotals;
  /** Time of the newest event. */
  lastEventTime: number;
  /** Ids of every order and funding event in the journal. */
  ids: Set<string>;
}

function openTrade(order: OrderEvent, fill: FillEvent): PaperTrade {
  return {
    side: order.side === 1 ? 'long' : 'short', entryTime: fill.time, exitTime: null, entryZ: order.z, exitZ: null,
    hedgeRatio: order.hedgeRatio, qtyY: fill.qtyY, qtyX: fill.qtyX, entryPriceY: fill.priceY, entryPriceX: fill.priceX,
    exitPriceY: null, exitPriceX: null, entryFee: fill.fee, fees: fill.fee, spreadCost: fill.spreadCost, slippage: fill.slippage, funding: 0,
    pnl: 0, exitReason: null,
  };
}

function closeTrade(t: PaperTrade, order: OrderEvent, fill: FillEvent): void {
  t.exitTime = fill.time;
  t.exitZ = order.z;
  t.exitPriceY = fill.priceY;
  t.exitPriceX = fill.priceX;
  t.fees += fill.fee;
  t.spreadCost += fill.spreadCost;
  t.slippage += fill.slippage;
  t.exitReason = order.reason ?? 'exit';
}

function tradePnl(t: PaperTrade): number {
  const price = t.exitTime === null ? 0 : t.qtyY * ((t.exitPriceY as number) - t.entryPriceY) + t.qtyX * ((t.exitPriceX as number) - t.entryPriceX);
  return price - t.fees + t.funding;
}

/** The trade that held the position at `time` (entered before it, exited at it or later, or still open). */
function tradeAt(trades: readonly PaperTrade[], time: number): PaperTrade | undefined {
  for (let i = trades.length - 1; i >= 0; i--) {
    const t = trades[i];
    if (t.entryTime < time && (t.exitTime === null || time <= t.exitTime)) return t;
    if (t.entryTime < time) return undefined;
  }
  return undefined;
}

/** Folds a journal (its first event the `start`) into the book's state. */
export function foldBook(events: readonly PaperEvent[]): BookState {
  const first = events[0];
  if (first === undefined || first.kind !== 'start') throw new Error('a paper journal must begin with its start event; this one does not (is it a paper journal?)');
  const state: BookState = {
    spec: first.spec, stopped: false, position: null, trades: [], orders: [], funding: [],
    totals: { realized: 0, fees: 0, spreadCost: 0, slippage: 0, funding: 0, trades: 0 }, lastEventTime: first.time, ids: new Set(),
  };
  const orders = new Map<string, OrderEvent & { filledAt: number | null }>();
  for (const e of events.slice(1)) {
    state.lastEventTime = Math.max(state.lastEventTime, e.time);
    if (e.kind === 'stop') state.stopped = true;
    else if (e.kind === 'order') {
      const o = { ...e, filledAt: null };
      orders.set(e.id, o);
      state.orders.push(o);
      state.ids.add(e.id);
    } else if (e.kind === 'fill') {
      const o = orders.get(e.id);
      if (o === undefined) throw new Error(`paper journal: fill ${e.id} has no order before it; the journal is damaged`);
      o.filledAt = e.time;
      if (o.action === 'enter') state.trades.push(openTrade(o, e));
      else {
        const t = state.trades.at(-1);
        if (t === undefined || t.exitTime !== null) throw new Error(`paper journal: exit fill ${e.id} with no open trade; the journal is damaged`);
        closeTrade(t, o, e);
      }
    } else if (e.kind === 'funding') {
      state.funding.push(e);
      state.ids.add(e.id);
      const t = tradeAt(state.trades, e.time);
      if (t !== undefined) t.funding += e.amount;
    }
  }
  const open = state.trades.at(-1);
  if (open !== undefined && open.exitTime === null) {
    state.position = { side: open.side, qtyY: open.qtyY, qtyX: open.qtyX, entryPriceY: open.entryPriceY, entryPriceX: open.entryPriceX, entryTime: open.entryTime };
  }
  const totals = state.totals;
  for (const t of state.trades) {
    t.pnl = tradePnl(t);
    totals.realized += t.pnl;
    totals.fees += t.fees;
    totals.spreadCost += t.spreadCost;
    totals.slippage += t.slippage;
    totals.funding += t.funding;
    if (t.exitTime !== null) totals.trades++;
  }
  return state;
}

/** The book's value at these prices: realized plus the open position marked there. */
export function bookEquity(state: BookState, priceY: number, priceX: number): number {
  const p = state.position;
  const unrealized = p === null ? 0 : p.qtyY * (priceY - p.entryPriceY) + p.qtyX * (priceX - p.entryPriceX);
  return state.spec.execution.capital + state.totals.realized + unrealized;
}

/**
 * The book's equity at each close in `time` (bar starts; a close is start + `barMs`): capital, plus closed trades'
 * P&L, plus the trade open at that close marked at the closes (its fees and funding so far included).
 */
export function bookCurve(state: BookState, time: Float64Array, yClose: Float64Array, xClose: Float64Array): Float64Array {
  const out = new Float64Array(time.length);
  const { barMs, execution } = state.spec;
  const funding = [...state.funding].sort((a, b) => a.time - b.time);
  let closed = execution.capital;
  let ti = 0;
  let fi = 0;
  let fundedOpen = 0;
  for (let i = 0; i < time.length; i++) {
    const close = time[i] + barMs;
    while (ti < state.trades.length && state.trades[ti].exitTime !== null && (state.trades[ti].exitTime as number) <= close) {
      closed += state.trades[ti].pnl;
      ti++;
      fundedOpen = 0;
    }
    const t = state.trades[ti];
    let value = closed;
    if (t !== undefined && t.entryTime <= close) {
      while (fi < funding.length && funding[fi].time <= close) {
        if (funding[fi].time > t.entryTime) fundedOpen += funding[fi].amount;
        fi++;
      }
      value += t.qtyY * (yClose[i] - t.entryPriceY) + t.qtyX * (xClose[i] - t.entryPriceX) - t.entryFee + fundedOpen;
    }
    out[i] = value;
  }
  return out;
}
