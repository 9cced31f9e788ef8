// Values the feed produces and reports. Times are UTC epoch milliseconds.
import type { Tick } from '../store/types';

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
  paused: boolean;
  eventLatency: EventLatencyHealth;
}

/** One `<symbol>@bookTicker` event: the best bid and ask with their sizes. */
export interface BookTicker {
  symbol: string;
  /** Order book update id `u`, increasing per symbol. */
  updateId: number;
  /** Event time `E`. */
  eventTime: number;
  /** Transaction time `T`. */
  txTime: number;
  bid: number;
  bidQty: number;
  ask: number;
  askQty: number;
  recvTime: number;
}

/** One `<symbol>@markPrice@1s` event (`markPriceUpdate`). */
export interface MarkPriceUpdate {
  symbol: string;
  eventTime: number;
  markPrice: number;
  indexPrice: number;
  /** `P`, only meaningful in the hour before a delivery contract settles. */
  estimatedSettlePrice: number;
  /** `r`: the estimated rate of the running funding period. */
  fundingRate: number;
  /** `T`: when the running period settles. */
  nextFundingTime: number;
  recvTime: number;
}

/** One settled funding event (`GET /fapi/v1/fundingRate` row). */
export interface FundingEvent {
  symbol: string;
  fundingTime: number;
  fundingRate: number;
  /** Mark price at the event; NaN when the exchange did not give one (old rows have ""). */
  markPrice: number;
}
