// The settings of a pair view, their defaults, and its alert rules in the analytics engine's terms.
import type { AlertRule, KalmanParams } from '../../../src/analytics';
import type { BarSource } from '../../../src/store';
import type { AlertRules, HedgeMethod } from '../protocol';

/** Settings of a pair view. Only `timeframe` is required. */
export interface PairViewOptions {
  /** Bar length: `1s`, `1m`, `5m`, `1h`, or any `Ns`/`Nm`/`Nh`. */
  timeframe: string;
  /** z-score and correlation window, bars. Default 60. */
  window?: number;
  /** Default `huber`. */
  hedge?: HedgeMethod;
  /** Trailing bars of the OLS/Huber fit. Default 10 × window. */
  hedgeWindow?: number;
  /** Re-fit OLS/Huber every this many bars. Default max(1, hedgeWindow / 20). */
  hedgeEvery?: number;
  /**
   * Bars before the first OLS/Huber fit; until `hedgeWindow` bars exist each fit uses all bars so far (an expanding
   * warm-up, flagged in the metrics as `hedgeFitBars` < `hedgeWindow`). Default min(hedgeWindow, max(window, 30));
   * `hedgeWindow` waits for the full window.
   */
  hedgeMinBars?: number;
  kalman?: Partial<KalmanParams>;
  /** Bars of either leg with less volume count as empty (carried forward). Default 0. */
  minVolume?: number;
  /** Fixed range [from, to) in epoch ms; without `to` the view follows new data. */
  from?: number;
  to?: number;
  /** Newest bars shown; a live view keeps showing the newest this many as bars arrive. Default 86,400. */
  maxBars?: number;
  /** Cross-correlation lags either side. Default 20. */
  maxLag?: number;
  /** Bars the ADF, half-life, R² and cross-correlation use (the newest). Default 2,000. */
  testBars?: number;
  /**
   * Re-run those tests once every this many bars (at bars staggered by the pair's name, so many views do not all test
   * on one refresh); between, the cards of the newest bar (hedge ratio, spread, z, correlation) still update on every
   * refresh. Default 1: on every refresh.
   */
  testsEvery?: number;
  /** Alert rules evaluated on new bars. */
  alerts?: AlertRules;
  /** `ticks`, `uploaded` or `auto` (default). */
  source?: BarSource;
}

export type ResolvedViewOptions = Required<Omit<PairViewOptions, 'from' | 'to' | 'kalman' | 'alerts'>> & Pick<PairViewOptions, 'from' | 'to' | 'kalman' | 'alerts'>;

/** Fills in the defaults of a view's options. */
export function resolveViewOptions(opts: PairViewOptions): ResolvedViewOptions {
  const window = opts.window ?? 60;
  const hedgeWindow = opts.hedgeWindow ?? Math.max(10 * window, 30);
  return {
    ...opts, window, hedgeWindow,
    hedge: opts.hedge ?? 'huber',
    hedgeEvery: opts.hedgeEvery ?? Math.max(1, Math.round(hedgeWindow / 20)),
    hedgeMinBars: opts.hedgeMinBars ?? Math.min(hedgeWindow, Math.max(window, 30)),
    minVolume: opts.minVolume ?? 0,
    maxBars: opts.maxBars ?? 86_400,
    maxLag: opts.maxLag ?? 20,
    testBars: opts.testBars ?? 2_000,
    testsEvery: opts.testsEvery ?? 1,
    source: opts.source ?? 'auto',
  };
}

/** Alert rules in the analytics engine's terms. */
export function engineRules(rules: AlertRules | undefined): AlertRule[] {
  if (!rules) return [];
  const out: AlertRule[] = [];
  if (rules.zScore !== undefined) out.push({ kind: 'zscore', threshold: rules.zScore });
  if (rules.spreadWidth !== undefined) out.push({ kind: 'spreadWidth', threshold: rules.spreadWidth });
  if (rules.minCorrelation !== undefined) out.push({ kind: 'correlationFloor', threshold: rules.minCorrelation });
  if (rules.maxAdfPValue !== undefined) out.push({ kind: 'adfPValue', threshold: rules.maxAdfPValue });
  if (rules.staleSeconds !== undefined) out.push({ kind: 'stale', threshold: rules.staleSeconds * 1000 });
  return out;
}
