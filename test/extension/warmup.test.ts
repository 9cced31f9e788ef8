// What a young pair view says it waits for (extension/src/views/warmup.ts): the bars each statistic needs, how many
// there are, about how long at this bar length, and the flag of an expanding hedge fit.
import { describe, expect, it } from 'vitest';
import type { MetricCards } from '../../kernel-lib/src/protocol';
import { barsNeeded, hedgeWarmupText, roughDuration, timeframeMs, waitingText, watchTestWaiting, watchZWaiting, type IWarmupState } from '../../extension/src/views/warmup';

function cards(patch: Partial<MetricCards>): MetricCards {
  return {
    hedgeRatio: null, intercept: null, rSquared: null, adfStatistic: null, adfPValue: null, halfLifeBars: null, zScore: null,
    spread: null, correlation: null, bars: 0, lastTime: null, hedgeWindow: 600, hedgeMinBars: 60, hedgeFitBars: null, hedgeWarmupUntil: null,
    ...patch,
  };
}
const young: IWarmupState = { bars: 12, timeframe: '1s', window: 60, hedge: 'huber', metrics: cards({ bars: 12 }) };

describe('waiting texts', () => {
  it('bar lengths and rough durations', () => {
    expect(timeframeMs('1s')).toBe(1000);
    expect(timeframeMs('15m')).toBe(900_000);
    expect(timeframeMs('4h')).toBe(14_400_000);
    expect(timeframeMs('bad')).toBeNaN();
    expect(roughDuration(48_000)).toBe('about 48 s');
    expect(roughDuration(5 * 60_000)).toBe('about 5 min');
    expect(roughDuration(11 * 3_600_000)).toBe('about 11 h');
    expect(roughDuration(NaN)).toBe('moments');
  });

  it('the z-score needs the first hedge fit and then a window of spread values', () => {
    expect(barsNeeded(young, 'zscore')).toBe(119);
    expect(waitingText(young, 'zscore')).toBe(
      'z-score: needs 119 bars (60 for the first hedge fit, then 60 spread values for the rolling window), 12 so far — about 2 min at 1s; or choose a shorter rolling window or hedge window in the sidebar.');
    expect(waitingText(young, 'hedge')).toBe('Hedge ratio: needs 60 bars for the first hedge fit, 12 so far — about 48 s at 1s; or choose a shorter rolling window or hedge window in the sidebar.');
    expect(waitingText({ ...young, bars: 119 }, 'zscore')).toBe('');
  });

  it('Kalman needs no fit window; correlation only its own window', () => {
    const kalman = { ...young, hedge: 'kalman' as const };
    expect(barsNeeded(kalman, 'hedge')).toBe(1);
    expect(waitingText(kalman, 'hedge')).toBe('');
    expect(barsNeeded(kalman, 'zscore')).toBe(60);
    expect(waitingText(young, 'correlation')).toMatch(/^Rolling correlation: needs 62 bars, 12 so far — about 50 s at 1s; or choose a shorter rolling window in the sidebar\.$/);
  });

  it('an expanding hedge fit is flagged until the hedge window fills', () => {
    const warming = { ...young, bars: 312, metrics: cards({ bars: 312, hedgeFitBars: 300, hedgeWarmupUntil: 1 }) };
    expect(hedgeWarmupText(warming)).toMatch(/^Hedge ratio fitted on all 300 bars so far \(expanding, shaded on the charts\) until the 600-bar hedge window fills — about 5 min at 1s\./);
    expect(hedgeWarmupText({ ...warming, metrics: cards({ hedgeFitBars: 600 }) })).toBe('');
    expect(hedgeWarmupText({ ...warming, hedge: 'kalman' })).toBe('');
  });
});

describe('watchlist rows say what they wait for', () => {
  it('the z-score: bars so far of the bars needed, and about how long', () => {
    expect(watchZWaiting(young)).toBe('z: 12 of 119 bars, about 2 min');
    expect(watchZWaiting({ ...young, bars: 119 })).toBe('');
    // before the kernel said how many bars the first hedge fit needs
    expect(watchZWaiting({ ...young, metrics: null })).toBe('z: 12 bars so far');
  });

  it('the cointegration columns: the first test at the stability window, then the next scheduled test bar', () => {
    expect(watchTestWaiting(600, 1000, 60, '1s')).toBe('first test at 1000 bars: 600 so far, about 7 min');
    expect(watchTestWaiting(1000, 1000, 60, '1s')).toBe('first test within 60 bars');
  });
});
