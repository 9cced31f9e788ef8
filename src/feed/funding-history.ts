// Funding events from `GET /fapi/v1/fundingRate`: at start (from the newest stored event, or `historyDays` back),
// whenever the markPrice stream's next funding time moves on (a settlement happened, also one missed during a
// disconnect), and once an hour as a safety net. Pages of up to 1,000 events, inside the REST client's budgets;
// each event is delivered once, in order, per symbol.
import type { Clock } from './clock';
import type { BinanceRest } from './rest';
import { fundingRateMaxLimit } from './rest';
import type { FundingEvent, MarkPriceUpdate } from './types';

export interface FundingHistoryOptions {
  rest: BinanceRest;
  clock: Clock;
  symbols: readonly string[];
  /** Newest stored funding time per symbol (where the fetch resumes). */
  stored: ReadonlyMap<string, number>;
  deliver(events: readonly FundingEvent[]): void;
  /** How far back to fetch for a symbol with nothing stored. Default 30 days. */
  historyDays?: number;
  /** Fetch every symbol again this often (clock time). Default 1 h. */
  recheckMs?: number;
}

export interface FundingHistoryHealth {
  /** Events delivered this run (history and new settlements). */
  events: number;
  fetches: number;
  /** Symbols whose expected settlement is not yet published by the exchange, or whose fetch failed and is retried. */
  waiting: string[];
  /** Newest funding time per symbol, stored or fetched; null before the first. */
  newest: Record<string, number | null>;
  lastError: string | null;
  /** Events the store accepted (set by the recorder). */
  stored?: number;
}

const retryMs = [1_000, 2_000, 5_000, 10_000, 30_000];

export class FundingHistory {
  private readonly newest = new Map<string, number>();
  private readonly nextFunding = new Map<string, number>();
  /** Symbol → the settlement time its next fetch must reach (0: any new events). */
  private readonly due = new Map<string, number>();
  private readonly attempts = new Map<string, number>();
  private events = 0;
  private fetches = 0;
  private lastError: string | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly opts: FundingHistoryOptions) {
    for (const [s, t] of opts.stored) this.newest.set(s, t);
  }

  start(): void {
    for (const s of this.opts.symbols) this.due.set(s, 0);
    this.loop ??= this.run();
  }

  /** Watches the next funding time: when it moves on, the period that ended has a settlement to fetch. */
  onMark(m: MarkPriceUpdate): void {
    const prev = this.nextFunding.get(m.symbol);
    this.nextFunding.set(m.symbol, m.nextFundingTime);
    if (prev !== undefined && m.nextFundingTime > prev && (this.newest.get(m.symbol) ?? -1) < prev) {
      this.due.set(m.symbol, Math.max(prev, this.due.get(m.symbol) ?? 0));
      this.wake?.();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    await this.loop;
  }

  health(): FundingHistoryHealth {
    return {
      events: this.events,
      fetches: this.fetches,
      waiting: [...this.due.keys()].filter((s) => (this.attempts.get(s) ?? 0) > 0),
      newest: Object.fromEntries(this.opts.symbols.map((s) => [s, this.newest.get(s) ?? null])),
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    const { clock } = this.opts;
    let lastSweep = clock.now();
    while (!this.stopped) {
      const now = clock.now();
      if (now - lastSweep >= (this.opts.recheckMs ?? 3_600_000)) {
        lastSweep = now;
        for (const s of this.opts.symbols) if (!this.due.has(s)) this.due.set(s, 0);
      }
      let soonest = Infinity;
      const batch = [...this.due.keys()];
      for (const symbol of batch) {
        if (this.stopped) return;
        const ok = await this.fetch(symbol).catch((err: unknown) => {
          if (!this.stopped) this.lastError = `fundingRate ${symbol}: ${err instanceof Error ? err.message : String(err)}`;
          return false;
        });
        // read after the fetch: a settlement seen meanwhile may have raised what this symbol must reach
        const expect = this.due.get(symbol) ?? 0;
        if (ok && (this.newest.get(symbol) ?? -1) >= expect) {
          this.due.delete(symbol);
          this.attempts.delete(symbol);
        } else {
          const n = this.attempts.get(symbol) ?? 0;
          this.attempts.set(symbol, n + 1);
          soonest = Math.min(soonest, retryMs[Math.min(n, retryMs.length - 1)]);
        }
      }
      if (this.stopped) return;
      // a symbol that came due while this pass fetched (its wake-up found no sleep to end) is fetched at once
      if ([...this.due.keys()].some((s) => !batch.includes(s))) soonest = 0;
      const waitMs = Math.min(soonest, this.opts.recheckMs ?? 3_600_000);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        clock.sleep(waitMs, this.abort.signal).then(resolve, resolve);
      });
      this.wake = null;
    }
  }

  /** Pages from the newest known event (or the history start) to now; false when the exchange refused. */
  private async fetch(symbol: string): Promise<boolean> {
    const { clock, rest } = this.opts;
    const end = clock.now();
    let from = (this.newest.get(symbol) ?? end - (this.opts.historyDays ?? 30) * 86_400_000 - 1) + 1;
    for (;;) {
      this.fetches++;
      const page = await rest.fundingRate(symbol, from, end, fundingRateMaxLimit, this.abort.signal);
      const fresh = page.filter((e) => e.symbol === symbol && e.fundingTime >= from).sort((a, b) => a.fundingTime - b.fundingTime);
      if (fresh.length) {
        this.opts.deliver(fresh);
        this.events += fresh.length;
        const newest = fresh[fresh.length - 1].fundingTime;
        this.newest.set(symbol, newest);
        from = newest + 1;
      }
      if (page.length < fundingRateMaxLimit) return true;
    }
  }
}
