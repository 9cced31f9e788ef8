// Frame parsing for Binance USD-M market streams: combined (`{stream, data}`) or raw payloads (aggTrade,
// bookTicker, markPriceUpdate), control replies, and error frames. Never throws: a frame is an event, a control
// reply, or a counted reason.
import type { AggTrade, BadFrameReason, BookTicker, MarkPriceUpdate } from './types';
import { parseBookTickerPayload } from './parse-book-ticker';
import { parseMarkPricePayload } from './parse-mark-price';

export type ParsedFrame =
  | { kind: 'trade'; trade: AggTrade }
  | { kind: 'quote'; quote: BookTicker }
  | { kind: 'mark'; mark: MarkPriceUpdate }
  | { kind: 'control'; id: ControlId; result: unknown }
  | { kind: 'bad'; reason: BadFrameReason; detail: string };

/** Binance echoes a request id as it was sent: an unsigned integer, an alphanumeric string, or null. */
export type ControlId = number | string | null;

export const defaultMaxFrameBytes = 64 * 1024;

const decimalText = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

function bad(reason: BadFrameReason, detail: string): ParsedFrame {
  return { kind: 'bad', reason, detail };
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one aggTrade payload (WebSocket `data` or a REST row with `symbol` given). */
export function parseAggTradePayload(d: Obj, recvTime: number, restSymbol?: string): ParsedFrame {
  if (restSymbol === undefined) {
    if (d.e === undefined) return bad('missing_field', 'event type "e" missing');
    if (d.e !== 'aggTrade') return bad('unknown_event', `event "${String(d.e)}"`);
  }
  const symbol = restSymbol ?? d.s;
  const required = restSymbol === undefined ? ['s', 'a', 'p', 'q', 'f', 'l', 'T', 'm'] : ['a', 'p', 'q', 'f', 'l', 'T', 'm'];
  for (const k of required) if (d[k] === undefined || d[k] === null) return bad('missing_field', `field "${k}" missing`);
  if (typeof symbol !== 'string' || symbol.length === 0) return bad('wrong_type', '"s" is not a symbol string');
  for (const k of ['a', 'f', 'l', 'T']) {
    const v = d[k];
    // JSON numbers above 2^53 arrive rounded: refuse them rather than store a wrong id.
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return bad('wrong_type', `"${k}" is not a safe non-negative integer: ${String(v)}`);
  }
  if (d.E !== undefined && (typeof d.E !== 'number' || !Number.isSafeInteger(d.E))) return bad('wrong_type', '"E" is not an integer');
  const p = d.p;
  const q = d.q;
  if (typeof p !== 'string' || !decimalText.test(p)) return bad('wrong_type', `price "p" is not a decimal string: ${JSON.stringify(p)}`);
  if (typeof q !== 'string' || !decimalText.test(q)) return bad('wrong_type', `quantity "q" is not a decimal string: ${JSON.stringify(q)}`);
  if (typeof d.m !== 'boolean') return bad('wrong_type', '"m" is not a boolean');
  const price = Number(p);
  const qty = Number(q);
  if (!(price > 0) || !Number.isFinite(price)) return bad('wrong_type', `price "p" is not positive: ${p}`);
  if (!(qty >= 0) || !Number.isFinite(qty)) return bad('wrong_type', `quantity "q" is not finite: ${q}`);
  const tradeTime = d.T as number;
  return {
    kind: 'trade',
    trade: {
      symbol,
      aggId: d.a as number,
      priceText: p,
      qtyText: q,
      price,
      qty,
      firstTradeId: d.f as number,
      lastTradeId: d.l as number,
      tradeTime,
      eventTime: (d.E as number | undefined) ?? tradeTime,
      isBuyerMaker: d.m,
      recvTime,
    },
  };
}

function isControlId(v: unknown): v is ControlId {
  return v === null || typeof v === 'string' || typeof v === 'number';
}

function errorFrame(v: Obj): ParsedFrame | undefined {
  const e = isObj(v.error) ? v.error : v.code !== undefined && v.msg !== undefined ? v : undefined;
  if (!e) return undefined;
  return bad('error_frame', `code ${String(e.code)}: ${String(e.msg)}`);
}

/**
 * Parses one WebSocket frame. `streams` (lowercase stream names) rejects combined frames for streams
 * this connection never asked for.
 */
export function parseFrame(
  raw: string | Buffer,
  isBinary: boolean,
  recvTime: number,
  opts: { maxFrameBytes?: number; streams?: ReadonlySet<string> } = {},
): ParsedFrame {
  if (isBinary) return bad('binary', `${raw.length}-byte binary frame`);
  const max = opts.maxFrameBytes ?? defaultMaxFrameBytes;
  if (raw.length > max) return bad('oversized', `${raw.length}-byte frame (limit ${max})`);
  let v: unknown;
  try {
    v = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return bad('non_json', `not JSON: ${String(raw).slice(0, 40)}`);
  }
  if (!isObj(v)) return bad('wrong_type', 'frame is not a JSON object');
  const err = errorFrame(v);
  if (err) return err;
  if ('result' in v && 'id' in v) {
    return isControlId(v.id) ? { kind: 'control', id: v.id, result: v.result } : bad('wrong_type', 'reply id is not a number, string or null');
  }
  if ('stream' in v || 'data' in v) {
    if (typeof v.stream !== 'string') return bad('missing_field', 'combined frame without "stream"');
    if (!isObj(v.data)) return bad('missing_field', `combined frame for ${v.stream} without "data"`);
    if (opts.streams && !opts.streams.has(v.stream)) return bad('unknown_stream', `stream ${v.stream} was not subscribed`);
    return parsePayload(v.data, recvTime);
  }
  return parsePayload(v, recvTime);
}

function parsePayload(d: Obj, recvTime: number): ParsedFrame {
  if (d.e === 'bookTicker') return parseBookTickerPayload(d, recvTime);
  if (d.e === 'markPriceUpdate') return parseMarkPricePayload(d, recvTime);
  return parseAggTradePayload(d, recvTime);
}

/** Lowercase combined-stream name for a symbol, e.g. `btcusdt@aggTrade`. */
export function aggTradeStream(symbol: string): string {
  return `${symbol.toLowerCase()}@aggTrade`;
}
