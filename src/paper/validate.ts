/** Checks what a journal file holds before the book trusts it: a damaged line stops the book with where it is. */
import type { PaperEvent } from './types';

const num = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const KINDS: Record<PaperEvent['kind'], readonly string[]> = {
  start: ['time', 'spec'],
  order: ['id', 'time', 'action', 'side', 'z', 'hedgeRatio'],
  fill: ['id', 'time', 'qtyY', 'qtyX', 'priceY', 'priceX', 'fee', 'spreadCost', 'slippage', 'quotedLegs'],
  funding: ['id', 'time', 'symbol', 'rate', 'markPrice', 'qty', 'amount'],
  stop: ['time'],
};

function fieldOk(key: string, v: unknown): boolean {
  if (key === 'id' || key === 'symbol') return typeof v === 'string' && v.length > 0;
  if (key === 'spec') return typeof v === 'object' && v !== null;
  if (key === 'action') return v === 'enter' || v === 'exit';
  if (key === 'side') return v === 1 || v === -1;
  // z is NaN-free at a decision (the rule never decides on an unknown z); JSON has no NaN, so every number is finite
  return num(v);
}

/** The journal's records as events, or an error naming the first bad line (1-based) and field. */
export function checkPaperEvents(records: readonly unknown[], where: string): PaperEvent[] {
  records.forEach((r, i) => {
    const kind = (r as { kind?: unknown } | null)?.kind;
    const fields = typeof kind === 'string' && Object.hasOwn(KINDS, kind) ? KINDS[kind as PaperEvent['kind']] : undefined;
    if (fields === undefined) throw new Error(`${where}, line ${i + 1}: not a paper event (kind ${JSON.stringify(kind)}); the journal is damaged — move it aside to start the book again`);
    for (const key of fields) {
      const v = (r as Record<string, unknown>)[key];
      if (!fieldOk(key, v)) throw new Error(`${where}, line ${i + 1}: ${kind} event has ${key} = ${JSON.stringify(v)}; the journal is damaged — move it aside to start the book again`);
    }
  });
  return records as PaperEvent[];
}
