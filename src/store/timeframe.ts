const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `7s` → 7000. Throws for anything but a positive whole number followed by s, m, h or d. */
export function parseTimeframe(timeframe: string): number {
  const m = /^([1-9][0-9]{0,6})([smhd])$/.exec(timeframe.trim());
  if (!m) {
    throw new Error(`unknown timeframe "${timeframe}": use a whole number and a unit s, m, h or d, e.g. 1s, 7s, 1m, 3m, 15m, 1h, 1d`);
  }
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** 60000 → `1m`: the largest unit that divides the duration. */
export function formatTimeframe(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
