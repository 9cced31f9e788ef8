// The Binance USD-M feeds beside aggTrade: `<symbol>@bookTicker` on the `/public` route and `<symbol>@markPrice@1s`
// on the `/market` route, each on connections of its own so that health, staleness and bad frames are per stream kind.
import { binanceFuturesWsUrl, normalizeSymbols } from './binance-futures';
import { parseFrame } from './parse';
import { type FeedEvent, type FeedFrame, RealtimeFeed, type RealtimeFeedOptions } from './realtime-feed';
import { routeOf, type StreamKind, streamName } from './streams';
import type { BookTicker, MarkPriceUpdate } from './types';

export interface MarketDataFeedOptions extends RealtimeFeedOptions {
  /** Already checked against exchangeInfo by the aggTrade feed, which starts first. */
  symbols: readonly string[];
  /** WebSocket base; `/<route>/stream?streams=…` is appended. Default the production URL. */
  wsUrl?: string;
}

abstract class MarketDataFeed<T extends FeedEvent> extends RealtimeFeed<T> {
  protected readonly symbols: readonly string[];
  private readonly wsBase: string;

  constructor(opts: MarketDataFeedOptions, readonly kind: StreamKind) {
    super(opts);
    this.symbols = normalizeSymbols(opts.symbols);
    this.wsBase = (opts.wsUrl ?? binanceFuturesWsUrl).replace(/\/+$/, '');
  }

  protected async validate(): Promise<void> {
    // The recorder starts these feeds after the aggTrade feed refused unknown or non-trading symbols.
  }

  protected streamName(symbol: string): string {
    return streamName(this.kind, symbol);
  }

  protected connectionUrl(streams: readonly string[]): string {
    return `${this.wsBase}/${routeOf[this.kind]}/stream?streams=${streams.join('/')}`;
  }

  protected parseAny(data: Buffer, isBinary: boolean, recvTime: number, streams: ReadonlySet<string>): ReturnType<typeof parseFrame> {
    return parseFrame(data, isBinary, recvTime, { maxFrameBytes: this.options.maxFrameBytes, streams });
  }
}

function otherKind(kind: string, on: StreamKind): { kind: 'bad'; reason: 'unknown_event'; detail: string } {
  return { kind: 'bad', reason: 'unknown_event', detail: `a ${kind} event on a ${on} connection` };
}

export class BookTickerFeed extends MarketDataFeed<BookTicker> {
  constructor(opts: MarketDataFeedOptions) {
    super(opts, 'bookTicker');
  }

  protected parse(data: Buffer, isBinary: boolean, recvTime: number, streams: ReadonlySet<string>): FeedFrame<BookTicker> {
    const f = this.parseAny(data, isBinary, recvTime, streams);
    if (f.kind === 'quote') return { kind: 'event', event: f.quote };
    return f.kind === 'control' || f.kind === 'bad' ? f : otherKind(f.kind, this.kind);
  }

  protected sequenceOf(q: BookTicker): number {
    return q.updateId;
  }
}

export class MarkPriceFeed extends MarketDataFeed<MarkPriceUpdate> {
  constructor(opts: MarketDataFeedOptions) {
    super(opts, 'markPrice');
  }

  protected parse(data: Buffer, isBinary: boolean, recvTime: number, streams: ReadonlySet<string>): FeedFrame<MarkPriceUpdate> {
    const f = this.parseAny(data, isBinary, recvTime, streams);
    if (f.kind === 'mark') return { kind: 'event', event: f.mark };
    return f.kind === 'control' || f.kind === 'bad' ? f : otherKind(f.kind, this.kind);
  }

  protected sequenceOf(m: MarkPriceUpdate): number {
    return m.eventTime;
  }
}
