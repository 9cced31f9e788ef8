// The market streams the recorder knows, their Binance stream names and the route each one is served on
// (since 2026-04-23: `/market` for aggTrade and markPrice, `/public` for bookTicker).

export type StreamKind = 'aggTrade' | 'markPrice' | 'bookTicker';

export const streamKinds: readonly StreamKind[] = ['aggTrade', 'markPrice', 'bookTicker'];

export type StreamRoute = 'market' | 'public';

export const routeOf: Record<StreamKind, StreamRoute> = { aggTrade: 'market', markPrice: 'market', bookTicker: 'public' };

/** Lowercase combined-stream name for a symbol, e.g. `btcusdt@markPrice@1s`. */
export function streamName(kind: StreamKind, symbol: string): string {
  const s = symbol.toLowerCase();
  return kind === 'markPrice' ? `${s}@markPrice@1s` : `${s}@${kind}`;
}

export const markPriceStream = (symbol: string): string => streamName('markPrice', symbol);
export const bookTickerStream = (symbol: string): string => streamName('bookTicker', symbol);

/** The kind of a stream name (`btcusdt@bookTicker` → bookTicker), or null for streams the recorder never asks for. */
export function streamKindOf(stream: string): StreamKind | null {
  const at = stream.indexOf('@');
  const suffix = at < 0 ? '' : stream.slice(at + 1);
  if (suffix === 'aggTrade') return 'aggTrade';
  if (suffix === 'bookTicker') return 'bookTicker';
  if (suffix === 'markPrice@1s' || suffix === 'markPrice') return 'markPrice';
  return null;
}

/** The route Binance serves a stream on; null for a stream this project does not know. */
export function streamRoute(stream: string): StreamRoute | null {
  const kind = streamKindOf(stream);
  return kind === null ? null : routeOf[kind];
}

/** Parses `aggTrade,markPrice,bookTicker` (any order, case as written here); throws naming what was wrong. */
export function parseStreamKinds(text: string): StreamKind[] {
  const parts = [...new Set(text.split(',').map((p) => p.trim()).filter((p) => p.length > 0))];
  const unknown = parts.filter((p) => !(streamKinds as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`unknown stream ${unknown.join(', ')}: use any of ${streamKinds.join(', ')}`);
  if (!parts.includes('aggTrade')) throw new Error('--streams must include aggTrade (the trades are what the store and bars are built from)');
  return streamKinds.filter((k) => parts.includes(k));
}
