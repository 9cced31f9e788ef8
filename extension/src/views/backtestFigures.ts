import type { Data } from 'plotly.js';
import type { BacktestMetrics, Num } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { lineTrace, type IChartView } from '../decimate';
import { duration, el, fmt, pct, table } from './dom';
import { ANNUALISED_METRICS, annualisedCaveat } from './backtestCaveat';
import { roughDuration } from './warmup';

/** What the equity and drawdown charts draw: a pair's or a basket's backtest. */
export interface IEquityCurve {
  time: number[];
  equity: Num[];
  drawdown: Num[];
}

export function equityFigure(b: IEquityCurve | null, colors: IThemeColors, view: IChartView): Figure | null {
  if (!b || b.time.length === 0) return null;
  return {
    data: [{ name: 'equity', ...lineTrace(b.time, b.equity, view), line: { color: colors.series[0], width: 1.2 } } as Data],
    points: b.time.length,
    layout: { title: { text: 'equity (quote currency)', font: { size: 12 } }, xaxis: { type: 'date' }, showlegend: false },
  };
}

export function drawdownFigure(b: IEquityCurve | null, colors: IThemeColors, view: IChartView): Figure | null {
  if (!b || b.time.length === 0) return null;
  return {
    data: [{ name: 'drawdown', ...lineTrace(b.time, b.drawdown, view), fill: 'tozeroy', line: { color: colors.down, width: 1 } } as Data],
    points: b.time.length,
    layout: { title: { text: 'drawdown from peak', font: { size: 12 } }, xaxis: { type: 'date' }, yaxis: { tickformat: '.1%' }, showlegend: false },
  };
}

/** The metrics table's rows: name and formatted value. */
function metricRows(m: BacktestMetrics): Array<[string, string]> {
  return [
    ['Total return', pct(m.totalReturn)], ['Annual return', pct(m.annualReturn)], ['Annual volatility', pct(m.annualVolatility)],
    ['Sharpe', fmt(m.sharpe, 2)], ['Sortino', fmt(m.sortino, 2)], ['Max drawdown', pct(m.maxDrawdown)],
    ['Max drawdown duration', duration(m.maxDrawdownMs)], ['Calmar', fmt(m.calmar, 2)], ['Win rate', pct(m.winRate, 1)],
    ['Profit factor', fmt(m.profitFactor, 2)], ['Trades', String(m.trades)], ['Average hold', duration(m.avgHoldMs)],
    ['Exposure', pct(m.exposure, 1)], ['Turnover', fmt(m.turnover, 2)], ['Fees', fmt(m.fees, 2)],
    ['P&L in z-score units (prototype\'s measure, for comparison)', fmt(m.zUnitPnl, 2)], ['Final equity', fmt(m.finalEquity, 2)],
  ];
}

/** The metrics table of a run over `time` of `timeframe` bars, with the annualised caveat above it when it applies. */
export function metricsTable(m: BacktestMetrics, time: number[], timeframe: string): HTMLElement[] {
  const span = time.length > 1 ? time[time.length - 1] - time[0] : 0;
  const caveat = annualisedCaveat(span, m.trades, timeframe);
  const rows = metricRows(m).map(([name, value]): [string, string] => [caveat && ANNUALISED_METRICS.includes(name) ? `${name} ⚠ annualised from ${roughDuration(span)}` : name, value]);
  return [
    ...(caveat ? [el('p', { class: 'pl-Notice', 'data-warning': 'annualised' }, caveat)] : []),
    table<[string, string]>([{ title: 'metric', value: (r) => r[0] }, { title: 'value', value: (r) => r[1], numeric: true }], rows),
  ];
}
