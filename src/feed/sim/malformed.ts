// Malformed frames the simulated exchange can inject, one per reason the parser counts.
import { streamKindOf } from '../streams';
import type { BadFrameReason } from '../types';

export type MalformedKind =
  | 'non_json' | 'binary' | 'oversized' | 'empty_object' | 'missing_data' | 'missing_id' | 'id_as_string'
  | 'bad_price' | 'unknown_event' | 'error_frame' | 'flat_error_frame' | 'unknown_stream';

/** The parser's reason for each kind. */
export const malformedReason: Record<MalformedKind, BadFrameReason> = {
  non_json: 'non_json',
  binary: 'binary',
  oversized: 'oversized',
  empty_object: 'missing_field',
  missing_data: 'missing_field',
  missing_id: 'missing_field',
  id_as_string: 'wrong_type',
  bad_price: 'wrong_type',
  unknown_event: 'unknown_event',
  error_frame: 'error_frame',
  flat_error_frame: 'error_frame',
  unknown_stream: 'unknown_stream',
};

export const malformedKinds = Object.keys(malformedReason) as MalformedKind[];

type Payload = Record<string, unknown>;

/** A valid payload of the stream's kind, the field that identifies it, and a price field. */
function sample(stream: string, symbol: string, time: number): { data: Payload; id: string; price: string } {
  switch (streamKindOf(stream)) {
    case 'bookTicker':
      return { data: { e: 'bookTicker', u: 1, E: time, T: time, s: symbol, b: '1.0', B: '1', a: '1.1', A: '1' }, id: 'u', price: 'b' };
    case 'markPrice':
      return { data: { e: 'markPriceUpdate', E: time, s: symbol, p: '1.0', i: '1.0', P: '1.0', r: '0.0001', T: time + 1 }, id: 'E', price: 'p' };
    default:
      return { data: { e: 'aggTrade', E: time, s: symbol, a: 1, p: '1.0', q: '1', f: 1, l: 1, T: time, m: false }, id: 'a', price: 'p' };
  }
}

/** The frame for `kind` on a connection subscribed to `stream` (`symbol` upper-case), shaped like that stream's payload. */
export function malformedFrame(kind: MalformedKind, stream: string, symbol: string, time: number): string | Buffer {
  const { data, id, price } = sample(stream, symbol, time);
  const wrap = (d: unknown, s = stream): string => JSON.stringify({ stream: s, data: d });
  switch (kind) {
    case 'non_json': return 'this is {not json';
    case 'binary': return Buffer.from([0x00, 0xff, 0x10, 0x42]);
    case 'oversized': return oversizedFrame(stream, symbol, time, 1024 * 1024);
    case 'empty_object': return '{}';
    case 'missing_data': return JSON.stringify({ stream });
    case 'missing_id': { const rest = { ...data }; delete rest[id]; return wrap(rest); }
    case 'id_as_string': return wrap({ ...data, [id]: '12345' });
    case 'bad_price': return wrap({ ...data, [price]: 'abc' });
    case 'unknown_event': return wrap({ ...data, e: 'unknownEvent' });
    case 'error_frame': return JSON.stringify({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' } });
    case 'flat_error_frame': return JSON.stringify({ code: 2, msg: 'Invalid request: unknown variant' });
    case 'unknown_stream': return wrap(data, `zzzusdt@${stream.slice(stream.indexOf('@') + 1)}`);
  }
}

/** A combined aggTrade frame of exactly `bytes` bytes (padded; its trade id 1 is never a real one). */
export function oversizedFrame(stream: string, symbol: string, time: number, bytes: number): string {
  const head = JSON.stringify({ stream, data: { e: 'aggTrade', E: time, s: symbol, a: 1, p: '1.0', q: '1', f: 1, l: 1, T: time, m: false, pad: '' } });
  const padding = bytes - head.length;
  if (padding < 0) throw new Error(`oversizedFrame: ${bytes} bytes is smaller than the frame without padding (${head.length})`);
  return head.replace('"pad":""', `"pad":"${'x'.repeat(padding)}"`);
}
