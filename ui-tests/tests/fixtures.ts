// CSV files the tests upload, generated deterministically.

/** A small deterministic PRNG (mulberry32) so every run uploads the same bars. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PAIR_Y = 'AAAUSDT';
export const PAIR_X = 'BBBUSDT';
export const GOOD_ROWS_PER_SYMBOL = 720;

/**
 * 12 hours of 1-minute bars for a cointegrated pair: X is a random walk, Y = 2·X + 50 + a fast mean-reverting
 * spread, so z-scores cross ±1.5 often and a backtest trades. Volumes are uniform on 1..100.
 */
export function goodCsv(): string {
  return pairCsv(GOOD_ROWS_PER_SYMBOL, 7);
}

/** `rows` one-minute bars of a cointegrated pair (`ySymbol`, `xSymbol`) from 2026-01-05 00:00 UTC. */
function pairCsv(rows: number, seed: number, ySymbol = PAIR_Y, xSymbol = PAIR_X): string {
  const rand = prng(seed);
  const start = Date.UTC(2026, 0, 5, 0, 0, 0);
  const lines = ['timestamp,symbol,open,high,low,close,volume'];
  let x = 100;
  let spread = 0;
  let prevY = 2 * x + 50;
  let prevX = x;
  for (let i = 0; i < rows; i++) {
    x += (rand() - 0.5) * 0.8;
    spread = 0.7 * spread + (rand() - 0.5) * 3;
    const y = 2 * x + 50 + spread;
    const t = new Date(start + i * 60_000).toISOString();
    const bar = (open: number, close: number) => {
      const high = Math.max(open, close) + rand() * 0.2;
      const low = Math.min(open, close) - rand() * 0.2;
      return [open, high, low, close].map((v) => v.toFixed(4)).join(',');
    };
    lines.push(`${t},${ySymbol},${bar(prevY, y)},${(1 + rand() * 99).toFixed(3)}`);
    lines.push(`${t},${xSymbol},${bar(prevX, x)},${(1 + rand() * 99).toFixed(3)}`);
    prevY = y;
    prevX = x;
  }
  return `${lines.join('\n')}\n`;
}

export const LONG_ROWS_PER_SYMBOL = 8000;
export const LONG_Y = 'LONGAUSDT';
export const LONG_X = 'LONGBUSDT';

/**
 * 8,000 one-minute bars of a pair of its own: a view long enough that the kernel sends it thinned. Its own symbols,
 * because the specs share one store and the same times of AAAUSDT/BBBUSDT hold other bars (goodCsv).
 */
export function longCsv(): string {
  return pairCsv(LONG_ROWS_PER_SYMBOL, 11, LONG_Y, LONG_X);
}

/** Lines 3 (high below low) and 5 (a price that is not a number) are bad; the rest is fine. */
export function badCsv(): string {
  return [
    'timestamp,symbol,open,high,low,close,volume',
    '2026-01-05T00:00:00Z,CCCUSDT,10,11,9,10.5,5',
    '2026-01-05T00:01:00Z,CCCUSDT,10.5,9,11,10,5',
    '2026-01-05T00:02:00Z,CCCUSDT,10,11,9,10.2,5',
    '2026-01-05T00:03:00Z,CCCUSDT,ten,11,9,10.1,5',
    '',
  ].join('\n');
}
