// Chart builders: plain data in, a Plotly figure with a text summary out. No I/O, no display.
import {
  type Figure, type Values, DEFAULT_MAX_POINTS, decimate, fmt, lastFinite, line, pick, range, span, timeLayout, utc,
} from './figure';

/** OHLCV columns of one symbol (the store's `BarSeries` fits). */
export interface OhlcvColumns {
  time: Values;
  open: Values;
  high: Values;
  low: Values;
  close: Values;
  volume: Values;
}

/** Options every chart takes. */
export interface ChartOptions {
  title?: string;
  /** Cap on points per trace (decimated beyond it). Default 20,000; candlesticks default to 2,000. */
  maxPoints?: number;
}

/** Candlesticks with volume bars underneath. */
export function priceChart(symbol: string, bars: OhlcvColumns, opts: ChartOptions = {}): Figure {
  const idx = decimate(bars.time.length, opts.maxPoints ?? 2_000);
  const title = opts.title ?? `${symbol} price and volume`;
  const x = pick(bars.time, idx);
  return {
    data: [
      { type: 'candlestick', name: symbol, x, open: pick(bars.open, idx), high: pick(bars.high, idx), low: pick(bars.low, idx), close: pick(bars.close, idx), yaxis: 'y' },
      { type: 'bar', name: `${symbol} volume`, x, y: pick(bars.volume, idx), yaxis: 'y2', marker: { opacity: 0.5 } },
    ],
    layout: timeLayout(title, {
      yaxis: { title: { text: 'price' }, domain: [0.3, 1] },
      yaxis2: { title: { text: 'volume' }, domain: [0, 0.25] },
      xaxis: { type: 'date', rangeslider: { visible: false } },
      showlegend: false,
    }),
    summary: `${title}: ${span(bars.time)}; last close ${fmt(lastFinite(bars.close))}, range ${fmt(range(bars.low).min)}–${fmt(range(bars.high).max)}`
      + (idx.length < bars.time.length ? ` (drawn as ${idx.length} of ${bars.time.length} bars)` : ''),
  };
}

/** Spread and z-score in two panes, with ± entry and ± exit bands on the z-score. */
export function spreadChart(time: Values, spread: Values, zScore: Values, bands: { entry?: number; exit?: number } = {}, opts: ChartOptions = {}): Figure {
  const maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  const title = opts.title ?? 'Spread and z-score';
  const t0 = time[0];
  const t1 = time[time.length - 1];
  const band = (level: number, name: string, dash: string) => ({
    type: 'scatter', mode: 'lines', name, x: [t0, t1], y: [level, level], yaxis: 'y2', line: { dash, width: 1 }, hoverinfo: 'skip',
  });
  const data = [line('spread', time, spread, maxPoints, { yaxis: 'y' }), line('z-score', time, zScore, maxPoints, { yaxis: 'y2' })];
  if (bands.entry !== undefined) data.push(band(bands.entry, `+entry ${bands.entry}`, 'dash'), band(-bands.entry, `−entry ${bands.entry}`, 'dash'));
  if (bands.exit !== undefined) data.push(band(bands.exit, `+exit ${bands.exit}`, 'dot'), band(-bands.exit, `−exit ${bands.exit}`, 'dot'));
  const z = range(zScore);
  return {
    data,
    layout: timeLayout(title, { yaxis: { title: { text: 'spread' }, domain: [0.55, 1] }, yaxis2: { title: { text: 'z' }, domain: [0, 0.45] } }),
    summary: `${title}: ${span(time)}; last spread ${fmt(lastFinite(spread))}, last z ${fmt(lastFinite(zScore))} (min ${fmt(z.min)}, max ${fmt(z.max)})`
      + (bands.entry !== undefined ? `; entry ±${bands.entry}` : '') + (bands.exit !== undefined ? `, exit ±${bands.exit}` : ''),
  };
}

/** One or more named series over time, e.g. hedge ratios of several methods, or a rolling correlation. */
export function seriesChart(time: Values, series: Record<string, Values>, opts: ChartOptions & { yTitle?: string } = {}): Figure {
  const maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  const title = opts.title ?? Object.keys(series).join(', ');
  const lasts = Object.entries(series).map(([name, v]) => `${name} ${fmt(lastFinite(v))}`).join(', ');
  return {
    data: Object.entries(series).map(([name, v]) => line(name, time, v, maxPoints)),
    layout: timeLayout(title, { yaxis: { title: { text: opts.yTitle ?? '' } } }),
    summary: `${title}: ${span(time)}; last ${lasts}`,
  };
}

/** Hedge ratio over time. */
export function hedgeRatioChart(time: Values, hedgeRatio: Values | Record<string, Values>, opts: ChartOptions = {}): Figure {
  const series = isValues(hedgeRatio) ? { 'hedge ratio': hedgeRatio } : hedgeRatio;
  return seriesChart(time, series, { title: 'Hedge ratio', yTitle: 'β', ...opts });
}

/** Rolling correlation of returns, with an optional floor line. */
export function correlationChart(time: Values, correlation: Values, opts: ChartOptions & { floor?: number } = {}): Figure {
  const fig = seriesChart(time, { 'rolling correlation': correlation }, { title: 'Rolling correlation of returns', yTitle: 'ρ', ...opts });
  if (opts.floor !== undefined) {
    fig.data.push({ type: 'scatter', mode: 'lines', name: `floor ${opts.floor}`, x: [time[0], time[time.length - 1]], y: [opts.floor, opts.floor], line: { dash: 'dash', width: 1 } });
    fig.summary += `; floor ${opts.floor}`;
  }
  return fig;
}

/** Cross-correlation by lag as bars: ρ(y_t, x_{t+lag}); a peak at a positive lag means y leads x. */
export function crossCorrelationChart(lags: Values, values: Values, opts: ChartOptions = {}): Figure {
  const title = opts.title ?? 'Cross-correlation by lag';
  let best = -1;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]) && (best < 0 || Math.abs(values[i]) > Math.abs(values[best]))) best = i;
  const all = Array.from({ length: lags.length }, (_, i) => i);
  return {
    data: [{ type: 'bar', name: 'correlation', x: pick(lags, all), y: pick(values, all) }],
    layout: { title: { text: title }, xaxis: { title: { text: 'lag (bars)' } }, yaxis: { title: { text: 'ρ' } }, margin: { t: 40, r: 20, b: 40, l: 60 } },
    summary: `${title}: lags ${fmt(lags[0])}..${fmt(lags[lags.length - 1])}; strongest ${best >= 0 ? `${fmt(values[best])} at lag ${lags[best]}` : '—'}`,
  };
}

/** Equity curve with drawdown underneath. */
export function equityChart(time: Values, equity: Values, drawdown: Values, opts: ChartOptions = {}): Figure {
  const maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  const title = opts.title ?? 'Equity and drawdown';
  return {
    data: [
      line('equity', time, equity, maxPoints, { yaxis: 'y' }),
      line('drawdown', time, drawdown, maxPoints, { yaxis: 'y2', fill: 'tozeroy' }),
    ],
    layout: timeLayout(title, { yaxis: { title: { text: 'equity' }, domain: [0.35, 1] }, yaxis2: { title: { text: 'drawdown' }, domain: [0, 0.3], tickformat: '.1%' } }),
    summary: `${title}: ${span(time)}; final equity ${fmt(lastFinite(equity))}, worst drawdown ${fmt(range(drawdown).min * 100)}%`,
  };
}

/** A heat-map, e.g. a parameter search's out-of-sample Sharpe by entry × exit. */
export function heatmapChart(x: Values, y: Values, z: ReadonlyArray<ArrayLike<number | null>>, opts: ChartOptions & { xLabel?: string; yLabel?: string; metric?: string } = {}): Figure {
  const title = opts.title ?? `${opts.metric ?? 'value'} by ${opts.xLabel ?? 'x'} × ${opts.yLabel ?? 'y'}`;
  let best = { v: -Infinity, i: -1, j: -1 };
  z.forEach((row, j) => { for (let i = 0; i < row.length; i++) { const v = row[i]; if (v !== null && Number.isFinite(v) && v > best.v) best = { v, i, j }; } });
  return {
    data: [{ type: 'heatmap', x: Array.from(x), y: Array.from(y), z: z.map((row) => Array.from(row, (v) => (v !== null && Number.isFinite(v) ? v : null))), colorscale: 'RdBu', colorbar: { title: { text: opts.metric ?? '' } } }],
    layout: { title: { text: title }, xaxis: { title: { text: opts.xLabel ?? '' }, type: 'category' }, yaxis: { title: { text: opts.yLabel ?? '' }, type: 'category' }, margin: { t: 40, r: 20, b: 50, l: 60 } },
    summary: `${title}: ${x.length} × ${y.length}; best ${best.i >= 0 ? `${fmt(best.v)} at ${opts.xLabel ?? 'x'}=${x[best.i]}, ${opts.yLabel ?? 'y'}=${y[best.j]}` : '—'}`,
  };
}

function isValues(v: Values | Record<string, Values>): v is Values {
  return typeof (v as Values).length === 'number';
}

export { utc };
