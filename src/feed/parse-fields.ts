// Field checks shared by the payload parsers: each answers the problem in words, or null when the field is fine.

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const decimalText = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

/** First of `keys` that is absent or null. */
export function missingField(d: Obj, keys: readonly string[]): string | null {
  for (const k of keys) if (d[k] === undefined || d[k] === null) return k;
  return null;
}

/** A JSON number that is a safe non-negative integer (larger ones arrive rounded and would be wrong ids or times). */
export function isSafeCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** A decimal string as Binance sends prices and rates ("64000.10", "-0.00010000"), as a number; null when it is not one. */
export function decimal(v: unknown, signed = false): number | null {
  if (typeof v !== 'string' || !decimalText.test(v) || (!signed && v.startsWith('-'))) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
