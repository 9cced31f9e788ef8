/** The shapes of a paper book: what it trades, and the events its journal holds. */
import type { ExecutionSettings, ExitReason, PairStrategy } from '../backtest';

/** What a book trades and how; fixed when the book starts (its journal's first line). */
export interface PaperBookSpec {
  /** Letters, digits, `.`, `_`, `-`; names the journal file. */
  name: string;
  y: string;
  x: string;
  timeframe: string;
  barMs: number;
  strategy: PairStrategy;
  execution: ExecutionSettings;
  /** A quote older than this at a fill time is not used (the fill falls back to the bar's open with slippage). */
  quoteMaxAgeMs: number;
  /** Start of the first bar the signals read. */
  historyFrom: number;
  /** Start of the first bar whose close may decide an order. */
  startAt: number;
  createdAt: number;
}

/** +1: long the spread (long y), −1: short it. */
export type Side = 1 | -1;

export interface StartEvent {
  kind: 'start';
  time: number;
  spec: PaperBookSpec;
}

/** The rule's decision at a bar's close; `time` is that close, when the order is sent. */
export interface OrderEvent {
  kind: 'order';
  id: string;
  time: number;
  action: 'enter' | 'exit';
  side: Side;
  z: number;
  hedgeRatio: number;
  reason?: ExitReason;
}

/** Both legs of an order filled at the quotes standing at `time` (or the bar's open with slippage where none). */
export interface FillEvent {
  kind: 'fill';
  /** The order's id. */
  id: string;
  time: number;
  /** Signed quantities traded by this fill (an exit trades the opposite of the position). */
  qtyY: number;
  qtyX: number;
  priceY: number;
  priceX: number;
  fee: number;
  spreadCost: number;
  slippage: number;
  /** Legs filled at a recorded bid/ask (0–2). */
  quotedLegs: number;
}

/** A funding settlement paid or received by the position held at `time`. */
export interface FundingEvent {
  kind: 'funding';
  /** `funding:<SYMBOL>:<time>`. */
  id: string;
  time: number;
  symbol: string;
  rate: number;
  markPrice: number;
  /** Position quantity of that leg at the event. */
  qty: number;
  /** Received (negative = paid). */
  amount: number;
}

export interface StopEvent {
  kind: 'stop';
  time: number;
}

export type PaperEvent = StartEvent | OrderEvent | FillEvent | FundingEvent | StopEvent;

/** A round trip of the book (closed, or `open` with no exit yet). */
export interface PaperTrade {
  side: 'long' | 'short';
  entryTime: number;
  exitTime: number | null;
  entryZ: number;
  exitZ: number | null;
  hedgeRatio: number;
  qtyY: number;
  qtyX: number;
  entryPriceY: number;
  entryPriceX: number;
  exitPriceY: number | null;
  exitPriceX: number | null;
  entryFee: number;
  /** Entry and exit fees. */
  fees: number;
  spreadCost: number;
  slippage: number;
  funding: number;
  /** Closed: price P&L − fees + funding. Open: fees and funding so far (negative of costs). */
  pnl: number;
  exitReason: ExitReason | null;
}
