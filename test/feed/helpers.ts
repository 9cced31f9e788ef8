// Test helpers for the feed tests: an in-memory sink that checks what the store would, id checks, a manual clock.
import type { Clock } from '../../src/feed/clock';
import type { AppendResult, GapRecord, HighWaterMark, Tick } from '../../src/store/types';
import type { TickSink } from '../../src/feed/sink';

export class MemorySink implements TickSink {
  readonly stored = new Map<string, Map<number, Tick>>();
  readonly gapLog: GapRecord[] = [];
  duplicatesOffered = 0;
  stallFlush = false;
  private stallWaiters: (() => void)[] = [];
  flushes = 0;

  append(ticks: readonly Tick[]): AppendResult {
    let accepted = 0;
    for (const t of ticks) {
      const m = this.stored.get(t.symbol) ?? new Map<number, Tick>();
      this.stored.set(t.symbol, m);
      if (m.has(t.aggId)) {
        this.duplicatesOffered++;
        continue;
      }
      m.set(t.aggId, t);
      accepted++;
    }
    return { accepted, duplicates: ticks.length - accepted };
  }

  async flush(): Promise<void> {
    while (this.stallFlush) await new Promise<void>((r) => this.stallWaiters.push(r));
    this.flushes++;
  }

  unstall(): void {
    this.stallFlush = false;
    for (const w of this.stallWaiters.splice(0)) w();
  }

  highWaterMarks(): Map<string, HighWaterMark> {
    const out = new Map<string, HighWaterMark>();
    for (const [s, m] of this.stored) {
      let best: Tick | undefined;
      for (const t of m.values()) if (!best || t.aggId > best.aggId) best = t;
      if (best) out.set(s, { aggId: best.aggId, tradeTime: best.tradeTime });
    }
    return out;
  }

  async appendGaps(gaps: readonly GapRecord[]): Promise<void> {
    this.gapLog.push(...gaps);
  }

  async openGaps(): Promise<GapRecord[]> {
    const latest = new Map<string, GapRecord>();
    for (const g of this.gapLog) latest.set(`${g.symbol}:${g.fromId}:${g.toId}`, g);
    return [...latest.values()].filter((g) => g.status === 'open');
  }

  async close(): Promise<void> {}

  ids(symbol: string): number[] {
    return [...(this.stored.get(symbol)?.keys() ?? [])].sort((a, b) => a - b);
  }

  get total(): number {
    let n = 0;
    for (const m of this.stored.values()) n += m.size;
    return n;
  }
}

/** Missing ids between the first and last of a sorted id list, and duplicates in it. */
export function idCheck(ids: readonly number[]): { first: number; last: number; count: number; missing: number; duplicates: number } {
  let duplicates = 0;
  for (let i = 1; i < ids.length; i++) if (ids[i] === ids[i - 1]) duplicates++;
  const distinct = ids.length - duplicates;
  const first = ids[0] ?? NaN;
  const last = ids[ids.length - 1] ?? NaN;
  return { first, last, count: ids.length, missing: ids.length ? last - first + 1 - distinct : 0, duplicates };
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, stepMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Fast settings for tests: 1.5 s stale timeout, 50 ms first reconnect delay. */
export const fastFeed = { staleTimeoutMs: 1_500, backoff: { initialMs: 50, maxMs: 1_000, jitter: 0.2 } };

/** Every stored aggId per symbol, read back through a store reader (as another process would). */
export async function storedIds(dir: string): Promise<Map<string, number[]>> {
  const { openStoreReader } = await import('../../src/store');
  const reader = await openStoreReader({ dir });
  try {
    const t = await reader.query('SELECT symbol, aggId FROM ticks ORDER BY symbol, aggId');
    const sym = t.columns[0].values;
    const id = t.columns[1].values;
    const out = new Map<string, number[]>();
    for (let i = 0; i < t.rowCount; i++) {
      const s = String(sym[i]);
      const list = out.get(s) ?? [];
      list.push(Number(id[i]));
      out.set(s, list);
    }
    return out;
  } finally {
    await reader.close();
  }
}

/** A clock that moves only when told: its timers never fire. */
export function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => { now += ms; },
    setTimer: () => ({ cancel: () => undefined }),
    setInterval: () => ({ cancel: () => undefined }),
    sleep: async () => undefined,
  };
}
