// A paper book on the live store: every step reads the bars both legs have closed, the recorded quotes and funding,
// asks the backtester's rule for its decisions, and appends to the book's journal what the rule did since the last
// step (orders, fills at the quotes then standing, funding paid). A new process resumes from the journal: the steps
// it missed are taken from the recorded data, so nothing is lost or done twice.
import { type AlignedPair, type LegQuotes } from '../../../src/backtest';
import {
  type BookState, type PaperBookSpec, type PaperEvent, type StepResult, bookCurve, bookEquity, checkPaperEvents, foldBook, ruleDecisions, stepBook,
} from '../../../src/paper';
import { type StoreReader, appendPaperJournal, lockPaperBook, readPaperJournal } from '../../../src/store';
import { fundingWithMarks, legQuotes } from '../analysis/recordedCosts';
import { lowerBound } from '../analysis/sorted';

export type PaperSource = Pick<StoreReader, 'highWaterMarks' | 'pairBars' | 'quotes1s' | 'funding' | 'marks'>;

/** What a book shows: its state, its equity now and per closed bar since it started, and why it waits. */
export interface PaperStatus {
  state: BookState;
  /** Capital + realized + the open position at the newest closes. */
  equity: number;
  /** Bar starts and the book's equity at each close since it started. */
  curve: { time: Float64Array; equity: Float64Array };
  /** End of the newest bar both legs have closed. */
  closedUntil: number;
  waiting: string | null;
  diverged: string | null;
  /** When the last step ran (this machine's clock), or null before the first. */
  steppedAt: number | null;
  /** The last step's error, if it failed (the book keeps its journal and tries again). */
  error: string | null;
}

function sliceBars(pair: AlignedPair, n: number): AlignedPair {
  return { time: pair.time.subarray(0, n), yOpen: pair.yOpen.subarray(0, n), yClose: pair.yClose.subarray(0, n), xOpen: pair.xOpen.subarray(0, n), xClose: pair.xClose.subarray(0, n), barMs: pair.barMs };
}

export class PaperTrader {
  private events: PaperEvent[];
  private state: BookState;
  private last: StepResult = { events: [], waiting: null, diverged: null };
  private closedUntil = -Infinity;
  private steppedAt: number | null = null;
  private error: string | null = null;
  private curve = { time: new Float64Array(0), equity: new Float64Array(0) };
  private equityNow: number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  private constructor(private readonly source: PaperSource, readonly dataDir: string, events: PaperEvent[], private readonly release: () => void) {
    this.events = events;
    this.state = foldBook(events);
    this.equityNow = this.state.spec.execution.capital;
  }

  get name(): string {
    return this.state.spec.name;
  }

  get spec(): PaperBookSpec {
    return this.state.spec;
  }

  /**
   * Opens the book `spec.name`: resumes its journal when there is one (its settings must then equal `spec`'s, unless
   * `spec` is omitted), else starts it with `spec`. Takes the book's lock: one process trades a book at a time.
   */
  static async open(source: PaperSource, dataDir: string, name: string, spec?: PaperBookSpec): Promise<PaperTrader> {
    const release = await lockPaperBook(dataDir, name);
    try {
      const where = `paper book ${name} (${dataDir}/paper/${name}.jsonl)`;
      let events = checkPaperEvents(readPaperJournal(dataDir, name), where);
      if (events.length === 0) {
        if (spec === undefined) throw new Error(`there is no paper book named "${name}" in ${dataDir}; start one with view.paperTrade(...)`);
        const start: PaperEvent = { kind: 'start', time: spec.createdAt, spec };
        await appendPaperJournal(dataDir, name, [start]);
        events = [start];
      } else if (spec !== undefined) {
        const held = (events[0] as Extract<PaperEvent, { kind: 'start' }>).spec;
        const differs = (['y', 'x', 'timeframe', 'strategy', 'execution', 'quoteMaxAgeMs'] as const).filter((k) => JSON.stringify(held[k]) !== JSON.stringify(spec[k]));
        if (differs.length) {
          throw new Error(`paper book "${name}" already exists with other settings (${differs.join(', ')}); resume it as it is, or give a new name`);
        }
      }
      return new PaperTrader(source, dataDir, events, release);
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Steps now and then every `everyMs` until {@link PaperTrader.close} (a failed step is kept in `status().error`). */
  follow(everyMs = 1_000): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.step().catch(() => undefined), everyMs);
    void this.step().catch(() => undefined);
  }

  /** Brings the book up to date with the store (one step at a time; a call during a step waits for it). */
  async step(): Promise<PaperStatus> {
    this.running ??= this.runStep().finally(() => { this.running = null; });
    await this.running;
    return this.status();
  }

  private async runStep(): Promise<void> {
    try {
      await this.stepOnce();
      this.error = null;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      this.steppedAt = Date.now();
    }
  }

  private async stepOnce(): Promise<void> {
    const spec = this.state.spec;
    const { barMs } = spec;
    const marks = await this.source.highWaterMarks();
    const newest = Math.min(marks.get(spec.y)?.tradeTime ?? -Infinity, marks.get(spec.x)?.tradeTime ?? -Infinity);
    if (!Number.isFinite(newest)) {
      this.last = { events: [], waiting: `no trades of ${spec.y} and ${spec.x} in the store yet`, diverged: null };
      return;
    }
    // a bar is closed once both legs have a stored trade at or after its end
    const closedUntil = Math.floor(newest / barMs) * barMs;
    const bars = await this.source.pairBars({ y: spec.y, x: spec.x, timeframe: spec.timeframe, from: spec.historyFrom, to: closedUntil + barMs });
    const all: AlignedPair = { time: bars.y.time, yOpen: bars.y.open, yClose: bars.y.close, xOpen: bars.x.open, xClose: bars.x.close, barMs };
    const closedN = lowerBound(all.time, closedUntil);
    const closed = sliceBars(all, closedN);
    const startBar = lowerBound(closed.time, spec.startAt);
    const decisions = closed.time.length > 0 ? ruleDecisions(closed, spec.strategy, startBar) : [];
    const filled = new Set(this.state.orders.filter((o) => o.filledAt !== null).map((o) => o.id));
    const firstOpen = decisions.find((d) => d.time > spec.startAt && !filled.has(`${d.action}@${d.time}`))?.time ?? closedUntil;
    const period = { from: Math.min(firstOpen, closedUntil) - barMs, to: Number.MAX_SAFE_INTEGER, barMs };
    const [qy, qx, fy, fx] = await Promise.all([
      legQuotes(this.source, spec.y, period, spec.quoteMaxAgeMs), legQuotes(this.source, spec.x, period, spec.quoteMaxAgeMs),
      this.source.funding({ symbol: spec.y, from: spec.startAt }), this.source.funding({ symbol: spec.x, from: spec.startAt }),
    ]);
    const [my, mx] = await Promise.all([fundingWithMarks(this.source, fy), fundingWithMarks(this.source, fx)]);
    const events = (f: { time: Float64Array; rate: Float64Array; markPrice?: Float64Array }) => [...f.time].map((time, i) => ({ time, rate: f.rate[i], markPrice: f.markPrice?.[i] ?? NaN }));
    const finalTo = (q: LegQuotes): number => (q.time.length ? q.time[q.time.length - 1] : -Infinity);
    const result = stepBook(this.state, decisions, {
      closedUntil,
      barOpen: (t) => {
        const i = lowerBound(all.time, t);
        return i < all.time.length && all.time[i] === t ? { y: all.yOpen[i], x: all.xOpen[i] } : { y: NaN, x: NaN };
      },
      y: { symbol: spec.y, quotes: qy, quotesFinalTo: finalTo(qy), funding: events(my) },
      x: { symbol: spec.x, quotes: qx, quotesFinalTo: finalTo(qx), funding: events(mx) },
    });
    if (result.events.length) {
      await appendPaperJournal(this.dataDir, spec.name, result.events);
      this.events = [...this.events, ...result.events];
      this.state = foldBook(this.events);
    }
    this.last = result;
    this.closedUntil = closedUntil;
    const since = closed.time.subarray(startBar);
    this.curve = { time: since, equity: bookCurve(this.state, since, closed.yClose.subarray(startBar), closed.xClose.subarray(startBar)) };
    this.equityNow = closedN > 0 ? bookEquity(this.state, all.yClose[all.time.length - 1], all.xClose[all.time.length - 1]) : spec.execution.capital;
  }

  status(): PaperStatus {
    return {
      state: this.state, equity: this.equityNow, curve: this.curve, closedUntil: this.closedUntil, waiting: this.last.waiting,
      diverged: this.last.diverged, steppedAt: this.steppedAt, error: this.error,
    };
  }

  /** Ends the book: no more orders (the journal keeps everything; an open position stays as it is). */
  async stop(): Promise<void> {
    if (this.state.stopped) return;
    const e: PaperEvent = { kind: 'stop', time: Date.now() };
    await appendPaperJournal(this.dataDir, this.name, [e]);
    this.events = [...this.events, e];
    this.state = foldBook(this.events);
  }

  /** Stops stepping and releases the book's lock; the book stays as it is and another process may resume it. */
  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    this.release();
  }
}
