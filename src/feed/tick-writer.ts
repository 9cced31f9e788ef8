// The recorder's path to the store: batches ticks, flushes them on a timer, bounds the backlog (callers wait for
// room), and tells callers when their ticks are durable.
import type { Tick } from '../store/types';
import { systemClock } from './clock';
import type { StoreHealth } from './health';
import type { TickSink } from './sink';

const appendSlice = 10_000;

export interface TickWriterOptions {
  sink: TickSink;
  flushIntervalMs: number;
  /** Callers of `waitForRoom` wait while this many ticks are not yet durable. */
  maxPendingTicks: number;
  /** Runs before every flush (the gap log must be written before the ticks after a gap are durable). */
  beforeFlush(): Promise<void>;
  now(): number;
}

export class TickWriter {
  private batch: Tick[] = [];
  private inFlight: Tick[] = [];
  private waiters: (() => void)[] = [];
  private storedTicks = 0;
  private lastFlushAt: number | null = null;
  private lastFlushMs: number | null = null;
  private flushErrors = 0;
  private lastError: string | null = null;
  private waitingForRoom = false;
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly opts: TickWriterOptions) {}

  get pending(): number {
    return this.batch.length + this.inFlight.length;
  }

  push(tick: Tick): void {
    this.batch.push(tick);
  }

  /** Store errors reported from the store's own background work. */
  reportError(message: string): void {
    this.lastError = message;
  }

  start(): void {
    this.loop ??= (async () => {
      while (!this.stopping) {
        await systemClock.sleep(this.opts.flushIntervalMs);
        if (!this.stopping) await this.flush();
      }
    })();
  }

  /** Resolves when the backlog is below the limit (at once when it already is). */
  async waitForRoom(): Promise<void> {
    if (this.pending < this.opts.maxPendingTicks) return;
    this.waitingForRoom = true;
    while (this.pending >= this.opts.maxPendingTicks && !this.stopping) await this.nextFlush();
    this.waitingForRoom = false;
  }

  /** Resolves once every tick pushed so far is durable (or the writer is stopping and will flush them last). */
  async whenDurable(): Promise<void> {
    // The flush after the next one has surely taken them: the next may already be under way.
    await this.nextFlush();
    await this.nextFlush();
  }

  /** Shutdown, first step: nobody waits for room or durability any more, and the timer stops. */
  release(): void {
    this.stopping = true;
    this.wake();
  }

  /** Shutdown, last step (after the producers stopped): makes everything pushed durable. */
  async stop(): Promise<void> {
    this.release();
    await this.loop;
    await this.flush();
  }

  health(backpressure: boolean): StoreHealth {
    const oldest = this.inFlight[0] ?? this.batch[0];
    return {
      lagMs: oldest ? Math.max(0, this.opts.now() - oldest.recvTime) : 0,
      pendingTicks: this.pending,
      storedTicks: this.storedTicks,
      lastFlushAt: this.lastFlushAt,
      lastFlushMs: this.lastFlushMs,
      flushErrors: this.flushErrors,
      backpressure: backpressure || this.waitingForRoom,
      lastError: this.lastError,
    };
  }

  private nextFlush(): Promise<void> {
    return this.stopping ? Promise.resolve() : new Promise<void>((r) => this.waiters.push(r));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async flush(): Promise<void> {
    const { sink } = this.opts;
    if (this.batch.length > 0) {
      const taking = this.batch;
      this.batch = [];
      // A backlog (after a store stall) is handed over in slices so sockets and timers run in between.
      for (let i = 0; i < taking.length; i += appendSlice) {
        const slice = taking.length <= appendSlice ? taking : taking.slice(i, i + appendSlice);
        try {
          this.storedTicks += sink.append(slice).accepted;
          this.inFlight = this.inFlight.length ? this.inFlight.concat(slice) : slice;
        } catch (err) {
          this.lastError = `store refused ${slice.length} ticks: ${err instanceof Error ? err.message : String(err)}`;
        }
        if (i + appendSlice < taking.length) await new Promise<void>((r) => setImmediate(r));
      }
    }
    const t0 = performance.now();
    try {
      await this.opts.beforeFlush();
      await sink.flush();
      this.inFlight = [];
      this.lastFlushAt = Date.now();
      this.lastFlushMs = performance.now() - t0;
      this.lastError = null;
    } catch (err) {
      // The store keeps what it could not write and retries with the next flush.
      this.flushErrors++;
      this.lastError = `flush failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    this.wake();
  }
}
