// The Backtest tab's cost table (extension/src/views/backtestCosts.ts): each cost as the kernel sent it, the net cost
// from them, and the cost model named in words.
import { describe, expect, it } from 'vitest';
import { costModelTitle, costRows } from '../../extension/src/views/backtestCosts';

describe('backtest cost table', () => {
  it('lists fees, spread, slippage and funding and nets them', () => {
    const fees = 2.01;
    const spread = 6;
    const slippage = 0.5;
    const funding = -0.25;
    const rows = Object.fromEntries(costRows({ fees, spread, slippage, funding }));
    expect(rows['Fees paid']).toBe(fees.toFixed(2));
    expect(rows['Spread paid (fills vs mid)']).toBe(spread.toFixed(2));
    expect(rows['Slippage paid']).toBe(slippage.toFixed(2));
    expect(rows['Funding received (negative = paid)']).toBe(funding.toFixed(2));
    expect(rows['Net costs (fees + spread + slippage − funding)']).toBe((fees + spread + slippage - funding).toFixed(2));
  });

  it('shows a dash for an undefined cost and for the net', () => {
    const rows = Object.fromEntries(costRows({ fees: 1, spread: null, slippage: 0, funding: 0 }));
    expect(rows['Spread paid (fills vs mid)']).toBe('—');
    expect(rows['Net costs (fees + spread + slippage − funding)']).toBe('—');
  });

  it('names the cost model', () => {
    expect(costModelTitle({ funding: 'recorded', fills: 'quotes', note: '' })).toBe('Costs: recorded funding, fills at recorded quotes.');
    expect(costModelTitle({ funding: 'none', fills: 'bars', note: '' })).toBe('Costs: no funding, fills at bar prices + slippage.');
  });
});
