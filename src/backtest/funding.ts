/** Places funding events on the bar grid so the simulation loop reads one number per bar. */
import type { FundingRates } from './types';
import { validateFunding } from './validate';

/**
 * The funding rate charged at the start of each bar: an event at time τ lands on the first bar
 * whose start time is ≥ τ, and is paid by the position held going into that bar, priced at its open.
 * So a position filled at exactly τ does not pay it and one closed at τ does, as Binance books funding
 * on positions open at the funding time. Events after the last bar's start are dropped; events at or
 * before the first bar land on it, where every simulation starts flat.
 */
export function fundingPerBar(time: Float64Array, rates: FundingRates | undefined, name = 'rates'): Float64Array | null {
  if (!rates || rates.time.length === 0) return null;
  validateFunding(rates, name);
  const out = new Float64Array(time.length);
  let bar = 0;
  for (let i = 0; i < rates.time.length; i++) {
    const tau = rates.time[i];
    while (bar < time.length && time[bar] < tau) bar++;
    if (bar === time.length) break;
    out[bar] += rates.rate[i];
  }
  return out;
}
