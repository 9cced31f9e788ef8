const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Length of a bar in ms (`15s`, `1m`, `4h`); NaN for a text that is not a timeframe. */
export function timeframeMs(timeframe: string): number {
  const m = /^([1-9][0-9]*)([smh])$/.exec(timeframe);
  return m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
}
