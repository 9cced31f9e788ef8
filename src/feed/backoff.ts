/** Exponential reconnect delay with jitter: about `initialMs`, doubling up to `maxMs`, reset once data flows again. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Fraction of the delay drawn at random either way, e.g. 0.2 → ±20 %. */
  jitter: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, jitter: 0.2 };

export class Backoff {
  private attempt = 0;

  constructor(private readonly opts: BackoffOptions = defaultBackoff, private readonly random: () => number = Math.random) {}

  /** Delay before the next attempt; each call doubles the following one. */
  next(): number {
    const base = Math.min(this.opts.maxMs, this.opts.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    const spread = base * this.opts.jitter;
    return Math.max(0, Math.min(this.opts.maxMs * (1 + this.opts.jitter), base - spread + 2 * spread * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
