/**
 * A basket scan: every `size`-leg combination of a universe, ranked by the basket's Engle-Granger p-value (the best
 * choice of dependent leg) or by Johansen's trace statistic over its 95% critical value. `basketScanRows` takes any
 * subset of combinations, so a caller can deal them out to worker threads and rank the rows together.
 */
import { basketSpread, egWeights } from './basketWeights';
import { egBasketTest, johansenBasketTest } from './basketTests';
import { halfLife } from './meanReversion';
import { checkUniverse } from './scan';
import { AnalyticsInputError, type Series } from './validate';

export interface BasketScanRow {
  /** Symbols, the dependent (weight 1) leg of the best Engle-Granger regression first. */
  legs: string[];
  weights: number[];
  intercept: number;
  egStatistic: number;
  egPValue: number;
  /** Johansen trace statistic of rank 0, its 95% critical value and their ratio (> 1 rejects). */
  johansenTrace: number;
  johansenCrit95: number;
  johansenRatio: number;
  /** Half-life in bars of the Engle-Granger spread. */
  halfLife: number;
  rank: number;
}

export type BasketRankBy = 'eg' | 'johansen';

export interface BasketScanOptions {
  /** Legs per basket, 3 to 6. Default 3. */
  size?: number;
  rankBy?: BasketRankBy;
}

/** Every increasing `size`-tuple of indices below `count`. */
export function allCombinations(count: number, size: number): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const walk = (from: number) => {
    if (pick.length === size) {
      out.push([...pick]);
      return;
    }
    for (let i = from; i <= count - (size - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}

/** Unranked rows of the combinations `combos` (indices into checked `symbols`/`prices`). */
export function basketScanRows(symbols: readonly string[], prices: readonly Float64Array[], combos: ReadonlyArray<readonly number[]>): BasketScanRow[] {
  return combos.map((combo) => {
    const legs = combo.map((i) => prices[i]);
    // EG depends on which leg is regressed on the others: keep the one with the lowest p-value
    let best = { order: [...combo], test: egBasketTest(legs) };
    for (let k = 1; k < combo.length; k++) {
      const order = [combo[k], ...combo.filter((_, j) => j !== k)];
      const test = egBasketTest(order.map((i) => prices[i]));
      if (test.pValue < best.test.pValue) best = { order, test };
    }
    const ordered = best.order.map((i) => prices[i]);
    const fit = egWeights(ordered);
    const spread = basketSpread(ordered, Array.from(fit.weights), fit.intercept);
    const jo = johansenBasketTest(legs);
    const crit95 = jo.criticalValues['5%'];
    return {
      legs: best.order.map((i) => symbols[i]),
      weights: Array.from(fit.weights),
      intercept: fit.intercept,
      egStatistic: best.test.statistic,
      egPValue: best.test.pValue,
      johansenTrace: jo.statistic,
      johansenCrit95: crit95,
      johansenRatio: jo.statistic / crit95,
      halfLife: best.test.statistic === -Infinity ? NaN : halfLife(spread).halfLife,
      rank: 0,
    };
  });
}

/** Sorts by the chosen test (then the other, then the names, so the order never depends on who computed a row) and numbers the rows. */
export function rankBasketRows(rows: BasketScanRow[], by: BasketRankBy = 'eg'): BasketScanRow[] {
  const name = (r: BasketScanRow) => [...r.legs].sort().join('/');
  const eg = (a: BasketScanRow, b: BasketScanRow) => a.egPValue - b.egPValue;
  const jo = (a: BasketScanRow, b: BasketScanRow) => b.johansenRatio - a.johansenRatio;
  const [first, second] = by === 'eg' ? [eg, jo] : [jo, eg];
  rows.sort((a, b) => first(a, b) || second(a, b) || name(a).localeCompare(name(b)));
  rows.forEach((r, k) => (r.rank = k + 1));
  return rows;
}

export function checkBasketScanOptions(symbolCount: number, opts: BasketScanOptions): { size: number; rankBy: BasketRankBy } {
  const size = opts.size ?? 3;
  const rankBy = opts.rankBy ?? 'eg';
  if (!Number.isInteger(size) || size < 3 || size > 6) throw new AnalyticsInputError(`a basket scan's size is 3 to 6 legs, got ${String(size)}`);
  if (symbolCount < size) throw new AnalyticsInputError(`a scan of ${size}-leg baskets needs at least ${size} symbols, got ${symbolCount}`);
  if (rankBy !== 'eg' && rankBy !== 'johansen') throw new AnalyticsInputError(`rankBy must be 'eg' or 'johansen', got "${String(rankBy)}"`);
  return { size, rankBy };
}

/** Tests every `size`-leg basket of a universe of aligned price series and ranks them. */
export function scanBaskets(universe: Record<string, Series>, opts: BasketScanOptions = {}): BasketScanRow[] {
  const { symbols, prices } = checkUniverse(universe);
  const { size, rankBy } = checkBasketScanOptions(symbols.length, opts);
  return rankBasketRows(basketScanRows(symbols, prices, allCombinations(symbols.length, size)), rankBy);
}
