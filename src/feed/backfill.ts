// Fills aggId gaps through REST (`fromId`, pages of 1000) one request at a time, inside the REST client's
// weight budget. A 429 waits for Retry-After; a 418 stops backfilling until the ban ends while live
// recording goes on. Every gap is logged when found and again when filled or given up.
import type { GapRecord } from '../store/types';
import type { Clock } from './clock';
import { aggTradesMaxLimit, BannedError, type BinanceRest, RateLimitedError, RestError } from './rest';
import type { AggTrade } from './types';

export interface BackfillHealth {
  open: number;
  filled: number;
  abandoned: number;
  tradesBackfilled: number;
  /** Trades still missing in open gaps. */
  tradesMissing: number;
  bannedUntil: number | null;
  lastError: string | null;
}

export interface BackfillOptions {
  rest: BinanceRest;
  clock: Clock;
  /** Takes backfilled trades (in aggId order) and resolves once they are durable. */
  deliver(trades: AggTrade[]): Promise<void>;
  logGaps(gaps: GapRecord[]): Promise<void>;
  onError(err: Error): void;
}

interface Gap extends GapRecord {
  nextId: number;
  recovered: number;
}

export class Backfiller {
  private readonly queue: Gap[] = [];
  private readonly done: GapRecord[] = [];
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private filled = 0;
  private abandoned = 0;
  private tradesBackfilled = 0;
  private bannedUntil: number | null = null;
  private lastError: string | null = null;

  constructor(private readonly opts: BackfillOptions) {}

  /** Queues the missing range [fromId, toId] of `symbol` and logs it as open. */
  add(symbol: string, fromId: number, toId: number): void {
    const gap: Gap = { symbol, fromId, toId, foundAt: this.opts.clock.now(), filledAt: null, trades: toId - fromId + 1, status: 'open', nextId: fromId, recovered: 0 };
    this.log([gap]);
    this.enqueue(gap);
  }

  /** Queues a gap a previous run logged as open (it stopped or was killed before filling it). */
  resume(open: GapRecord): void {
    if (this.queue.some((g) => g.symbol === open.symbol && g.fromId === open.fromId && g.toId === open.toId)) return;
    this.enqueue({ ...open, status: 'open', filledAt: null, nextId: open.fromId, recovered: 0 });
  }

  private enqueue(gap: Gap): void {
    this.queue.push(gap);
    this.running ??= this.work().finally(() => { this.running = null; });
  }

  health(): BackfillHealth {
    const now = this.opts.clock.now();
    return {
      open: this.queue.length,
      filled: this.filled,
      abandoned: this.abandoned,
      tradesBackfilled: this.tradesBackfilled,
      tradesMissing: this.queue.reduce((n, g) => n + (g.toId - g.nextId + 1), 0),
      bannedUntil: this.bannedUntil !== null && this.bannedUntil > now ? this.bannedUntil : null,
      lastError: this.lastError,
    };
  }

  /** Gaps found so far and what became of them (open ones last). */
  gaps(): GapRecord[] {
    return [...this.done, ...this.queue].map((g) => record(g));
  }

  /** Stops requesting; open gaps stay open in the log for the next run to see. */
  async stop(): Promise<void> {
    this.abort.abort(new Error('recorder stopping'));
    await this.running?.catch(() => undefined);
  }

  private readonly logging = new Set<Promise<void>>();

  /** Resolves once every gap record written so far is in the log. */
  async logsWritten(): Promise<void> {
    await Promise.all([...this.logging]);
  }

  private log(gaps: GapRecord[]): void {
    const p = this.opts.logGaps(gaps.map(record)).catch((err: unknown) => this.opts.onError(err instanceof Error ? err : new Error(String(err))));
    this.logging.add(p);
    void p.finally(() => this.logging.delete(p));
  }

  private async work(): Promise<void> {
    const { rest, clock } = this.opts;
    const signal = this.abort.signal;
    let failures = 0;
    while (this.queue.length > 0 && !signal.aborted) {
      const gap = this.queue[0];
      try {
        const page = await rest.aggTrades(gap.symbol, gap.nextId, aggTradesMaxLimit, signal);
        // One page often covers several gaps of the symbol (repeated disconnects): fill them all from it.
        const touched = this.queue.filter((q) => q.symbol === gap.symbol).map((g) => ({ g, inGap: this.take(g, page, g === gap) }));
        const trades = touched.flatMap((t) => t.inGap ?? []);
        if (trades.length) await this.opts.deliver(trades);
        for (const t of touched) if (t.inGap) this.settle(t.g, t.inGap.length, page, t.g === gap);
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        this.lastError = err instanceof Error ? err.message : String(err);
        if (err instanceof BannedError) {
          this.bannedUntil = err.until;
          await clock.sleep(err.until - clock.now(), signal).catch(() => undefined);
        } else if (err instanceof RateLimitedError) {
          await clock.sleep(Math.max(0, err.retryAt - clock.now()), signal).catch(() => undefined);
        } else if (err instanceof RestError && err.status >= 400 && err.status < 500) {
          // The exchange refuses this request (e.g. ids older than it keeps): asking again would not help.
          this.finish(gap, 'abandoned', this.lastError);
        } else {
          failures++;
          await clock.sleep(Math.min(60_000, 1_000 * 2 ** Math.min(failures, 6)), signal).catch(() => undefined);
        }
      }
    }
  }

  /** The page's trades inside the gap, or null when the page does not touch it. */
  private take(gap: Gap, page: AggTrade[], requested: boolean): AggTrade[] | null {
    const last = page.length ? page[page.length - 1].aggId : -1;
    if (!requested && (page.length === 0 || page[0].aggId > gap.toId || last < gap.nextId)) return null;
    return page.filter((t) => t.aggId >= gap.nextId && t.aggId <= gap.toId);
  }

  // Called only after the trades are durable: a gap logged filled must never hide a hole after a crash.
  private settle(gap: Gap, recovered: number, page: AggTrade[], requested: boolean): void {
    const last = page.length ? page[page.length - 1].aggId : -1;
    this.tradesBackfilled += recovered;
    gap.recovered += recovered;
    if (last >= gap.toId) {
      const complete = gap.recovered === gap.toId - gap.fromId + 1;
      this.finish(gap, complete ? 'filled' : 'abandoned', complete ? undefined : `exchange lacks ${gap.toId - gap.fromId + 1 - gap.recovered} trades of ${gap.symbol} in ${gap.fromId}..${gap.toId}`);
    } else if (requested && page.length < aggTradesMaxLimit) {
      this.finish(gap, 'abandoned', `exchange has no trades of ${gap.symbol} from id ${gap.nextId}`);
    } else {
      gap.nextId = last + 1;
    }
  }

  private finish(gap: Gap, status: 'filled' | 'abandoned', why?: string): void {
    this.queue.splice(this.queue.indexOf(gap), 1);
    gap.status = status;
    gap.trades = gap.recovered;
    gap.filledAt = this.opts.clock.now();
    if (status === 'filled') this.filled++;
    else {
      this.abandoned++;
      this.lastError = why ?? null;
    }
    this.done.push(record(gap));
    if (this.done.length > 1000) this.done.shift();
    this.log([gap]);
  }
}

function record(g: GapRecord): GapRecord {
  return { symbol: g.symbol, fromId: g.fromId, toId: g.toId, foundAt: g.foundAt, filledAt: g.filledAt, trades: g.trades, status: g.status };
}
