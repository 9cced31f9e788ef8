// The local clock's offset from the exchange's, from `GET /fapi/v1/time` (weight 1, inside the REST budget):
// offset ≈ serverTime − (sent + received) / 2, keeping of a few requests the one with the shortest round trip, whose
// midpoint is the least uncertain (± half its round trip). Measured at start and then periodically; a failed
// measurement is reported and retried, never fatal to recording.
import type { Clock, TimerHandle } from './clock';
import type { BinanceRest, ServerTimeSample } from './rest';

export interface ServerClockOptions {
  rest: BinanceRest;
  clock: Clock;
  /** Requests per measurement; the one with the shortest round trip counts. Default 3. */
  samples?: number;
  /** Measure again this often. Default 1 h. */
  intervalMs?: number;
  /** After a failed measurement, try again this soon. Default 1 min. */
  retryMs?: number;
  /** Warn when the offset is larger than this either way. Default 1,000 ms. */
  warnAboveMs?: number;
  /** Where warnings and failures go (the recorder's log). */
  log?: (message: string) => void;
}

export interface ServerClockHealth {
  /** Exchange time minus local time, ms: positive when the local clock is behind. Null until measured. */
  offsetMs: number | null;
  /** Round trip of the sample the offset comes from; the offset is uncertain by half of it. */
  roundTripMs: number | null;
  /** Local time of the last successful measurement. */
  measuredAt: number | null;
  warnAboveMs: number;
  /** True while |offsetMs| > warnAboveMs. */
  skewed: boolean;
  measurements: number;
  failures: number;
  /** Why the last measurement failed; null once one succeeds. */
  lastError: string | null;
}

export const defaultClockWarnAboveMs = 1_000;

/** The offset from the sample with the shortest round trip, or null without samples. */
export function offsetFromSamples(samples: readonly ServerTimeSample[]): { offsetMs: number; roundTripMs: number } | null {
  let best: ServerTimeSample | undefined;
  for (const s of samples) if (!best || s.receivedAt - s.sentAt < best.receivedAt - best.sentAt) best = s;
  if (!best) return null;
  return { offsetMs: Math.round(best.serverTime - (best.sentAt + best.receivedAt) / 2), roundTripMs: best.receivedAt - best.sentAt };
}

function describeOffset(offsetMs: number): string {
  return `${(Math.abs(offsetMs) / 1000).toFixed(2)} s ${offsetMs > 0 ? 'behind' : 'ahead of'} the exchange`;
}

export class ServerClock {
  private readonly samples: number;
  private readonly intervalMs: number;
  private readonly retryMs: number;
  private readonly warnAboveMs: number;
  private offsetMs: number | null = null;
  private roundTripMs: number | null = null;
  private measuredAt: number | null = null;
  private measurements = 0;
  private failures = 0;
  private failingSince: number | null = null;
  private lastError: string | null = null;
  private timer: TimerHandle | null = null;
  private running: Promise<boolean> | null = null;
  private readonly abort = new AbortController();
  private started = false;

  constructor(private readonly opts: ServerClockOptions) {
    this.samples = Math.max(1, opts.samples ?? 3);
    this.intervalMs = opts.intervalMs ?? 3_600_000;
    this.retryMs = Math.min(opts.retryMs ?? 60_000, this.intervalMs);
    this.warnAboveMs = opts.warnAboveMs ?? defaultClockWarnAboveMs;
  }

  /** The latest measured offset (exchange minus local, ms), or null before the first success. */
  get offset(): number | null {
    return this.offsetMs;
  }

  /** Measures now, then every `intervalMs` (sooner again after a failure) until `stop()`, which is for good. */
  start(): void {
    if (this.started || this.abort.signal.aborted) return;
    this.started = true;
    this.runAndReschedule();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.timer?.cancel();
    this.abort.abort(new Error('stopped'));
    await this.running;
  }

  health(): ServerClockHealth {
    return {
      offsetMs: this.offsetMs,
      roundTripMs: this.roundTripMs,
      measuredAt: this.measuredAt,
      warnAboveMs: this.warnAboveMs,
      skewed: this.offsetMs !== null && Math.abs(this.offsetMs) > this.warnAboveMs,
      measurements: this.measurements,
      failures: this.failures,
      lastError: this.lastError,
    };
  }

  /** One measurement; true when it succeeded. Never throws. */
  async measure(): Promise<boolean> {
    const { rest, clock } = this.opts;
    const samples: ServerTimeSample[] = [];
    let error: unknown = null;
    for (let i = 0; i < this.samples && !this.abort.signal.aborted; i++) {
      try {
        samples.push(await rest.serverTime(this.abort.signal));
      } catch (err) {
        error = err;
        break;
      }
    }
    if (this.abort.signal.aborted) return false;
    const best = offsetFromSamples(samples);
    if (!best) {
      this.failures++;
      this.lastError = error instanceof Error ? error.message : String(error);
      if (this.failingSince === null) {
        this.failingSince = clock.now();
        this.log(`could not measure the clock offset against GET /fapi/v1/time (${this.lastError}); recording goes on, retrying every ${Math.round(this.retryMs / 1000)} s`);
      }
      return false;
    }
    const wasSkewed = this.health().skewed;
    if (this.failingSince !== null) this.log(`clock offset measured again after ${Math.round((clock.now() - this.failingSince) / 1000)} s of failures`);
    this.failingSince = null;
    this.lastError = null;
    this.offsetMs = best.offsetMs;
    this.roundTripMs = best.roundTripMs;
    this.measuredAt = clock.now();
    this.measurements++;
    if (this.health().skewed) {
      this.log(
        `WARNING: the local clock is ${describeOffset(best.offsetMs)} (GET /fapi/v1/time, round trip ${best.roundTripMs} ms; ` +
          `warning above ±${this.warnAboveMs} ms). Binance rejects signed requests outside their recvWindow, and local receive ` +
          'times compared with exchange times are off by this much (eventLatency in the health file is corrected for it). ' +
          'Synchronise the system clock (NTP).',
      );
    } else if (wasSkewed) {
      this.log(`the local clock is back within ±${this.warnAboveMs} ms of the exchange (${describeOffset(best.offsetMs)})`);
    }
    return true;
  }

  private runAndReschedule(): void {
    const run = this.measure();
    this.running = run;
    void run.then((ok) => {
      if (!this.started) return;
      this.timer = this.opts.clock.setTimer(() => this.runAndReschedule(), ok ? this.intervalMs : this.retryMs);
    });
  }

  private log(message: string): void {
    this.opts.log?.(message);
  }
}
