/**
 * One step of a paper book: the rule's decisions not yet in its journal become orders, each filled at the quotes
 * standing at its time once they are known (the same fill as the backtester's, through the same functions), and
 * funding settlements become payments by the position held then. Returns the events to append; nothing is written.
 */
import { type Costs, OpenPosition, costsOf } from '../backtest/fills';
import { type LegPrice, closePositionAt, isQuoted, legPriceAt, openPositionAt } from '../backtest/quoteFills';
import { fundingReceived } from '../backtest/recordedFunding';
import type { LegQuotes } from '../backtest';
import type { BookState } from './book';
import type { Decision } from './decisions';
import type { FillEvent, FundingEvent, OrderEvent, PaperEvent, PaperTrade } from './types';

export interface LegMarket {
  symbol: string;
  /** Quotes from at least `quoteMaxAgeMs` before the oldest fill still to price, oldest first. */
  quotes: LegQuotes | undefined;
  /** Every quote up to this time is stored (a newer one is), so the quote standing then is final; −Infinity: none. */
  quotesFinalTo: number;
  /** Settled funding events stored so far (from the book's start on), oldest first. */
  funding: ReadonlyArray<{ time: number; rate: number; markPrice: number }>;
}

export interface StepMarket {
  /** End of the newest closed bar of both legs. */
  closedUntil: number;
  /** Open of each leg's bar starting at `t` (NaN while unknown): the price a fill without a quote falls back to. */
  barOpen(t: number): { y: number; x: number };
  y: LegMarket;
  x: LegMarket;
}

export interface StepResult {
  events: PaperEvent[];
  /** Why the book is waiting, or why it stopped following the rule (null: it is up to date). */
  waiting: string | null;
  /** The rule's decisions disagree with the journal (the bars changed after a fill): the journal is kept. */
  diverged: string | null;
}

const orderId = (d: Decision): string => `${d.action}@${d.time}`;

function legPrice(leg: LegMarket, t: number, reference: number, maxAgeMs: number, closedUntil: number, barMs: number): LegPrice | null {
  // the quote standing at t is final once a newer one is stored, or once a whole bar has closed after t without one
  if (!(leg.quotesFinalTo > t) && !(closedUntil >= t + barMs)) return null;
  const p = legPriceAt(leg.quotes, t, reference, maxAgeMs);
  return isQuoted(p) || reference === reference ? p : null;
}

function positionFrom(t: PaperTrade): OpenPosition {
  const pos = new OpenPosition();
  pos.side = t.side === 'long' ? 1 : -1;
  pos.qY = t.qtyY;
  pos.qX = t.qtyX;
  pos.sideX = Math.sign(t.qtyX) || -pos.side;
  pos.eY = t.entryPriceY;
  pos.eX = t.entryPriceX;
  pos.beta = t.hedgeRatio;
  return pos;
}

function fill(order: OrderEvent, pos: OpenPosition | null, c: Costs, py: LegPrice, px: LegPrice): { event: FillEvent; pos: OpenPosition | null } {
  const quotedLegs = Number(isQuoted(py)) + Number(isQuoted(px));
  if (order.action === 'enter') {
    const p = new OpenPosition();
    const fee = openPositionAt(p, c, order.side, order.hedgeRatio, py, px);
    return { pos: p, event: { kind: 'fill', id: order.id, time: order.time, qtyY: p.qY, qtyX: p.qX, priceY: p.eY, priceX: p.eX, fee, spreadCost: p.spreadCost, slippage: p.slippage, quotedLegs } };
  }
  const p = pos as OpenPosition;
  p.spreadCost = 0;
  p.slippage = 0;
  closePositionAt(p, c, py, px);
  return { pos: null, event: { kind: 'fill', id: order.id, time: order.time, qtyY: -p.qY, qtyX: -p.qX, priceY: p.xY, priceX: p.xX, fee: p.exitFee, spreadCost: p.spreadCost, slippage: p.slippage, quotedLegs } };
}

/** Entry and exit times of the book's trades after `events` (open: exit Infinity), for placing funding. */
function holdings(state: BookState, events: readonly PaperEvent[]): Array<{ entry: number; exit: number; qtyY: number; qtyX: number }> {
  const out = state.trades.map((t) => ({ entry: t.entryTime, exit: t.exitTime ?? Infinity, qtyY: t.qtyY, qtyX: t.qtyX }));
  for (const e of events) {
    if (e.kind !== 'fill') continue;
    const last = out.at(-1);
    if (last !== undefined && last.exit === Infinity) last.exit = e.time;
    else out.push({ entry: e.time, exit: Infinity, qtyY: e.qtyY, qtyX: e.qtyX });
  }
  return out;
}

function fundingEvents(state: BookState, events: readonly PaperEvent[], market: StepMarket, settledTo: number): FundingEvent[] {
  const held = holdings(state, events);
  const out: FundingEvent[] = [];
  for (const [leg, m] of [['y', market.y], ['x', market.x]] as const) {
    for (const f of m.funding) {
      const id = `funding:${m.symbol}:${f.time}`;
      if (f.time <= state.spec.startAt || f.time > settledTo || state.ids.has(id)) continue;
      // paid by the position filled before the event and closed at it or later (Binance books positions open then)
      const h = held.find((p) => p.entry < f.time && f.time <= p.exit);
      if (h === undefined) continue;
      const markPrice = f.markPrice > 0 ? f.markPrice : market.barOpen(Math.ceil(f.time / state.spec.barMs) * state.spec.barMs)[leg];
      if (!(markPrice > 0)) continue; // its bar has not opened yet
      const qty = leg === 'y' ? h.qtyY : h.qtyX;
      out.push({ kind: 'funding', id, time: f.time, symbol: m.symbol, rate: f.rate, markPrice, qty, amount: fundingReceived(qty, f.rate, markPrice) });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The events that bring the book up to date with these decisions (all at closed bars) and this market. */
export function stepBook(state: BookState, decisions: readonly Decision[], market: StepMarket): StepResult {
  const { spec } = state;
  if (state.stopped) return { events: [], waiting: null, diverged: null };
  const costs = costsOf(spec.execution);
  const events: PaperEvent[] = [];
  const open = state.trades.at(-1);
  let pos = open !== undefined && open.exitTime === null ? positionFrom(open) : null;
  const journaled = new Map(state.orders.map((o) => [o.id, o]));
  let waiting: string | null = null;
  let diverged: string | null = null;
  let pendingAt = Infinity;
  for (const d of decisions) {
    if (d.time <= spec.startAt) continue;
    const id = orderId(d);
    const known = journaled.get(id);
    if (known !== undefined && known.filledAt !== null) continue;
    const wantsFlat = d.action === 'enter';
    if (known === undefined && (pos === null) !== wantsFlat) {
      diverged = `the rule ${d.action === 'enter' ? 'enters' : 'exits'} at ${new Date(d.time).toISOString()} but the book is ${pos === null ? 'flat' : 'in a position'}; the bars changed after the book traded on them`;
      break;
    }
    const order: OrderEvent = known ?? { kind: 'order', id, time: d.time, action: d.action, side: d.side, z: d.z, hedgeRatio: d.hedgeRatio, ...(d.reason !== undefined ? { reason: d.reason } : {}) };
    if (known === undefined) events.push(order);
    const ref = market.barOpen(d.time);
    const py = legPrice(market.y, d.time, ref.y, spec.quoteMaxAgeMs, market.closedUntil, spec.barMs);
    const px = legPrice(market.x, d.time, ref.x, spec.quoteMaxAgeMs, market.closedUntil, spec.barMs);
    if (py === null || px === null) {
      waiting = `order ${id} waits for the quotes standing at ${new Date(d.time).toISOString()}`;
      pendingAt = d.time;
      break;
    }
    const done = fill(order, pos, costs, py, px);
    pos = done.pos;
    events.push(done.event);
  }
  const funding = fundingEvents(state, events, market, Math.min(market.closedUntil, pendingAt));
  return { events: [...events, ...funding], waiting, diverged };
}
