// Values the feed produces and reports. Times are UTC epoch milliseconds.
import type { FundingRow, MarkRow, QuoteRow, Tick } from '../store/types';

/** One Binance USD-M aggTrade, with the exchange's own price and quantity text kept beside the numbers. */
export interface AggTrade {
  symbol: string;
  aggId: number;
  /** `p` exactly as the exchange sent it, e.g. "64000.10". */
  priceText: string;
  qtyText: string;
  price: number;
  qty: number;
  firstTradeId: number;
  lastTradeId: number;
  tradeTime: number;
  /** Event time `E`; REST rows have none and repeat the trade time. */
  eventTime: number;
  isBuyerMaker: boolean;
  /** Local receive time. */
  recvTime: number;
}

export function toTick(t: AggTrade): Tick {
  return {
    symbol: t.symbol,
    aggId: t.aggId,
    tradeTime: t.tradeTime,
    price: t.price,
    qty: t.qty,
    isBuyerMaker: t.isBuyerMaker,
    recvTime: t.recvTime,
  };
}

/** Why a frame was skipped. */
export type BadFrameReason =
  | 'non_json'
  | 'binary'
  | 'oversized'
  | 'missing_field'
  | 'wrong_type'
  | 'unknown_event'
  | 'unknown_stream'
  | 'error_frame';

export const badFrameReasons: readonly BadFrameReason[] = [
  'non_json', 'binary', 'oversized', 'missing_field', 'wrong_type', 'unknown_event', 'unknown_stream', 'error_frame',
];

export type ConnectionState = 'connecting' | 'open' | 'backoff' | 'paused' | 'closed';

export interface ConnectionHealth {
  id: string;
  /** URL without the stream list. */
  url: string;
  streams: number;
  state: ConnectionState;
  /** True while this connection is the replacement opened before the 24 h limit and the old one still runs. */
  rotating: boolean;
  connectedAt: number | null;
  messages: number;
  messagesPerSec: number;
  lastMessageAt: number | null;
  lastMessageAgeMs: number | null;
  reconnects: number;
  staleReplacements: number;
  nextAttemptAt: number | null;
  lastError: string | null;
}

/** Local receive time minus the exchange's event time `E`, over the most recent live trades. */
export interface EventLatencyHealth {
  /** Median over the last `samples` trades; null before the first. Includes any local clock offset. */
  medianMs: number | null;
  samples: number;
}

export interface FeedHealth {
  connections: ConnectionHealth[];
  messagesPerSec: number;
  trades: number;
  badFrames: Record<BadFrameReason, number>;
  /** The last error frame the exchange sent, e.g. `code 3: Invalid JSON`. */
  lastErrorFrame: string | null;
  /** Trades seen twice (24 h rotation overlap, reconnect races) and dropped. */
  overlapDuplicates: number;
  rotations: number;
  /** Reconnects over the run, also of connections a rotation replaced. */
  reconnects: number;
  staleReplacements: number;
  paused: boolean;
  eventLatency: EventLatencyHealth;
}

/** One `<symbol>@bookTicker` event: the best bid and ask with their sizes (`u`, `E`, `T`, `b`, `B`, `a`, `A`). */
export type BookTicker = QuoteRow;

/** One `<symbol>@markPrice@1s` event (`markPriceUpdate`: `E`, `p`, `i`, `P`, `r`, `T`). */
export type MarkPriceUpdate = MarkRow;

/** One settled funding event (a `GET /fapi/v1/fundingRate` row). */
export type FundingEvent = FundingRow;
