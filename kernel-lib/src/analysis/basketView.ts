// A basket of 2–6 legs for notebooks: the legs' bars on their common bar times, the basket's statistics over them
// (weights, spread, z, half-life, ADF, cointegration and its stability) and a backtest of the mean-reversion rule on
// the basket's z with weights known at each bar (rolling by default), each leg filled, charged and funded on its own.
import { type BasketAnalysis, type BasketMethod, analyseBasket } from '../../../src/analytics';
import {
  type AlignedBasket, type BasketBacktestResult, type BasketWeightSpec, type FundingRates, type LegQuotes, alignBasket, backtestBasket, defaultExecution,
} from '../../../src/backtest';
import { type BarSeries, type StoreReader, parseTimeframe } from '../../../src/store';
import { SYMBOL_PATTERN, type ExecutionParams, type StrategyParams } from '../protocol';
import { drawdown, executionSettings } from './backtesting';
import { equityChart, seriesChart, spreadChart } from '../display/charts';
import type { Figure } from '../display/figure';
import { type MarketDataSource, QUOTE_MAX_AGE_MS, fundingWithMarks, legQuotes } from './recordedCosts';
import { type ScanSettings, readBars } from './scan';

/** Options of `lab.basket(legs, options)`. */
export interface BasketViewOptions extends Pick<ScanSettings, 'timeframe' | 'from' | 'to' | 'minVolume' | 'source'> {
  /** How the weights are estimated. Default `johansen` (first eigenvector, leg 1 = 1); `eg`: OLS of leg 1 on the others. */
  weights?: BasketMethod;
  /** z-score window in bars. Default 100. */
  window?: number;
  /** Bars of the backtest's rolling weight fit (re-fitted every `weightEvery` bars, default a tenth of it). Default 500. */
  weightWindow?: number;
  weightEvery?: number;
  /** Newest bars read when `from`/`to` are not given. Default 5,000. */
  maxBars?: number;
  /** Bars per stability window (default a quarter of the bars, at least 50). */
  stabilityWindow?: number;
  /** Johansen deterministic order and lagged differences (default 0 and 1). */
  detOrder?: number;
  kArDiff?: number;
}

/** Costs of a basket backtest: `recorded` funding events and quotes from the store (the defaults), or none. */
export interface BasketCostChoice {
  /** `recorded` (default): each leg's recorded funding events at their mark price; `none`; or rates per leg. */
  funding?: 'recorded' | 'none' | ReadonlyArray<FundingRates | undefined>;
  /** `quotes` (default): each leg at its recorded quotes where there are any; `bars`: bar prices with slippage. */
  fills?: 'quotes' | 'bars';
  quoteMaxAgeMs?: number;
}

/** The rule and, optionally, how its weights are known at each bar (default: the view's rolling fit). */
export interface BasketBacktestParams extends StrategyParams {
  weights?: BasketWeightSpec;
  /** z window; default the view's. */
  window?: number;
}

export interface BasketMetrics {
  legs: string[];
  method: BasketMethod;
  bars: number;
  weights: number[];
  intercept: number;
  halfLife: number;
  adfPValue: number;
  /** EG: ADF statistic of the residuals and its MacKinnon p-value; Johansen: trace statistic (p-value NaN) and its 95% value. */
  cointStatistic: number;
  cointPValue: number;
  cointCritical5: number;
  cointRejects: boolean;
  /** Share of rolling windows whose test rejects at 5%. */
  stability: number;
  lastZ: number;
}

export interface BasketBacktestReport extends BasketBacktestResult {
  /** What the run charged: which funding and fills were used. */
  costNotes: string[];
}

/** The legs' bars kept where every leg has a bar (inner join on bar time). */
export function commonBars(series: readonly BarSeries[]): { time: Float64Array; open: Float64Array[]; close: Float64Array[] } {
  const counts = new Map<number, number>();
  for (const s of series) for (const t of s.time) counts.set(t, (counts.get(t) ?? 0) + 1);
  const time = Float64Array.from([...counts].filter(([, c]) => c === series.length).map(([t]) => t)).sort();
  const pick = (s: BarSeries, col: Float64Array) => {
    const at = new Map<number, number>();
    s.time.forEach((t, i) => at.set(t, col[i]));
    return time.map((t) => at.get(t) as number);
  };
  return { time, open: series.map((s) => pick(s, s.open)), close: series.map((s) => pick(s, s.close)) };
}

/** What a basket view reads: bars, and the recorded funding events, marks and quotes its backtest charges. */
export type BasketBarSource = Pick<StoreReader, 'bars' | 'latestBars'>;

export class BasketView {
  readonly analysis: BasketAnalysis;
  readonly basket: AlignedBasket;
  readonly timeframeMs: number;

  private constructor(readonly legs: string[], readonly options: BasketViewOptions, bars: ReturnType<typeof commonBars>, private readonly marketData: MarketDataSource | null) {
    this.timeframeMs = parseTimeframe(options.timeframe);
    this.basket = alignBasket({ ...bars, symbols: legs });
    this.analysis = analyseBasket(bars.close, {
      method: options.weights ?? 'johansen', zWindow: options.window ?? 100, stabilityWindow: options.stabilityWindow,
      detOrder: options.detOrder, kArDiff: options.kArDiff,
    });
  }

  /** Reads the legs' bars from the store and computes the basket's statistics. */
  static async load(reader: BasketBarSource & MarketDataSource, legs: readonly string[], options: BasketViewOptions): Promise<BasketView> {
    if (!Array.isArray(legs) || legs.length < 2 || legs.length > 6) throw new Error(`a basket has 2 to 6 legs, got ${Array.isArray(legs) ? legs.length : 'no list'}: give symbols such as ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']`);
    const bad = legs.find((s) => typeof s !== 'string' || !SYMBOL_PATTERN.test(s));
    if (bad !== undefined) throw new Error(`"${String(bad)}" is not a symbol: use upper-case Binance names such as BTCUSDT`);
    if (new Set(legs).size !== legs.length) throw new Error(`a basket's legs must differ: ${legs.join(', ')} repeats a symbol`);
    if (typeof options?.timeframe !== 'string') throw new Error("basket options need a timeframe, e.g. { timeframe: '1m' }");
    const series = await Promise.all(legs.map((symbol) => readBars(reader, symbol, options, options.maxBars ?? 5_000)));
    const bars = commonBars(series);
    const window = options.window ?? 100;
    if (bars.time.length < Math.max(window, 50)) {
      throw new Error(`${legs.join(', ')} share ${bars.time.length} ${options.timeframe} bars: the basket needs at least ${Math.max(window, 50)}; record or import more, or pick a shorter window`);
    }
    return new BasketView([...legs], options, bars, reader);
  }

  get time(): Float64Array {
    return this.basket.time;
  }

  /** Closes per leg, the weights fitted on the shown bars, the spread and its rolling z. */
  get series(): { time: Float64Array; close: Record<string, Float64Array>; spread: Float64Array; z: Float64Array } {
    const close = Object.fromEntries(this.legs.map((s, i) => [s, this.basket.close[i]]));
    return { time: this.time, close, spread: this.analysis.spread, z: this.analysis.z };
  }

  /** Plotly figures: the spread and z with the entry/exit bands, the legs' closes, a backtest's equity and drawdown. */
  get charts(): { spread: (bands?: { entry?: number; exit?: number }) => Figure; prices: () => Figure; equity: (report: BasketBacktestResult) => Figure } {
    const name = this.legs.join('/');
    return {
      spread: (bands = {}) => spreadChart(this.time, this.analysis.spread, this.analysis.z, bands, { title: `${name} basket spread and z-score (${this.analysis.method})` }),
      prices: () => seriesChart(this.time, this.series.close, { title: `${name} closes` }),
      equity: (report) => equityChart(report.time, report.equity, drawdown(report.equity), { title: `${name} basket backtest equity` }),
    };
  }

  get metrics(): BasketMetrics {
    const a = this.analysis;
    const z = a.z[a.z.length - 1];
    return {
      legs: this.legs, method: a.method, bars: this.time.length, weights: Array.from(a.weights), intercept: a.intercept, halfLife: a.halfLife,
      adfPValue: a.adf.pValue, cointStatistic: a.cointegration.statistic, cointPValue: a.cointegration.pValue,
      cointCritical5: a.cointegration.criticalValues['5%'], cointRejects: a.cointegration.rejects, stability: a.stability.share, lastZ: z,
    };
  }

  /**
   * Backtests the rule on the basket's z. Weights are never fitted on the whole range: by default re-fitted on the last
   * `weightWindow` bars every `weightEvery` bars; `{ kind: 'train', method, bars }` fits once on the first bars.
   */
  async backtest(strategy: BasketBacktestParams, execution: ExecutionParams & BasketCostChoice = {}): Promise<BasketBacktestReport> {
    const o = this.options;
    const weightWindow = o.weightWindow ?? Math.min(500, Math.floor(this.time.length / 2));
    const weights = strategy.weights ?? { kind: 'rolling', method: o.weights ?? 'johansen', window: weightWindow, every: o.weightEvery ?? Math.max(1, Math.floor(weightWindow / 10)) };
    const costs = await this.costs(execution);
    const result = backtestBasket(this.basket, {
      entry: strategy.entry, exit: strategy.exit, stop: strategy.stop, maxHoldingBars: strategy.maxHoldBars, cooldownBars: strategy.cooldownBars,
      weights, window: strategy.window ?? o.window ?? 100, fit: { detOrder: o.detOrder, kArDiff: o.kArDiff },
    }, { execution: executionSettings(execution), funding: costs.funding, quotes: costs.quotes });
    const fallback = costs.quotes && result.costUsage.barFills > 0 ? [`${result.costUsage.barFills} of ${result.costUsage.barFills + result.costUsage.quotedFills} leg fills had no recent quote and filled at bar prices + slippage.`] : [];
    return Object.assign(result, { costNotes: [...costs.notes, ...fallback] });
  }

  private async costs(choice: BasketCostChoice & ExecutionParams): Promise<{ funding?: ReadonlyArray<FundingRates | undefined>; quotes?: { legs: Array<LegQuotes | undefined>; maxAgeMs: number }; notes: string[] }> {
    const notes: string[] = [];
    const p = { from: this.time[0], to: this.time[this.time.length - 1] + this.timeframeMs, barMs: this.timeframeMs };
    let funding: ReadonlyArray<FundingRates | undefined> | undefined;
    if (typeof choice.funding === 'object') {
      funding = choice.funding;
      notes.push('Funding: the rates given.');
    } else if (choice.funding === 'none' || this.marketData === null) notes.push('Funding: none.');
    else {
      const source = this.marketData;
      const series = await Promise.all(this.legs.map((symbol) => source.funding({ symbol, from: p.from, to: p.to - p.barMs + 1 })));
      funding = await Promise.all(series.map((s) => (s.fundingTime.length ? fundingWithMarks(source, s) : undefined)));
      notes.push(`Funding: recorded events (${series.map((s) => `${s.fundingTime.length} for ${s.symbol}`).join(', ')}), each on quantity × its mark price.`);
    }
    const slippage = choice.slippageBps ?? defaultExecution.slippageBps;
    if (choice.fills === 'bars' || this.marketData === null) {
      notes.push(`Fills: bar prices + ${slippage} bps slippage.`);
      return { funding, notes };
    }
    const maxAgeMs = choice.quoteMaxAgeMs ?? QUOTE_MAX_AGE_MS;
    const source = this.marketData;
    const quotes = await Promise.all(this.legs.map((symbol) => legQuotes(source, symbol, p, maxAgeMs)));
    if (quotes.every((q) => q.time.length === 0)) {
      notes.push(`Fills: no recorded quotes of ${this.legs.join(', ')} in the period; bar prices + ${slippage} bps slippage.`);
      return { funding, notes };
    }
    notes.push('Fills: each leg buys at the ask and sells at the bid of its latest recorded quote, else at the bar price + slippage.');
    return { funding, quotes: { legs: quotes.map((q) => (q.time.length ? q : undefined)), maxAgeMs }, notes };
  }
}
