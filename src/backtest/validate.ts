/** Checks of backtest inputs and settings; every refusal says what was wrong and what to do. */
import type { AlignedPair, ExecutionSettings, FundingRates, PairInput, StrategyParams } from './types';

export class BacktestSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BacktestSettingsError';
  }
}

function fail(message: string): never {
  throw new BacktestSettingsError(message);
}

export function medianSpacing(time: Float64Array): number {
  const d = new Float64Array(time.length - 1);
  for (let i = 1; i < time.length; i++) d[i - 1] = time[i] - time[i - 1];
  d.sort();
  return d[d.length >> 1];
}

export function checkPrices(values: Float64Array, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] > 0) || values[i] === Infinity) {
      fail(`${name}[${i}] is ${values[i]}: prices must be finite and positive; fill or drop that bar in both legs first`);
    }
  }
}

/** Checks that both legs share one strictly increasing time axis and have usable prices. */
export function alignPair(pair: PairInput): AlignedPair {
  const { y, x } = pair;
  const n = y.time.length;
  if (n < 2) fail(`the pair has ${n} bars: a backtest needs at least 2`);
  const columns: [string, Float64Array][] = [['y.open', y.open], ['y.close', y.close], ['x.time', x.time], ['x.open', x.open], ['x.close', x.close]];
  for (const [name, col] of columns) {
    if (col.length !== n) fail(`${name} has ${col.length} values but y.time has ${n}: the legs are not aligned; align them on one time grid (e.g. the store's pair bars)`);
  }
  for (let i = 0; i < n; i++) {
    if (y.time[i] !== x.time[i]) fail(`bar ${i}: y.time is ${y.time[i]} but x.time is ${x.time[i]}: the legs are not aligned; align them on one time grid`);
    if (!Number.isFinite(y.time[i])) fail(`time[${i}] is ${y.time[i]}: times must be finite epoch ms`);
    if (i > 0 && !(y.time[i] > y.time[i - 1])) fail(`time[${i}] = ${y.time[i]} is not after time[${i - 1}] = ${y.time[i - 1]}: bars must be in strictly increasing time order without duplicates`);
  }
  checkPrices(y.open, 'y.open');
  checkPrices(y.close, 'y.close');
  checkPrices(x.open, 'x.open');
  checkPrices(x.close, 'x.close');
  return { time: y.time, yOpen: y.open, yClose: y.close, xOpen: x.open, xClose: x.close, barMs: medianSpacing(y.time) };
}

function isCount(v: number | undefined, min: number): boolean {
  return v === undefined || (Number.isInteger(v) && v >= min);
}

export function validateStrategy(p: StrategyParams): void {
  if (!(Number.isFinite(p.entry) && p.entry > 0)) fail(`entry is ${p.entry}: the entry threshold must be a positive number of z units (e.g. 2)`);
  if (!Number.isFinite(p.exit)) fail(`exit is ${p.exit}: the exit threshold must be a number of z units (0 = exit at the mean, below 0 = past it)`);
  if (p.exit >= p.entry) fail(`exit (${p.exit}) ≥ entry (${p.entry}): a position would exit as soon as it enters; choose exit < entry`);
  if (p.exit < -p.entry) {
    fail(`exit (${p.exit}) < −entry (${-p.entry}): a long would exit only past the short entry level; choose exit ≥ −entry (−entry exits at the mirror level, as Bertram's OU levels do)`);
  }
  if (p.stop !== undefined && !(Number.isFinite(p.stop) && p.stop > p.entry)) {
    fail(`stop is ${p.stop} but entry is ${p.entry}: the stop must be further out than the entry (stop > entry), or left out`);
  }
  if (!isCount(p.maxHoldingBars, 1)) fail(`maxHoldingBars is ${p.maxHoldingBars}: use a whole number of bars ≥ 1, or leave it out`);
  if (p.maxHoldingMs !== undefined && !(Number.isFinite(p.maxHoldingMs) && p.maxHoldingMs > 0)) fail(`maxHoldingMs is ${p.maxHoldingMs}: use a positive number of milliseconds, or leave it out`);
  if (!isCount(p.cooldownBars, 0)) fail(`cooldownBars is ${p.cooldownBars}: use a whole number of bars ≥ 0`);
}

export function validateExecution(e: ExecutionSettings): void {
  if (e.fillAt !== 'open' && e.fillAt !== 'close') fail(`fillAt is ${String(e.fillAt)}: use 'open' or 'close' (of the bar after the signal)`);
  if (!['dollarNeutral', 'hedgeUnits', 'hedgeNotional'].includes(e.sizing)) fail(`sizing is ${String(e.sizing)}: use 'dollarNeutral', 'hedgeUnits' or 'hedgeNotional'`);
  if (e.liquidity !== 'maker' && e.liquidity !== 'taker') fail(`liquidity is ${String(e.liquidity)}: use 'maker' or 'taker'`);
  if (!(Number.isFinite(e.notionalPerLeg) && e.notionalPerLeg > 0)) fail(`notionalPerLeg is ${e.notionalPerLeg}: it must be a positive quote-currency amount`);
  if (!(Number.isFinite(e.capital) && e.capital > 0)) fail(`capital is ${e.capital}: it must be a positive quote-currency amount`);
  for (const key of ['makerFeeBps', 'takerFeeBps', 'slippageBps'] as const) {
    const v = e[key];
    if (!(Number.isFinite(v) && v >= 0)) fail(`${key} is ${v}: fees and slippage must be ≥ 0 bps (a rebate is not modelled)`);
    if (v >= 10_000) fail(`${key} is ${v} bps, i.e. ≥ 100% of the price: did you pass a percentage or a fraction? Use basis points (5 = 0.05%)`);
  }
}

export function validateFunding(f: FundingRates, name: string): void {
  if (f.time.length !== f.rate.length) fail(`funding ${name}: time has ${f.time.length} values but rate has ${f.rate.length}`);
  for (let i = 0; i < f.time.length; i++) {
    if (!Number.isFinite(f.rate[i]) || !Number.isFinite(f.time[i])) fail(`funding ${name}[${i}] is (${f.time[i]}, ${f.rate[i]}): funding times and rates must be finite`);
    if (i > 0 && !(f.time[i] > f.time[i - 1])) fail(`funding ${name}: time[${i}] is not after time[${i - 1}]; sort the rates by time and drop duplicates`);
  }
}

export function validateWindow(window: number, bars: number): void {
  if (!(Number.isInteger(window) && window >= 2)) fail(`window is ${window}: the z-score window must be a whole number of bars ≥ 2`);
  if (window > bars) fail(`window (${window} bars) is longer than the data (${bars} bars): shorten the window or load more bars`);
}
