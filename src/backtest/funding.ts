/** Places funding events on the bar grid so the simulation loop reads one number per bar. */
import type { FundingRates } from './types';
import { validateFunding } from './validate';

/**
 * Calls `add(bar, i)` for each event i with the bar it lands on: the first bar whose start time is ≥ its time τ, paid
 * by the position held going into that bar. So a position filled at exactly τ does not pay it and one closed at τ
 * does, as Binance books funding on positions open at the funding time. Events after the last bar's start are
 * dropped; events at or before the first bar land on it, where every simulation starts flat.
 */
export function placeFundingEvents(time: Float64Array, eventTime: Float64Array, add: (bar: number, event: number) => void): void {
  let bar = 0;
  for (let i = 0; i < eventTime.length; i++) {
    const tau = eventTime[i];
    while (bar < time.length && time[bar] < tau) bar++;
    if (bar === time.length) break;
    add(bar, i);
  }
}

/** The funding rate charged at the start of each bar (see `placeFundingEvents`), on the notional at the bar's open. */
export function fundingPerBar(time: Float64Array, rates: FundingRates | undefined, name = 'rates'): Float64Array | null {
  if (!rates || rates.time.length === 0) return null;
  validateFunding(rates, name);
  const out = new Float64Array(time.length);
  placeFundingEvents(time, rates.time, (bar, i) => { out[bar] += rates.rate[i]; });
  return out;
}
