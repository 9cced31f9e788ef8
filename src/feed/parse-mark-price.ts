// `<symbol>@markPrice@1s` payloads: {e:"markPriceUpdate", E, s, p, i, P, r, T}; the funding rate may be negative.
import type { BadFrameReason, MarkPriceUpdate } from './types';
import { decimal, isSafeCount, missingField, type Obj } from './parse-fields';

export type MarkPriceResult = { kind: 'mark'; mark: MarkPriceUpdate } | { kind: 'bad'; reason: BadFrameReason; detail: string };

const bad = (reason: BadFrameReason, detail: string): MarkPriceResult => ({ kind: 'bad', reason, detail });

export function parseMarkPricePayload(d: Obj, recvTime: number): MarkPriceResult {
  if (d.e !== 'markPriceUpdate') return d.e === undefined ? bad('missing_field', 'event type "e" missing') : bad('unknown_event', `event "${String(d.e)}"`);
  const missing = missingField(d, ['s', 'E', 'p', 'i', 'P', 'r', 'T']);
  if (missing) return bad('missing_field', `field "${missing}" missing`);
  if (typeof d.s !== 'string' || d.s.length === 0) return bad('wrong_type', '"s" is not a symbol string');
  for (const k of ['E', 'T']) if (!isSafeCount(d[k])) return bad('wrong_type', `"${k}" is not a safe non-negative integer: ${String(d[k])}`);
  const mark = decimal(d.p);
  const index = decimal(d.i);
  const settle = decimal(d.P);
  const rate = decimal(d.r, true);
  if (mark === null || !(mark > 0)) return bad('wrong_type', `mark price "p" is not a positive decimal string: ${JSON.stringify(d.p)}`);
  if (index === null) return bad('wrong_type', `index price "i" is not a decimal string: ${JSON.stringify(d.i)}`);
  if (settle === null) return bad('wrong_type', `estimated settle price "P" is not a decimal string: ${JSON.stringify(d.P)}`);
  // Delivery contracts send r "" (no funding); the recorder subscribes perpetuals, so a missing rate is an error.
  if (rate === null) return bad('wrong_type', `funding rate "r" is not a decimal string: ${JSON.stringify(d.r)}`);
  return {
    kind: 'mark',
    mark: { symbol: d.s, eventTime: d.E as number, markPrice: mark, indexPrice: index, estimatedSettlePrice: settle, fundingRate: rate, nextFundingTime: d.T as number, recvTime },
  };
}
