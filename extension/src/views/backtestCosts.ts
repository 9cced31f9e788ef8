// A backtest's costs as the Backtest tab lists them: fees, spread crossed, slippage and funding in quote currency, their
// total, and the cost model in words (pure, unit-tested; the kernel computes every figure).
import type { BacktestCostModel, BacktestCosts, Num } from '../protocol';

/** Quote currency to the cent; a dash where undefined. (Not dom.ts's `fmt`: this module stays free of the DOM.) */
const money = (v: Num): string => (v !== null && Number.isFinite(v) ? v.toFixed(2) : '—');

/** Rows of the cost table: each cost as paid (positive), funding as received (negative = paid), and the net cost. */
export function costRows(c: BacktestCosts): Array<[string, string]> {
  const parts = [c.fees, c.spread, c.slippage, c.funding];
  const total = parts.every((v) => v !== null && Number.isFinite(v))
    ? (c.fees as number) + (c.spread as number) + (c.slippage as number) - (c.funding as number)
    : null;
  return [
    ['Fees paid', money(c.fees)],
    ['Spread paid (fills vs mid)', money(c.spread)],
    ['Slippage paid', money(c.slippage)],
    ['Funding received (negative = paid)', money(c.funding)],
    ['Net costs (fees + spread + slippage − funding)', money(total)],
  ];
}

/** One line naming the cost model, e.g. "Costs: recorded funding, fills at recorded quotes." */
export function costModelTitle(m: BacktestCostModel): string {
  const funding = m.funding === 'recorded' ? 'recorded funding' : m.funding === 'given' ? 'given funding rates' : 'no funding';
  const fills = m.fills === 'quotes' ? 'fills at recorded quotes' : 'fills at bar prices + slippage';
  return `Costs: ${funding}, ${fills}.`;
}
