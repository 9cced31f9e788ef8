// The warning over annualised backtest figures (extension/src/views/backtestCaveat.ts): a backtest over minutes of bars
// with a few trades says what it spans, how many trades, and what would make the figures meaningful.
import { describe, expect, it } from 'vitest';
import { MIN_ANNUALISED_SPAN_MS, MIN_ANNUALISED_TRADES, annualisedCaveat } from '../../extension/src/views/backtestCaveat';

describe('annualised figures caveat', () => {
  it('three minutes of 1s bars and two trades', () => {
    const text = annualisedCaveat(3 * 60_000, 2, '1s');
    expect(text).toContain('This backtest spans about 3 min of 1s bars with 2 trades');
    expect(text).toContain('Annual return, Annual volatility, Sharpe, Sortino, Calmar');
    expect(text).toContain('at least 30 days of bars and 30 or more trades');
  });

  it('one trade, no span', () => {
    expect(annualisedCaveat(0, 1, '1m')).toContain('spans no time of 1m bars with 1 trade:');
  });

  it('nothing once both the span and the trades are enough; either alone is not', () => {
    expect(annualisedCaveat(MIN_ANNUALISED_SPAN_MS, MIN_ANNUALISED_TRADES, '1m')).toBe('');
    expect(annualisedCaveat(MIN_ANNUALISED_SPAN_MS, 5, '1m')).not.toBe('');
    expect(annualisedCaveat(86_400_000, 500, '1m')).toContain('about 24 h');
  });
});
