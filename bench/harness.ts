/** A benchmark: one measured figure, optionally with a target it must meet on this machine. */
export interface Benchmark {
  /** Issue area, e.g. "store", "analytics". */
  group: string;
  name: string;
  /** What a good figure is: `max` for times and sizes, `min` for rates. */
  target?: { kind: 'max' | 'min'; value: number };
  /** Runs only when named on the command line (for runs of hours). */
  explicitOnly?: boolean;
  run(options: BenchOptions): Promise<Measurement>;
}

/** `--name value` / `--name=value` options from the command line, e.g. `--soak-minutes 15`. */
export type BenchOptions = ReadonlyMap<string, string>;

/** A numeric option, or `fallback`; throws for anything that is not a non-negative number. */
export function numberOption(options: BenchOptions, name: string, fallback: number): number {
  const v = options.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${v}"`);
  return n;
}

export interface Measurement {
  value: number;
  unit: string;
  /** Free-text context, e.g. the reference library's figure measured in the same run. */
  detail?: string;
}

export interface BenchResult extends Measurement {
  group: string;
  name: string;
  target?: Benchmark['target'];
  pass?: boolean;
  error?: string;
}

/** Median wall time in ms of `fn` over `repeats` runs after `warmup` runs. */
export async function medianMs(fn: () => unknown, repeats = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function meetsTarget(b: Benchmark, value: number): boolean | undefined {
  if (!b.target) return undefined;
  return b.target.kind === 'max' ? value <= b.target.value : value >= b.target.value;
}
