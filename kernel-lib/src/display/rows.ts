// Table rows from the library's results, for `showTable`: bars, trades, parameter-search, scan and watchlist rows.
import type { BacktestResult } from '../../../src/backtest';
import type { PairScanRow } from '../../../src/analytics';
import type { OhlcvColumns } from './charts';
import type { Row } from './table';
import type { WatchRow } from '../watchlist/watchlist';

/** The newest `count` bars as rows (time, OHLC, volume). */
export function barRows(bars: OhlcvColumns, count = 10): Row[] {
  const n = bars.time.length;
  const rows: Row[] = [];
  for (let i = Math.max(0, n - count); i < n; i++) {
    rows.push({ time: bars.time[i], open: bars.open[i], high: bars.high[i], low: bars.low[i], close: bars.close[i], volume: bars.volume[i] });
  }
  return rows;
}

/** A backtest's trades as rows. */
export function tradeRows(result: BacktestResult): Row[] {
  return result.trades.map((t) => ({
    entryTime: t.entryTime, exitTime: t.exitTime, side: t.side, entryZ: t.entryZ, exitZ: t.exitZ, hedgeRatio: t.hedgeRatio,
    fees: t.fees, spreadCost: t.spreadCost ?? 0, slippage: t.slippage ?? 0, funding: t.funding, pnl: t.pnl, holdingBars: t.holdingBars, exitReason: t.exitReason,
  }));
}

/** Parameter-search rows: each parameter set with in-sample and out-of-sample figures side by side. */
export function searchRows(result: { rows: ReadonlyArray<{ entry: number; exit: number; window: number; stop: number | null; hedge: string; inSample: { sharpe: number; totalReturn: number; maxDrawdown: number; trades: number }; outOfSample: { sharpe: number; totalReturn: number; maxDrawdown: number; trades: number } }> }, count = 10): Row[] {
  return result.rows.slice(0, count).map((r) => ({
    entry: r.entry, exit: r.exit, window: r.window, stop: r.stop, hedge: r.hedge,
    'IS sharpe': r.inSample.sharpe, 'OOS sharpe': r.outOfSample.sharpe, 'IS return': r.inSample.totalReturn, 'OOS return': r.outOfSample.totalReturn,
    'OOS max DD': r.outOfSample.maxDrawdown, 'OOS trades': r.outOfSample.trades,
  }));
}

/** Pair-scan rows, best first. */
export function scanRows(rows: readonly PairScanRow[]): Row[] {
  return rows.map((r, i) => ({
    rank: i + 1, y: r.y, x: r.x, hedgeRatio: r.beta, egPValue: r.egPValue, adfPValue: r.adfPValue, halfLifeBars: r.halfLife, correlation: r.correlation,
  }));
}

/** Watchlist rows as the panel's Watchlist tab shows them (without the sparkline). */
export function watchRows(rows: readonly WatchRow[]): Row[] {
  return rows.map((r) => ({
    pair: r.pair, status: r.status, bars: r.bars, z: r.zScore, hedgeRatio: r.hedgeRatio, halfLifeBars: r.halfLifeBars,
    cointP: r.stability.pValue, belowSince: r.stability.belowSince, alerts: r.alertCount, lastAlert: r.lastAlert?.message ?? null,
  }));
}
