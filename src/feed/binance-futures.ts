// Binance USD-M futures aggTrade feed on the routed `/market/stream` endpoint (combined streams).
import { BinanceRest } from './rest';
import { aggTradeStream, parseFrame } from './parse';
import { type FeedFrame, RealtimeFeed, type RealtimeFeedOptions } from './realtime-feed';
import type { AggTrade } from './types';

export const binanceFuturesWsUrl = 'wss://fstream.binance.com';
export const binanceFuturesRestUrl = 'https://fapi.binance.com';

export interface BinanceFuturesFeedOptions extends RealtimeFeedOptions {
  symbols: readonly string[];
  /** WebSocket base; `/market/stream?streams=…` is appended. Default the production URL. */
  wsUrl?: string;
  /** REST base for exchangeInfo. Default the production URL. */
  restUrl?: string;
  /** Share one REST client (and its weight budget) with the backfill. */
  rest?: BinanceRest;
}

/** Some requested symbols are unknown to the exchange or not trading. Nothing was subscribed. */
export class SymbolRefusedError extends Error {
  constructor(readonly refused: { symbol: string; reason: string }[]) {
    super(
      `refused symbol${refused.length > 1 ? 's' : ''} ${refused.map((r) => `${r.symbol} (${r.reason})`).join(', ')}; ` +
        'nothing was subscribed. Use USD-M perpetual symbols that are TRADING on the exchange, e.g. BTCUSDT,ETHUSDT',
    );
    this.name = 'SymbolRefusedError';
  }
}

/** Upper-cases and checks symbol spelling; throws for an empty list or characters Binance never uses. */
export function normalizeSymbols(symbols: readonly string[]): string[] {
  const out = [...new Set(symbols.map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0))];
  if (out.length === 0) throw new Error('no symbols given: pass at least one, e.g. BTCUSDT,ETHUSDT');
  const malformed = out.filter((s) => !/^[A-Z0-9_]{2,32}$/.test(s));
  if (malformed.length) throw new SymbolRefusedError(malformed.map((symbol) => ({ symbol, reason: 'not a symbol name' })));
  return out;
}

export class BinanceFuturesFeed extends RealtimeFeed<AggTrade> {
  protected override readonly denseSequence = true;
  protected readonly symbols: readonly string[];
  readonly rest: BinanceRest;
  private readonly wsBase: string;

  constructor(opts: BinanceFuturesFeedOptions) {
    super(opts);
    this.symbols = normalizeSymbols(opts.symbols);
    this.wsBase = (opts.wsUrl ?? binanceFuturesWsUrl).replace(/\/+$/, '');
    this.rest = opts.rest ?? new BinanceRest({ baseUrl: opts.restUrl ?? binanceFuturesRestUrl, clock: this.clock });
  }

  protected async validate(): Promise<void> {
    const listed = new Map((await this.rest.exchangeInfo()).map((s) => [s.symbol, s]));
    const refused = this.symbols.flatMap((symbol) => {
      const info = listed.get(symbol);
      if (!info) return [{ symbol, reason: 'unknown to the exchange' }];
      if (info.status !== 'TRADING') return [{ symbol, reason: `status ${info.status}` }];
      return [];
    });
    if (refused.length) throw new SymbolRefusedError(refused);
  }

  protected streamName(symbol: string): string {
    return aggTradeStream(symbol);
  }

  protected connectionUrl(streams: readonly string[]): string {
    return `${this.wsBase}/market/stream?streams=${streams.join('/')}`;
  }

  protected parse(data: Buffer, isBinary: boolean, recvTime: number, streams: ReadonlySet<string>): FeedFrame<AggTrade> {
    const f = parseFrame(data, isBinary, recvTime, { maxFrameBytes: this.options.maxFrameBytes, streams });
    if (f.kind === 'trade') return { kind: 'event', event: f.trade };
    if (f.kind === 'control' || f.kind === 'bad') return f;
    return { kind: 'bad', reason: 'unknown_event', detail: `a ${f.kind} event on an aggTrade connection` };
  }

  protected sequenceOf(t: AggTrade): number {
    return t.aggId;
  }
}
