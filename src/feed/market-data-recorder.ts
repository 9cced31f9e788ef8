// The recorder's market data beside trades: the bookTicker and markPrice@1s feeds (connections of their own), the
// funding history, and the rows waiting for the next store flush. The recorder drains them into its sink right
// before each flush, so they become durable with the same fsyncs as the ticks.
import type { AppendResult } from '../store/types';
import type { Clock } from './clock';
import { FundingHistory, type FundingHistoryHealth } from './funding-history';
import type { StreamHealth } from './health';
import { BookTickerFeed, MarkPriceFeed } from './market-data-feeds';
import type { RealtimeFeed, RealtimeFeedOptions, FeedEvent } from './realtime-feed';
import type { BinanceRest } from './rest';
import type { MarketDataSink } from './sink';
import type { StreamKind } from './streams';
import type { BookTicker, FeedHealth, FundingEvent, MarkPriceUpdate } from './types';

export interface MarketDataRecorderOptions {
  streams: readonly StreamKind[];
  symbols: readonly string[];
  wsUrl: string;
  rest: BinanceRest;
  clock: Clock;
  sink: Pick<MarketDataSink, 'appendQuotes' | 'appendMarks' | 'appendFunding' | 'layerHighWaterMarks'>;
  feed?: Omit<RealtimeFeedOptions, 'clock'>;
  /** Funding history fetched for a symbol with none stored. Default 30 days. */
  fundingHistoryDays?: number;
  /** Stop pulling from a feed while this many of its rows wait for the store. Default 200,000. */
  maxPendingRows?: number;
  /** Resolves after the next flush (the recorder's writer). */
  nextFlush(): Promise<void>;
  onError(message: string): void;
}

/** A stream kind's health from its feed's, with what the store accepted. */
export function streamHealth(kind: StreamKind, f: FeedHealth, stored: number): StreamHealth {
  const ages = f.connections.map((c) => c.lastMessageAgeMs).filter((a): a is number => a !== null);
  return {
    kind,
    connections: f.connections,
    messagesPerSec: f.messagesPerSec,
    lastMessageAgeMs: ages.length ? Math.min(...ages) : null,
    reconnects: f.reconnects,
    staleReplacements: f.staleReplacements,
    events: f.trades,
    stored,
    badFrames: f.badFrames,
    lastErrorFrame: f.lastErrorFrame,
    duplicatesDropped: f.overlapDuplicates,
    rotations: f.rotations,
    paused: f.paused,
  };
}

export class MarketDataRecorder {
  private readonly quoteFeed: BookTickerFeed | null;
  private readonly markFeed: MarkPriceFeed | null;
  private readonly funding: FundingHistory | null;
  private quotes: BookTicker[] = [];
  private marks: MarkPriceUpdate[] = [];
  private fundings: FundingEvent[] = [];
  private readonly stored = { bookTicker: 0, markPrice: 0, funding: 0 };
  private consumers: Promise<void>[] = [];

  constructor(private readonly opts: MarketDataRecorderOptions) {
    const feedOpts = { ...opts.feed, symbols: opts.symbols, wsUrl: opts.wsUrl, clock: opts.clock };
    this.quoteFeed = opts.streams.includes('bookTicker') ? new BookTickerFeed(feedOpts) : null;
    this.markFeed = opts.streams.includes('markPrice') ? new MarkPriceFeed(feedOpts) : null;
    this.funding = this.markFeed
      ? new FundingHistory({
        rest: opts.rest,
        clock: opts.clock,
        symbols: opts.symbols,
        stored: new Map([...opts.sink.layerHighWaterMarks('funding')].map(([s, h]) => [s, h.aggId])),
        deliver: (events) => { this.fundings.push(...events); },
        historyDays: opts.fundingHistoryDays,
      })
      : null;
  }

  /** Opens the feeds (the aggTrade feed has validated the symbols) and starts fetching funding history. */
  async start(): Promise<void> {
    if (this.quoteFeed) {
      await this.quoteFeed.start();
      this.consumers.push(this.consume(this.quoteFeed, (q) => { this.quotes.push(q); return this.quotes.length; }));
    }
    if (this.markFeed) {
      await this.markFeed.start();
      this.consumers.push(this.consume(this.markFeed, (m) => {
        this.marks.push(m);
        this.funding?.onMark(m);
        return this.marks.length;
      }));
    }
    this.funding?.start();
  }

  /** Hands everything received to the sink; called right before each store flush. */
  drain(): void {
    const { sink } = this.opts;
    const take = <T>(rows: T[], append: (r: readonly T[]) => AppendResult): number => {
      if (rows.length === 0) return 0;
      try {
        return append(rows).accepted;
      } catch (err) {
        this.opts.onError(`store refused ${rows.length} rows: ${err instanceof Error ? err.message : String(err)}`);
        return 0;
      }
    };
    const quotes = this.quotes;
    const marks = this.marks;
    const fundings = this.fundings;
    this.quotes = [];
    this.marks = [];
    this.fundings = [];
    this.stored.bookTicker += take(quotes, (r) => sink.appendQuotes(r));
    this.stored.markPrice += take(marks, (r) => sink.appendMarks(r));
    this.stored.funding += take(fundings, (r) => sink.appendFunding(r));
  }

  get pendingRows(): number {
    return this.quotes.length + this.marks.length + this.fundings.length;
  }

  health(): { streams: Partial<Record<StreamKind, StreamHealth>>; funding: FundingHistoryHealth | null } {
    const streams: Partial<Record<StreamKind, StreamHealth>> = {};
    if (this.quoteFeed) streams.bookTicker = streamHealth('bookTicker', this.quoteFeed.health(), this.stored.bookTicker);
    if (this.markFeed) streams.markPrice = streamHealth('markPrice', this.markFeed.health(), this.stored.markPrice);
    const funding = this.funding ? { ...this.funding.health(), stored: this.stored.funding } : null;
    return { streams, funding };
  }

  dropConnections(): void {
    this.quoteFeed?.dropConnections();
    this.markFeed?.dropConnections();
  }

  /** Closes the feeds and the funding fetches; what was received stays for the last drain. */
  async stop(): Promise<void> {
    await this.funding?.stop();
    await Promise.all([this.quoteFeed?.stop(), this.markFeed?.stop()]);
    await Promise.all(this.consumers);
  }

  private async consume<T extends FeedEvent>(feed: RealtimeFeed<T>, take: (event: T) => number): Promise<void> {
    const max = this.opts.maxPendingRows ?? 200_000;
    let sliceStart = performance.now();
    try {
      for await (const event of feed) {
        // Not pulling lets the feed's queue fill, and the feed then stops reading its sockets.
        if (take(event) >= max) await this.opts.nextFlush();
        if (performance.now() - sliceStart > 5) {
          await new Promise<void>((r) => setImmediate(r));
          sliceStart = performance.now();
        }
      }
    } catch (err) {
      this.opts.onError(`feed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
