/**
 * How a portfolio splits its capital across pairs: each pair gets a target notional per leg, a fixed
 * amount of quote currency set once from the starting capital (it does not compound with equity).
 */
import type { SimulationRange } from './engine';
import { BacktestSettingsError } from './validate';

/**
 * - `equal`: every pair `budget × capital / pairs` per leg (`budget` default 1: the legs on one side sum to the capital).
 * - `inverseVolatility`: `budget × capital × (1/σᵢ) / Σⱼ(1/σⱼ)`, σ from the returns on the `estimation` bars.
 * - `kelly`: capped Kelly, `capital × min(cap, max(0, fraction × μᵢ/σᵢ²))`, μ and σ² from the same returns.
 * - `fixed`: the notional per leg of each pair, in the order the pairs are given.
 *
 * The returns of a pair on the estimation bars: rᵢ,t = (Eₜ − Eₜ₋₁) / capital of the pair traded alone on those bars
 * with a notional per leg equal to the capital (so r is the P&L per bar per unit of notional per leg, and the Kelly
 * fraction μ/σ² is a notional per leg in units of capital); μ is their mean and σ² their sample variance (n − 1) over
 * every bar of the window, flat bars included. A pair whose σ is 0 there (no trade) gets no allocation.
 * The estimation bars must end at or before the first traded bar.
 */
export type Allocation =
  | { kind: 'equal'; budget?: number }
  | { kind: 'inverseVolatility'; budget?: number; estimation?: SimulationRange }
  | { kind: 'kelly'; cap: number; fraction?: number; estimation?: SimulationRange }
  | { kind: 'fixed'; notional: readonly number[] };

/** Mean and sample variance of per-bar returns (E_t − E_{t−1}) / capital, the first against `capital`. */
export function pnlReturnMoments(equity: Float64Array, capital: number): { mean: number; variance: number } {
  const n = equity.length;
  let prev = capital;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += (equity[i] - prev) / capital;
    prev = equity[i];
  }
  const mean = sum / n;
  prev = capital;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (equity[i] - prev) / capital - mean;
    ss += d * d;
    prev = equity[i];
  }
  return { mean, variance: n > 1 ? ss / (n - 1) : NaN };
}

function positiveOr(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!(Number.isFinite(v) && v > 0)) throw new BacktestSettingsError(`allocation ${name} is ${v}: give a positive number`);
  return v;
}

/**
 * The target notional per leg of each pair. `moments` gives each pair's return mean and variance on the estimation
 * bars; it is called only for the allocations that need it.
 */
export function allocate(allocation: Allocation, pairs: number, capital: number, moments: () => { mean: number; variance: number }[]): number[] {
  switch (allocation.kind) {
    case 'equal': {
      const budget = positiveOr(allocation.budget, 1, 'budget');
      return Array.from({ length: pairs }, () => (budget * capital) / pairs);
    }
    case 'fixed': {
      const { notional } = allocation;
      if (notional.length !== pairs) throw new BacktestSettingsError(`fixed allocation has ${notional.length} notionals for ${pairs} pairs: give one per pair, in the same order`);
      for (const v of notional) if (!(Number.isFinite(v) && v >= 0)) throw new BacktestSettingsError(`fixed allocation notional ${v}: each must be a quote-currency amount ≥ 0`);
      return [...notional];
    }
    case 'inverseVolatility': {
      const budget = positiveOr(allocation.budget, 1, 'budget');
      const inv = moments().map((m) => (m.variance > 0 ? 1 / Math.sqrt(m.variance) : 0));
      const total = inv.reduce((a, b) => a + b, 0);
      return inv.map((v) => (total > 0 ? (budget * capital * v) / total : 0));
    }
    case 'kelly': {
      const cap = positiveOr(allocation.cap, NaN, 'cap');
      const fraction = positiveOr(allocation.fraction, 1, 'fraction');
      return moments().map((m) => {
        const f = m.variance > 0 ? (fraction * m.mean) / m.variance : 0;
        return capital * Math.min(cap, Math.max(0, f));
      });
    }
    default:
      throw new BacktestSettingsError(`allocation kind ${JSON.stringify((allocation as { kind: unknown }).kind)}: use 'equal', 'inverseVolatility', 'kelly' or 'fixed'`);
  }
}
