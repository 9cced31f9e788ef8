// `record --lake`: an output of the recorder that exports each closed day once compaction has merged it. It ignores
// the live batches (the lake takes whole days from the store) and runs an export pass on a timer; a failing pass is
// reported in the recorder's health (outputs[]) and retried on the next one, never stopping the recording.
import type { Tick } from '../store/types';
import type { OutputHealth, TickOutput } from '../feed/outputs';
import { exportToLake, type ExportOptions } from './exporter';
import { parseLakeUri } from './lake-uri';

export interface LakeOutputOptions extends Omit<ExportOptions, 'now' | 'from' | 'to' | 'onDay'> {
  /** The recorder's clock (a simulated clock runs ahead in soaks): decides which days have ended. */
  now?: () => number;
  /** Between export passes; default 60 s (the store compacts once a minute). */
  intervalMs?: number;
  /** First pass after start; default 5 s. */
  firstPassMs?: number;
  log?: (message: string) => void;
}

export class LakeOutput implements TickOutput {
  private readonly status: OutputHealth;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  /** Symbol-days exported by this recorder. */
  exportedDays = 0;

  constructor(private readonly opts: LakeOutputOptions) {
    const location = parseLakeUri(opts.lake);
    this.status = { name: `lake ${location.uri}`, connected: false, queuedTicks: 0, sentTicks: 0, skippedTicks: 0, droppedTicks: 0, retries: 0, lastSentAt: null, lastError: null };
    this.schedule(opts.firstPassMs ?? 5_000);
  }

  take(_ticks: readonly Tick[]): void {
    // Days are exported whole from the store once closed and compacted; live batches are not needed.
  }

  health(): OutputHealth {
    return { ...this.status };
  }

  /** One export pass now (the timer's pass, also for tests); never throws. */
  exportNow(): Promise<void> {
    this.running ??= this.pass().finally(() => { this.running = null; });
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => { void this.exportNow().then(() => this.schedule(this.opts.intervalMs ?? 60_000)); }, delayMs);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    const { now, intervalMs: _i, firstPassMs: _f, log, ...exportOpts } = this.opts;
    try {
      const r = await exportToLake({ ...exportOpts, now: (now ?? Date.now)() });
      this.status.connected = true;
      this.status.sentTicks += r.ticks;
      this.exportedDays += r.exported.length;
      if (r.exported.length) {
        this.status.lastSentAt = Date.now();
        log?.(`lake: exported ${r.exported.map((d) => `${d.symbol} ${d.date}`).join(', ')} (${r.ticks} ticks) to ${this.status.name.slice(5)}`);
      }
      if (r.failed.length) {
        this.status.retries++;
        this.status.lastError = `lake: ${r.failed.length} symbol-days not exported, retried on the next pass: ${r.failed[0].symbol} ${r.failed[0].date}: ${r.failed[0].error}`;
      } else {
        this.status.lastError = null;
      }
    } catch (err) {
      this.status.connected = false;
      this.status.retries++;
      this.status.lastError = `lake: export failed, retried on the next pass: ${(err as Error).message}`;
      log?.(this.status.lastError);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    // A pass in progress finishes (its parts are staged and published whole); the recorder's shutdown bounds the wait.
    await this.running;
  }
}
