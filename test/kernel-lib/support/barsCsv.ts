/** Seeded standard normal draws (Park-Miller uniforms, Box-Muller), the same on every run. */
export function gaussian(seed: number): () => number {
  let s = seed;
  const r = () => (s = (s * 16807) % 2147483647) / 2147483647;
  return () => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
}

/**
 * A CSV of `bars` one-minute bars from `t0` for `lab.importCsv`: `step(g)` gives every symbol's close of the next bar
 * (drawing from `g`); each bar opens at the symbol's previous close.
 */
export function barsCsv(bars: number, t0: number, seed: number, step: (g: () => number) => Record<string, number>): string {
  const g = gaussian(seed);
  const lines = ['timestamp,symbol,open,high,low,close,volume'];
  const prev: Record<string, number> = {};
  for (let t = 0; t < bars; t++) {
    const ts = new Date(t0 + t * 60_000).toISOString();
    for (const [s, c] of Object.entries(step(g))) {
      const o = prev[s] ?? c;
      lines.push(`${ts},${s},${o.toFixed(4)},${Math.max(o, c).toFixed(4)},${Math.min(o, c).toFixed(4)},${c.toFixed(4)},100`);
      prev[s] = c;
    }
  }
  return lines.join('\n');
}
