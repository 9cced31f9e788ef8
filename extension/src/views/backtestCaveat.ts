// Annualised backtest figures scale the tested span up to a year: over minutes of bars and a few trades they reach
// values such as a Sharpe of −550 that say nothing about the strategy. This says when that is the case, in words a
// user can act on (pure, unit-tested).
import { roughDuration } from './warmup';

/** Spans and trade counts from which annualised figures start to mean something. */
export const MIN_ANNUALISED_SPAN_MS = 30 * 86_400_000;
export const MIN_ANNUALISED_TRADES = 30;

/** The metrics the caveat is about. */
export const ANNUALISED_METRICS = ['Annual return', 'Annual volatility', 'Sharpe', 'Sortino', 'Calmar'];

/**
 * The warning for a backtest over `spanMs` of `timeframe` bars with `trades` trades, e.g. "This backtest spans about
 * 3 min of 1s bars with 2 trades: …"; empty when the span and the trades are enough.
 */
export function annualisedCaveat(spanMs: number, trades: number, timeframe: string): string {
  if (spanMs >= MIN_ANNUALISED_SPAN_MS && trades >= MIN_ANNUALISED_TRADES) return '';
  const span = roughDuration(spanMs).replace(/^moments$/, 'no time');
  const tradesText = `${trades} trade${trades === 1 ? '' : 's'}`;
  return `This backtest spans ${span} of ${timeframe} bars with ${tradesText}: the annualised figures (${ANNUALISED_METRICS.join(', ')}) `
    + `scale that up to a year and say little about the strategy. They become meaningful over at least ${MIN_ANNUALISED_SPAN_MS / 86_400_000} days `
    + `of bars and ${MIN_ANNUALISED_TRADES} or more trades: let the feed record longer, or upload a longer history as CSV. Total return, `
    + 'drawdown and the trade list are not annualised.';
}
