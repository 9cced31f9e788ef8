// `GET /fapi/v1/fundingRate` rows: {symbol, fundingRate, fundingTime, markPrice}; rates are signed decimal strings and
// old rows carry markPrice "" (kept as NaN).
import type { FundingEvent } from './types';
import { decimal, isObj, isSafeCount } from './parse-fields';

export type FundingRowResult = { kind: 'funding'; funding: FundingEvent } | { kind: 'bad'; detail: string };

export function parseFundingRow(row: unknown, recvTime: number): FundingRowResult {
  if (!isObj(row)) return { kind: 'bad', detail: 'row is not an object' };
  if (typeof row.symbol !== 'string' || row.symbol.length === 0) return { kind: 'bad', detail: '"symbol" is not a symbol string' };
  if (!isSafeCount(row.fundingTime)) return { kind: 'bad', detail: `"fundingTime" is not a safe non-negative integer: ${String(row.fundingTime)}` };
  const rate = decimal(row.fundingRate, true);
  if (rate === null) return { kind: 'bad', detail: `"fundingRate" is not a decimal string: ${JSON.stringify(row.fundingRate)}` };
  const mark = row.markPrice === '' || row.markPrice === undefined ? Number.NaN : decimal(row.markPrice);
  if (mark === null) return { kind: 'bad', detail: `"markPrice" is not a decimal string: ${JSON.stringify(row.markPrice)}` };
  return { kind: 'funding', funding: { symbol: row.symbol, fundingTime: row.fundingTime, fundingRate: rate, markPrice: mark, recvTime } };
}
