// The simulator's answers to live control requests (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY,
// GET_PROPERTY), as Binance's market-stream servers give them.
//
// Error texts come from the "Error Messages" table of Binance's spot WebSocket Streams docs
// (binance/binance-spot-api-docs web-socket-streams.md), with serde's backticks as in its Markdown source. The
// futures market-stream pages found (USD-M, COIN-M "Live Subscribing/Unsubscribing to streams") document the
// same five methods and the `combined` property but print no error table. The table gives `"id"` only on
// code 0 (one mirror only on code 1); the simulator gives every error frame an `"id"`: the request's own when
// it was valid, null when it was missing, refused, or the request was not an object.
//
// Accepted ids: the USD-M page says "an unsigned INT"; spot's newer text (change log 2023-12-04) adds
// "alphanumeric strings; max length 36" and `null`. So: an integer 0 … 2^64−1, a string of 1–36 ASCII letters
// and digits, or null, echoed in the same JSON type; a request without an id is answered as if its id were
// null, as Binance does (`{"result":null,"id":null}`). The docs give no message for a refused string id, and
// their only id message ("request ID must be an unsigned integer") is wrong for a client sending a bad
// string, so a bad id of any kind gets code 2 with a message naming exactly what is allowed. "a request must
// be a JSON object" and "params must be an array" are the simulator's own texts: the docs name neither case.
import { type JsonMember, jsonObjectLayout, lineColumn } from './json-members';

export interface ControlState {
  readonly subscriptions: readonly string[];
  readonly combined: boolean;
}

export interface ControlOutcome {
  reply: string;
  subscribe?: string[];
  unsubscribe?: string[];
  combined?: boolean;
  /** Close the connection after the reply (Binance does this for invalid JSON). */
  close?: { code: number; reason: string };
}

export const methods = ['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY'] as const;
type Method = (typeof methods)[number];

export const badIdMessage = 'Invalid request: request ID must be an unsigned integer, an alphanumeric string of up to 36 characters, or null';
export const invalidJsonFrame = '{"error":{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}}';

const maxId = (1n << 64n) - 1n;
const unsignedInteger = /^(?:0|[1-9][0-9]*)$/;
const alphanumeric = /^[A-Za-z0-9]{1,36}$/;

/** The id as it is echoed back (JSON text), or undefined when Binance refuses it. */
export function echoedId(raw: string): string | undefined {
  if (raw === 'null') return raw;
  if (unsignedInteger.test(raw)) return BigInt(raw) <= maxId ? raw : undefined;
  if (!raw.startsWith('"')) return undefined;
  const s = JSON.parse(raw) as string;
  return alphanumeric.test(s) ? JSON.stringify(s) : undefined;
}

const errorFrame = (code: number, msg: string, id: string): string => `{"code":${code},"msg":${JSON.stringify(msg)},"id":${id}}`;
/** The refusal of a bad id, which is never echoed. */
export const badIdFrame = errorFrame(2, badIdMessage, 'null');
const resultFrame = (result: string, id: string): string => `{"result":${result},"id":${id}}`;

interface Request {
  method: Method;
  params: unknown[];
  id: string;
}

/**
 * Checks the members in source order, as serde does, so the first bad one is the one reported; a valid id is
 * echoed in any error.
 */
function readRequest(text: string): Request | { error: string } {
  const layout = jsonObjectLayout(text);
  if (!layout) return { error: errorFrame(2, 'Invalid request: a request must be a JSON object', 'null') };
  const idMember = layout.members.find((m) => m.key === 'id');
  const id = idMember ? echoedId(idMember.raw) : 'null';
  let method: Method | undefined;
  for (const m of layout.members) {
    if (m.key === 'method') {
      method = knownMethod(m);
      if (!method) return { error: errorFrame(2, `Invalid request: unknown variant \`${variantText(m)}\`, expected one of ${methods.map((x) => `\`${x}\``).join(', ')} at ${lineColumn(text, m.last)}`, id ?? 'null') };
    } else if (m === idMember && id === undefined) {
      return { error: badIdFrame };
    }
  }
  // Never true here (the loop returned on a refused id); it narrows the id's type.
  if (id === undefined) return { error: badIdFrame };
  if (!method) return { error: errorFrame(2, `Invalid request: missing field \`method\` at ${lineColumn(text, layout.close)}`, id) };
  const params = layout.members.find((m) => m.key === 'params');
  const parsed: unknown = params ? JSON.parse(params.raw) : [];
  if (!Array.isArray(parsed)) return { error: errorFrame(2, 'Invalid request: params must be an array', id) };
  return { method, id, params: parsed };
}

function knownMethod(m: JsonMember): Method | undefined {
  const v: unknown = JSON.parse(m.raw);
  return methods.find((x) => x === v);
}

function variantText(m: JsonMember): string {
  const v: unknown = JSON.parse(m.raw);
  return typeof v === 'string' ? v : m.raw;
}

function streamParams(params: unknown[]): string[] {
  return params.filter((p): p is string => typeof p === 'string');
}

function property(req: Request, maxParams: number): string | { error: string } {
  if (req.params.length > maxParams) return { error: errorFrame(2, 'Invalid request: too many parameters', req.id) };
  const name = req.params[0];
  if (typeof name !== 'string') return { error: errorFrame(2, 'Invalid request: property name must be a string', req.id) };
  if (name !== 'combined') return { error: errorFrame(0, 'Unknown property', req.id) };
  return name;
}

function answer(req: Request, state: ControlState): ControlOutcome {
  switch (req.method) {
    case 'SUBSCRIBE':
      return { reply: resultFrame('null', req.id), subscribe: streamParams(req.params) };
    case 'UNSUBSCRIBE':
      return { reply: resultFrame('null', req.id), unsubscribe: streamParams(req.params) };
    case 'LIST_SUBSCRIPTIONS':
      if (req.params.length > 0) return { reply: errorFrame(2, 'Invalid request: too many parameters', req.id) };
      return { reply: resultFrame(JSON.stringify(state.subscriptions), req.id) };
    case 'GET_PROPERTY': {
      const p = property(req, 1);
      return typeof p === 'string' ? { reply: resultFrame(String(state.combined), req.id) } : { reply: p.error };
    }
    case 'SET_PROPERTY': {
      const p = property(req, 2);
      if (typeof p !== 'string') return { reply: p.error };
      const value = req.params[1];
      if (typeof value !== 'boolean') return { reply: errorFrame(1, 'Invalid value type: expected Boolean', req.id) };
      return { reply: resultFrame('null', req.id), combined: value };
    }
  }
}

/** The answer to one client text frame. */
export function handleControl(text: string, state: ControlState): ControlOutcome {
  try {
    JSON.parse(text);
  } catch {
    return { reply: invalidJsonFrame, close: { code: 1008, reason: 'Invalid JSON' } };
  }
  const req = readRequest(text);
  return 'error' in req ? { reply: req.error } : answer(req, state);
}
