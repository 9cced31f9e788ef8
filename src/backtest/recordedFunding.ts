/**
 * Funding as Binance charges it: at each funding time a position of signed quantity q receives −q × mark × rate, with
 * the mark price at that time (a long pays a positive rate). Per event, so a live paper trader can book it as it comes.
 */
import { placeFundingEvents } from './funding';
import type { FundingRates } from './types';
import { BacktestSettingsError, validateFunding } from './validate';

/** Funding received (negative = paid) by a position of signed quantity `qty` at one event. */
export function fundingReceived(qty: number, rate: number, markPrice: number): number {
  return -qty * markPrice * rate;
}

/** Per-bar funding per unit of a long position (Σ rate × mark price of the events landing on the bar), and how many events lacked a mark. */
export interface PricedFunding {
  perUnit: Float64Array;
  /** Events without a mark price (NaN), priced at the open of their bar instead. */
  withoutMark: number;
}

/** Places events on the bar grid like `fundingPerBar`, each priced at its own mark price (else its bar's open). */
export function pricedFundingPerBar(time: Float64Array, open: Float64Array, rates: FundingRates | undefined, name = 'rates'): PricedFunding | null {
  if (!rates || rates.time.length === 0) return null;
  validateRecordedFunding(rates, name);
  const perUnit = new Float64Array(time.length);
  const mark = rates.markPrice;
  let withoutMark = 0;
  placeFundingEvents(time, rates.time, (bar, i) => {
    let price = mark === undefined ? NaN : mark[i];
    if (!(price > 0)) {
      price = open[bar];
      withoutMark++;
    }
    perUnit[bar] += rates.rate[i] * price;
  });
  return { perUnit, withoutMark: mark === undefined ? 0 : withoutMark };
}

function validateRecordedFunding(f: FundingRates, name: string): void {
  if (f.markPrice !== undefined && f.markPrice.length !== f.time.length) {
    throw new BacktestSettingsError(`funding ${name}: time has ${f.time.length} values but markPrice has ${f.markPrice.length}; give one mark price per event (NaN where unknown)`);
  }
  validateFunding(f, name);
}
