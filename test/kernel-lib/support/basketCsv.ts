// 1m bars of four symbols where CUSDT ≈ AUSDT + BUSDT (no pair cointegrated) and DUSDT is an independent walk.

export const BASKET_T0 = Date.UTC(2026, 0, 5);

export function basketCsv(bars: number): string {
  let seed = 20261206;
  const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const g = () => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
  let a = 200;
  let b = 150;
  let d = 120;
  let e = 0;
  const lines = ['timestamp,symbol,open,high,low,close,volume'];
  const prev: Record<string, number> = {};
  for (let t = 0; t < bars; t++) {
    a += 0.4 * g();
    b += 0.3 * g();
    d += 0.4 * g();
    e = 0.8 * e + 0.5 * g();
    const closes: Record<string, number> = { AUSDT: a, BUSDT: b, CUSDT: a + b + e, DUSDT: d };
    const ts = new Date(BASKET_T0 + t * 60_000).toISOString();
    for (const [s, c] of Object.entries(closes)) {
      const o = prev[s] ?? c;
      lines.push(`${ts},${s},${o.toFixed(4)},${Math.max(o, c).toFixed(4)},${Math.min(o, c).toFixed(4)},${c.toFixed(4)},100`);
      prev[s] = c;
    }
  }
  return lines.join('\n');
}
