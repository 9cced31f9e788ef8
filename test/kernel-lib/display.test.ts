// Display helpers: Plotly figures carry a text summary, long series are decimated without losing extremes,
// undefined values become null, and HTML tables escape what they show.
import { describe, expect, it } from 'vitest';
import { equityChart, heatmapChart, priceChart, spreadChart } from '../../kernel-lib/src/display/charts';
import { decimate, PLOTLY_MIME } from '../../kernel-lib/src/display/figure';
import { figureBundle, show } from '../../kernel-lib/src/display/show';
import { renderRecord, renderTable } from '../../kernel-lib/src/display/table';
import { setDisplaySink, type MimeBundle } from '../../kernel-lib/src/display/emit';

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 5);

describe('figures', () => {
  it('decimates a long series to the cap but keeps its first, last and extreme points', () => {
    const n = 100_000;
    const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 1000));
    values[12_345] = 50;
    values[67_890] = -50;
    const keep = decimate(n, 2_000, values);
    expect(keep.length).toBeLessThanOrEqual(2_002);
    expect(keep[0]).toBe(0);
    expect(keep[keep.length - 1]).toBe(n - 1);
    expect(keep).toContain(12_345);
    expect(keep).toContain(67_890);
    expect([...keep].sort((a, b) => a - b)).toEqual(keep);
  });

  it('draws spread and z with entry/exit bands, WebGL for long series, null for undefined values', () => {
    const n = 10_000;
    const time = Float64Array.from({ length: n }, (_, i) => t0 + i * 1000);
    const spread = Float64Array.from({ length: n }, (_, i) => (i < 10 ? NaN : Math.cos(i / 50)));
    const z = Float64Array.from({ length: n }, (_, i) => (i < 20 ? NaN : 3 * Math.sin(i / 70)));
    const fig = spreadChart(time, spread, z, { entry: 2, exit: 0.5 });
    expect(fig.data.map((t) => t.name)).toEqual(['spread', 'z-score', '+entry 2', '−entry 2', '+exit 0.5', '−exit 0.5']);
    expect(fig.data[0].type).toBe('scattergl');
    expect((fig.data[0].y as unknown[]).slice(0, 10)).toEqual(Array(10).fill(null));
    expect(fig.data[2].y).toEqual([2, 2]);
    expect(fig.summary).toMatch(/^Spread and z-score: 10000 points, 2026-01-05T00:00:00Z → 2026-01-05T02:46:39Z \(UTC\); last spread .*; entry ±2, exit ±0\.5$/);
    expect(JSON.stringify(figureBundle(fig))).not.toMatch(/NaN|Infinity/);
  });

  it('draws candlesticks with volume and says how many bars it drew', () => {
    const n = 5_000;
    const time = Float64Array.from({ length: n }, (_, i) => t0 + i * minute);
    const close = Float64Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 10));
    const fig = priceChart('ALPHAUSDT', { time, open: close, high: close.map((c) => c + 1), low: close.map((c) => c - 1), close, volume: close.map(() => 5) });
    expect(fig.data.map((t) => t.type)).toEqual(['candlestick', 'bar']);
    expect((fig.data[0].x as unknown[]).length).toBeLessThanOrEqual(2_001);
    expect(fig.summary).toContain('(drawn as');
    expect(fig.summary).toContain('range 98–102');
  });

  it('draws equity with drawdown and a heat-map that names its best cell', () => {
    const time = [t0, t0 + minute, t0 + 2 * minute];
    const eq = equityChart(time, [100, 90, 120], [0, -0.1, 0]);
    expect(eq.summary).toContain('final equity 120, worst drawdown -10%');
    const hm = heatmapChart([1.5, 2], [0, 0.5], [[1, 3], [NaN, 2]], { xLabel: 'entry', yLabel: 'exit', metric: 'sharpe' });
    expect(hm.data[0].z).toEqual([[1, 3], [null, 2]]);
    expect(hm.summary).toContain('best 3 at entry=2, exit=0');
  });

  it('sends a figure as one bundle: Plotly JSON plus the text summary', () => {
    const shown: MimeBundle[] = [];
    setDisplaySink((b) => shown.push(b));
    try {
      const fig = equityChart([t0, t0 + minute], [1, 2], [0, 0]);
      show(fig);
      show([{ a: 1 }]);
      show({ b: 2 });
    } finally {
      setDisplaySink(undefined);
    }
    expect(shown.map((b) => Object.keys(b).sort())).toEqual([[PLOTLY_MIME, 'text/plain'], ['text/html', 'text/plain'], ['text/html', 'text/plain']]);
  });
});

describe('tables', () => {
  it('escapes HTML and renders the same rows as aligned text', () => {
    const rows = [
      { symbol: '<script>alert("x")</script>', price: 64123.456789, time: t0, ok: true },
      { symbol: 'A&B', price: null, time: t0 + minute, ok: false },
    ];
    const table = renderTable(rows, { title: 'Quotes & <more>' });
    expect(table.html).not.toContain('<script>');
    expect(table.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(table.html).toContain('<caption>Quotes &amp; &lt;more&gt;</caption>');
    expect(table.text.split('\n')).toEqual([
      'Quotes & <more>',
      'symbol                          price  time                  ok   ',
      '---------------------------  --------  --------------------  -----',
      '<script>alert("x")</script>  64123.46  2026-01-05T00:00:00Z  true',
      'A&B                                 —  2026-01-05T00:01:00Z  false',
    ]);
  });

  it('counts the rows it leaves out, and shows nested values as JSON', () => {
    const table = renderTable(Array.from({ length: 60 }, (_, i) => ({ i })), { maxRows: 5 });
    expect(table.text).toContain('… 55 more rows (60 in all)');
    const record = renderRecord({ lastTime: t0, badFrames: { non_json: 2 } });
    expect(record.text).toContain('2026-01-05T00:00:00Z');
    expect(record.text).toContain('{"non_json":2}');
  });
});
