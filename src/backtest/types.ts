/** Public shapes of the backtester: inputs, settings, trades and results. */

/** One leg's bars, columnar; `time` is each bar's start in UTC epoch ms. The store's `BarSeries` fits. */
export interface LegBars {
  time: Float64Array;
  open: Float64Array;
  close: Float64Array;
}

/** Two legs on one time grid; the store's `PairBars` fits. The spread is y − β·x. */
export interface PairInput {
  y: LegBars;
  x: LegBars;
}

/** A checked pair: one time axis shared by both legs (see `alignPair`). */
export interface AlignedPair {
  time: Float64Array;
  yOpen: Float64Array;
  yClose: Float64Array;
  xOpen: Float64Array;
  xClose: Float64Array;
  /** Bar length in ms (the median spacing of `time`). */
  barMs: number;
}

/** Thresholds of the mean-reversion rule, in z units. */
export interface StrategyParams {
  /** Enter short the spread when z > entry, long when z < −entry. */
  entry: number;
  /**
   * Exit once z is back inside ±exit or beyond it (long exits when z > −exit, short when z < exit). −entry ≤ exit < entry:
   * a negative exit holds past the mean (exit = −entry: a long bought at z < −entry sells at z > entry, Bertram's mirror level).
   */
  exit: number;
  /** Stop-loss: exit when z moves against the position beyond ±stop (long: z < −stop). Must exceed entry. */
  stop?: number;
  /** Exit at the first close at least this many bars after the entry decision. */
  maxHoldingBars?: number;
  /** Exit at the first close at least this many ms after the entry decision's close (bars may have gaps). */
  maxHoldingMs?: number;
  /** After a stop, this many bar closes make no entry decision. Default 0. */
  cooldownBars?: number;
}

/**
 * How a position is sized at its fill, with N = `notionalPerLeg` (quote currency):
 * - `dollarNeutral`: N in each leg, opposite directions;
 * - `hedgeUnits`: N in y, β units of x per unit of y (one position is q units of the spread y − β·x);
 * - `hedgeNotional`: N in y, β·N in x (β as a notional ratio, e.g. estimated on log prices).
 */
export type SizingMode = 'dollarNeutral' | 'hedgeUnits' | 'hedgeNotional';

export interface ExecutionSettings {
  /** Orders decided on bar t's close fill at bar t+1's open (default) or close. */
  fillAt: 'open' | 'close';
  sizing: SizingMode;
  /** Quote-currency notional of the y leg (and of x for `dollarNeutral`). */
  notionalPerLeg: number;
  /** Starting equity in quote currency; returns are equity changes relative to it. */
  capital: number;
  /** Binance USD-M regular tier: maker 2 bps, taker 5 bps. */
  makerFeeBps: number;
  takerFeeBps: number;
  /** Which fee rate every fill pays. Default `taker` (market orders). */
  liquidity: 'maker' | 'taker';
  /** Adverse price move per fill, in bps of the fill price. */
  slippageBps: number;
}

/**
 * Funding rates of one leg: at `time[i]` (epoch ms) a long pays `rate[i]` × position notional (a negative rate pays
 * shorts). With `markPrice` (recorded events) the notional is quantity × `markPrice[i]`, the mark price at the event, as
 * Binance charges it; without it, or where it is NaN, quantity × the open of the bar the event lands on.
 */
export interface FundingRates {
  time: Float64Array;
  rate: Float64Array;
  markPrice?: Float64Array;
}

export interface FundingSettings {
  y?: FundingRates;
  x?: FundingRates;
}

/** Best bid and ask of one leg, each row in force from `time[i]` (epoch ms, increasing) until the next. */
export interface LegQuotes {
  time: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
}

/**
 * Quotes to fill at: a leg with quotes buys at the ask and sells at the bid of its latest quote at or before the fill
 * time (bar start for a fill at the open, bar end at the close), with no slippage. A fill with no such quote, or only
 * one older than `maxAgeMs` (default: any age), falls back to the bar price with slippage and is counted.
 */
export interface QuoteSettings {
  y?: LegQuotes;
  x?: LegQuotes;
  maxAgeMs?: number;
}

/** How the costs were met: leg fills at quotes or at bar prices, and funding events without a mark price. */
export interface CostUsage {
  /** Leg fills at a recorded bid or ask. */
  quotedFills: number;
  /** Leg fills at the bar price with slippage (no quotes given, or none recent enough at the fill time). */
  barFills: number;
  /** Time of the first fill that fell back to the bar price although quotes were given for its leg, or null. */
  firstFallbackTime: number | null;
  /** Funding events given with mark prices that had none (NaN) and were priced at the bar's open. */
  fundingWithoutMark: number;
}

export type ExitReason = 'exit' | 'stop' | 'maxHolding' | 'end';

/** One round trip. Quantities are signed (positive = long that leg); prices are fill prices after slippage. */
export interface Trade {
  /** `long` = long the spread (long y). */
  side: 'long' | 'short';
  entryBar: number;
  exitBar: number;
  entryTime: number;
  exitTime: number;
  entryZ: number;
  exitZ: number;
  hedgeRatio: number;
  qtyY: number;
  qtyX: number;
  entryPriceY: number;
  entryPriceX: number;
  exitPriceY: number;
  exitPriceX: number;
  /** Fees of all four fills (positive = paid). */
  fees: number;
  /** Paid crossing the spread: Σ |qty| × |fill − mid| over the fills at quotes (included in the prices, so in `pnl`). */
  spreadCost?: number;
  /** Paid to constant slippage: Σ |qty| × |fill − bar price| over the fills at bar prices (included in `pnl`). Both are set on every trade the backtester returns. */
  slippage?: number;
  /** Net funding received (negative = paid). */
  funding: number;
  /** Net P&L in quote currency: price P&L − fees + funding. */
  pnl: number;
  holdingBars: number;
  holdingMs: number;
  exitReason: ExitReason;
}

export interface Metrics {
  /** Final equity / capital − 1. */
  totalReturn: number;
  /** Compounded to a 365-day year from the number of bars. */
  annualReturn: number;
  annualVolatility: number;
  sharpe: number;
  sortino: number;
  /** Largest peak-to-trough fall of equity, as a positive fraction of the peak. */
  maxDrawdown: number;
  /** Longest time under a previous peak (to recovery, or to the end). */
  maxDrawdownBars: number;
  maxDrawdownMs: number;
  calmar: number;
  winRate: number;
  profitFactor: number;
  trades: number;
  avgHoldingBars: number;
  avgHoldingMs: number;
  /** Fraction of bars closed with a position. */
  exposure: number;
  /** Traded notional / capital. */
  turnover: number;
  tradedNotional: number;
  feesPaid: number;
  /** Cost of crossing the recorded spread (fills vs mid), positive = paid. */
  spreadCost: number;
  /** Cost of constant slippage on fills at bar prices, positive = paid. */
  slippageCost: number;
  /** Net funding received (negative = paid). */
  funding: number;
  pnl: number;
  finalEquity: number;
  /** The prototype's figure: Σ position × Δz, no costs. */
  zPnl: number;
  barsPerYear: number;
}

export interface BacktestResult {
  time: Float64Array;
  /** Equity in quote currency at each bar's close. */
  equity: Float64Array;
  /** Simple return of equity per bar (the first is relative to capital); computed on first access. */
  returns: Float64Array;
  /** +1 long spread, −1 short, 0 flat, held at each bar's close. */
  position: Int8Array;
  /** Built on first access. */
  trades: Trade[];
  metrics: Metrics;
  /** Which fills used quotes and which funding events lacked a mark price. */
  costUsage: CostUsage;
}
