// CSV export of a query result or a bar series (RFC 4180 quoting; bars re-import with importBarsCsv).
import type { BarSeries, CellValue, ResultTable } from './types';

function cell(v: CellValue): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isNaN(v) ? '' : String(v)) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function isBarSeries(t: ResultTable | BarSeries): t is BarSeries {
  return (t as BarSeries).timeframeMs !== undefined && (t as BarSeries).time instanceof Float64Array;
}

function barsToTable(b: BarSeries): ResultTable {
  const col = (name: string, type: string, values: CellValue[]) => ({ name, type, values });
  const nums = (a: Float64Array | Uint8Array) => Array.from(a);
  return {
    rowCount: b.time.length,
    columns: [
      col('timestamp', 'VARCHAR', Array.from(b.time, (t) => new Date(t).toISOString())),
      col('symbol', 'VARCHAR', Array.from(b.time, () => b.symbol)),
      col('open', 'DOUBLE', nums(b.open)), col('high', 'DOUBLE', nums(b.high)), col('low', 'DOUBLE', nums(b.low)),
      col('close', 'DOUBLE', nums(b.close)), col('volume', 'DOUBLE', nums(b.volume)), col('trades', 'DOUBLE', nums(b.trades)),
      col('vwap', 'DOUBLE', nums(b.vwap)), col('filled', 'UTINYINT', nums(b.filled)),
    ],
  };
}

/** Header line, then one line per row; NULL and NaN are empty fields. */
export function toCsv(table: ResultTable | BarSeries): string {
  const t = isBarSeries(table) ? barsToTable(table) : table;
  const lines = [t.columns.map((c) => cell(c.name)).join(',')];
  for (let r = 0; r < t.rowCount; r++) lines.push(t.columns.map((c) => cell(c.values[r])).join(','));
  return `${lines.join('\n')}\n`;
}
