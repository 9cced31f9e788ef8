// `<symbol>@bookTicker` payloads: {e:"bookTicker", u, E, T, s, b, B, a, A} with prices and sizes as decimal strings.
import type { BadFrameReason, BookTicker } from './types';
import { decimal, isSafeCount, missingField, type Obj } from './parse-fields';

export type BookTickerResult = { kind: 'quote'; quote: BookTicker } | { kind: 'bad'; reason: BadFrameReason; detail: string };

const bad = (reason: BadFrameReason, detail: string): BookTickerResult => ({ kind: 'bad', reason, detail });

export function parseBookTickerPayload(d: Obj, recvTime: number): BookTickerResult {
  if (d.e !== 'bookTicker') return d.e === undefined ? bad('missing_field', 'event type "e" missing') : bad('unknown_event', `event "${String(d.e)}"`);
  const missing = missingField(d, ['s', 'u', 'E', 'T', 'b', 'B', 'a', 'A']);
  if (missing) return bad('missing_field', `field "${missing}" missing`);
  if (typeof d.s !== 'string' || d.s.length === 0) return bad('wrong_type', '"s" is not a symbol string');
  for (const k of ['u', 'E', 'T']) if (!isSafeCount(d[k])) return bad('wrong_type', `"${k}" is not a safe non-negative integer: ${String(d[k])}`);
  const bid = decimal(d.b);
  const ask = decimal(d.a);
  const bidQty = decimal(d.B);
  const askQty = decimal(d.A);
  if (bid === null || !(bid > 0)) return bad('wrong_type', `bid "b" is not a positive decimal string: ${JSON.stringify(d.b)}`);
  if (ask === null || !(ask > 0)) return bad('wrong_type', `ask "a" is not a positive decimal string: ${JSON.stringify(d.a)}`);
  if (bidQty === null) return bad('wrong_type', `bid size "B" is not a decimal string: ${JSON.stringify(d.B)}`);
  if (askQty === null) return bad('wrong_type', `ask size "A" is not a decimal string: ${JSON.stringify(d.A)}`);
  // A crossed book is not a best bid/ask: storing it would make a negative spread.
  if (ask < bid) return bad('wrong_type', `ask ${d.a as string} is below bid ${d.b as string}`);
  return {
    kind: 'quote',
    quote: { symbol: d.s, updateId: d.u as number, eventTime: d.E as number, txTime: d.T as number, bid, bidQty, ask, askQty, recvTime },
  };
}
