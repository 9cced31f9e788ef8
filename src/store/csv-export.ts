import type { BarSeries, ResultTable } from './types';

export function toCsv(table: ResultTable | BarSeries): string {
  throw new Error(`toCsv(${Object.keys(table).length}): not implemented yet`);
}
